"""Walks through the order lifecycle: which transitions, by whom, why, and when.

A walk is planned as plain data (a list of steps), timed backwards from its last event so that
everything lies in the past, and then fired on the real FSM of an unsaved ``SalesOrder``, so the
statuses, hold fields and promise dates are exactly what the transitions produce.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured

from config.roles import ROLE_PERMISSIONS
from orders.models import OrderEventKind, SalesOrder
from orders.states import HOLDABLE, OrderStatus

S = OrderStatus

HAPPY_PATH = (
    ("submit", S.ENTERED),
    ("validate", S.VALIDATED),
    ("acknowledge", S.ACKNOWLEDGED),
    ("plan", S.PLANNED),
    ("release", S.RELEASED),
    ("start", S.IN_PRODUCTION),
    ("complete", S.PRODUCED),
    ("inspect_pass", S.QUALITY_RELEASED),
    ("pack", S.PACKED),
    ("ship", S.SHIPPED),
    ("deliver", S.DELIVERED),
    ("close", S.CLOSED),
)
HAPPY_STATUSES = tuple(status for _name, status in HAPPY_PATH)
# Where cancelled orders were stopped, weighted: most are withdrawn before production starts.
CANCELLED_FROM = {
    S.DRAFT: 3,
    S.ENTERED: 4,
    S.VALIDATED: 3,
    S.ON_HOLD: 5,
    S.ACKNOWLEDGED: 4,
    S.PLANNED: 3,
    S.RELEASED: 2,
    S.IN_PRODUCTION: 2,
    S.PRODUCED: 1,
    S.QUALITY_HOLD: 1,
    S.QUALITY_RELEASED: 1,
    S.PACKED: 1,
}
ROLE = {
    "submit": "sales",
    "validate": "sales",
    "acknowledge": "sales",
    "plan": "planner",
    "release": "planner",
    "start": "production",
    "complete": "production",
    "inspect_pass": "quality",
    "inspect_fail": "quality",
    "quality_release": "quality",
    "quality_hold": "quality",
    "pack": "shipping",
    "ship": "shipping",
    "deliver": "shipping",
    "close": "sales",
    "cancel": "sales",
}
# Hours from the previous event to this one: (low, high); production steps shrink for rush.
HOURS = {
    "submit": (0.3, 30),
    "validate": (1, 40),
    "hold": (0.5, 20),
    "resume": (20, 140),
    "acknowledge": (2, 48),
    "plan": (4, 60),
    "release": (24, 200),
    "start": (4, 60),
    "complete": (24, 280),
    "inspect_pass": (2, 30),
    "inspect_fail": (2, 30),
    "quality_release": (20, 110),
    "quality_hold": (2, 24),
    "pack": (2, 30),
    "ship": (2, 30),
    "close": (48, 320),
    "cancel": (2, 200),
}
RUSH_COMPRESSED = {"plan", "release", "start", "complete", "pack", "ship", "acknowledge"}
MILESTONES = (
    "submitted_at",
    "acknowledged_at",
    "released_at",
    "produced_at",
    "shipped_at",
    "delivered_at",
    "closed_at",
    "cancelled_at",
)

HOLD_NOTES = {
    "credit": [
        "Credit hold: account over its limit; waiting for payment of open invoices.",
        "Credit hold: two invoices more than 30 days past due.",
        "Deposit of 30% requested before we commit material.",
    ],
    "sales": [
        "Drawing rev C on the PO, rev B attached: asked the customer which applies.",
        "Waiting for the customer to confirm the bore tolerance.",
        "Ship-to address incomplete; asked purchasing for the dock address.",
        "Quantity on PO differs from the quote; waiting for a revised PO.",
    ],
    "manager": ["Escalated: customer disputes pricing on the last three orders."],
}
CANCEL_NOTES = [
    "Customer cancelled: project postponed to next year.",
    "Duplicate of an order entered by phone; PO cancelled by the customer.",
    "Customer switched to a different design; new order to follow.",
    "Credit not released within 30 days; cancelled with the customer's agreement.",
    "End customer cancelled the machine; no charge for work not started.",
]
FAIL_NOTES = [
    "Bore out of tolerance on 3 of 20 pieces (+0.04 mm); rework on the mill.",
    "Powder coat below 60 um on edges; recoat.",
    "Porosity in two corner welds found at final visual.",
    "Burrs on laser-cut edges; deburr and re-inspect.",
    "Wrong hole pattern on one part: programme revision mix-up.",
]
QUALITY_HOLD_NOTES = [
    "Complaint on the previous lot: re-check flatness before shipping.",
    "Wrong labels found on cartons at the pre-shipment audit.",
    "Material cert from the mill does not match the heat number; waiting for a corrected cert.",
]
CARRIERS = ["UPS Freight", "FedEx Freight", "Old Dominion", "Estes", "DHL Global Forwarding"]


def _check_roles() -> None:
    # Fail loudly if config/roles.py changes so that a demo actor could not fire its step.
    pairs = [*ROLE.items(), *((t, r) for t in ("hold", "resume") for r in HOLD_NOTES)]
    pairs += [("cancel", "manager"), ("close", "shipping")]
    for transition, role in pairs:
        if f"orders.{transition}_salesorder" not in ROLE_PERMISSIONS[role]:
            raise ImproperlyConfigured(f"Demo role {role} may not {transition}.")


_check_roles()


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    role: str
    note: str = ""


def plan_steps(
    target: str, rng: random.Random, *, hold_rate: float = 0.1, credit_hold: bool = False
) -> list[Step]:
    """Steps from draft to ``target``, with the detours that real orders take on the way.

    Orders of a customer on credit hold are stopped by credit as soon as they are entered.
    """
    again = {"hold_rate": hold_rate, "credit_hold": credit_hold}
    if target == S.ON_HOLD:
        stop = S.ENTERED if credit_hold else rng.choice(HOLDABLE)
        steps = plan_steps(stop, rng, **again)
        credit = credit_hold or (stop == S.ENTERED and rng.random() < 0.6)
        role = "credit" if credit else "sales"
        return [*steps, Step("hold", role, rng.choice(HOLD_NOTES[role]))]
    if target == S.QUALITY_HOLD:
        steps = plan_steps(S.PRODUCED, rng, **again)
        if rng.random() < 0.75:
            return [*steps, Step("inspect_fail", "quality", rng.choice(FAIL_NOTES))]
        note = rng.choice(QUALITY_HOLD_NOTES)
        return [*steps, Step("inspect_pass", "quality"), Step("quality_hold", "quality", note)]
    if target == S.CANCELLED:
        stops, weights = zip(*CANCELLED_FROM.items(), strict=True)
        steps = plan_steps(rng.choices(stops, weights)[0], rng, **again)
        role = "manager" if rng.random() < 0.2 else "sales"
        return [*steps, Step("cancel", role, rng.choice(CANCEL_NOTES))]
    if target == S.DRAFT:
        return []
    steps: list[Step] = []
    for name, status in HAPPY_PATH:
        steps += _happy_step(name, rng)
        if status == target:
            return steps
        credit_stop = credit_hold and status == S.ENTERED
        if status in HOLDABLE and (credit_stop or rng.random() < hold_rate):
            role = (
                "credit"
                if credit_stop
                else rng.choices(("credit", "sales", "manager"), (4, 5, 1))[0]
            )
            steps += [Step("hold", role, rng.choice(HOLD_NOTES[role])), Step("resume", role)]
        elif status == S.QUALITY_RELEASED and rng.random() < 0.03:
            note = rng.choice(QUALITY_HOLD_NOTES)
            steps += [Step("quality_hold", "quality", note), Step("quality_release", "quality")]
    raise ValueError(f"No walk to {target!r}.")


def _happy_step(name: str, rng: random.Random) -> list[Step]:
    if name == "inspect_pass" and rng.random() < 0.08:
        return [
            Step("inspect_fail", "quality", rng.choice(FAIL_NOTES)),
            Step("quality_release", "quality"),
        ]
    if name == "ship":
        return [
            Step("ship", "shipping", f"{rng.choice(CARRIERS)}, PRO {rng.randint(10**8, 10**9)}")
        ]
    if name == "close" and rng.random() < 0.3:
        return [Step("close", "shipping")]
    return [Step(name, ROLE[name])]


def _office_hours_back(moment: datetime) -> datetime:
    """The same moment, or an earlier one inside Monday-Friday 7:00-18:00."""
    if moment.hour < 7:
        moment -= timedelta(hours=14)
    elif moment.hour >= 18:
        moment -= timedelta(hours=6)
    while moment.weekday() >= 5:
        moment -= timedelta(days=1)
    return moment


def step_hours(step: Step, rng: random.Random, *, rush: bool, transit_days: int) -> float:
    if step.name == "deliver":
        return transit_days * 24 + rng.uniform(-6, 8)
    low, high = HOURS[step.name]
    hours = rng.uniform(low, high)
    return hours * 0.35 if rush and step.name in RUSH_COMPRESSED else hours


def schedule(hours: list[float], last_at: datetime) -> list[datetime]:
    """Event times, created first, counted backwards from the last event at ``last_at``."""
    moment = _office_hours_back(last_at)
    times = [moment]
    for duration in reversed(hours):
        moment = _office_hours_back(moment - timedelta(hours=duration))
        times.append(moment)
    times.reverse()
    return times


def fire(
    order: SalesOrder,
    steps: list[Step],
    times: list[datetime],
    actor_ids: dict[str, int],
    *,
    promised_date=None,
    delivered_on=None,
) -> list[dict]:
    """Fire ``steps`` on the real FSM of ``order`` and return its timeline as ``OrderEvent``
    field values (the order has no primary key yet; the caller adds ``order_id``)."""
    events = [
        {
            "kind": OrderEventKind.CREATED.value,
            "transition": "",
            "from_status": "",
            "to_status": order.status,
            "actor_id": actor_ids["sales"],
            "at": times[0],
            "note": "",
        }
    ]
    for step, at in zip(steps, times[1:], strict=True):
        before = [getattr(order, field) for field in MILESTONES]
        from_status = order.status
        if step.name == "hold":
            order.hold(reason=step.note)
        elif step.name == "acknowledge":
            order.acknowledge(promised_date=promised_date)
        elif step.name == "deliver":
            order.deliver(delivered_on=delivered_on)
        else:
            getattr(order, step.name)()
        # The transition stamped its milestone with "now"; move it to the event's time.
        for field, value in zip(MILESTONES, before, strict=True):
            if getattr(order, field) != value:
                setattr(order, field, at)
        events.append(
            {
                "kind": OrderEventKind.TRANSITION.value,
                "transition": step.name,
                "from_status": from_status,
                "to_status": order.status,
                "actor_id": actor_ids[step.role],
                "at": at,
                "note": step.note,
            }
        )
    return events
