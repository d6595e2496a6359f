"""One demo order at a time: who ordered what, which way it went, and the dates it promised."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from config.demo.lifecycle import Step, fire, plan_steps, schedule, step_hours
from config.demo.spec_templates import spec_values
from orders.models import OrderEventKind, SalesOrder
from orders.specs import spec_errors
from orders.states import PROMISED, OrderStatus, OrderType, Priority
from scheduling.engine.calendar import receiving_day

S = OrderStatus
DAY = timedelta(days=1)

# Days in transit from the plant (Midwest) to a ship-to region.
TRANSIT_DAYS = {"Midwest": 2, "Northeast": 3, "South": 3, "West": 4, "Canada-East": 4}
TRANSIT_ABROAD = {"Mexico": 6, "Europe": 12}
ORDER_TYPES = {
    OrderType.STANDARD: 55,
    OrderType.CUSTOM: 20,
    OrderType.RUSH: 10,
    OrderType.BLANKET_RELEASE: 15,
}
PRIORITIES = {
    OrderType.STANDARD: {Priority.HIGH: 15, Priority.NORMAL: 75, Priority.LOW: 10},
    OrderType.CUSTOM: {Priority.HIGH: 30, Priority.NORMAL: 70},
    OrderType.BLANKET_RELEASE: {Priority.NORMAL: 70, Priority.LOW: 30},
}
# Hours an order has been sitting in its current state (low, high); closed and cancelled
# orders may have finished any time in the window.
IDLE_HOURS = {
    S.DRAFT: (2, 72),
    S.ENTERED: (1, 48),
    S.VALIDATED: (1, 60),
    S.ON_HOLD: (20, 260),
    S.ACKNOWLEDGED: (2, 96),
    S.PLANNED: (4, 120),
    S.RELEASED: (8, 150),
    S.IN_PRODUCTION: (4, 140),
    S.PRODUCED: (2, 48),
    S.QUALITY_HOLD: (8, 120),
    S.QUALITY_RELEASED: (2, 40),
    S.PACKED: (1, 30),
    S.SHIPPED: (2, 50),
    S.DELIVERED: (4, 300),
}
# Typical days still to go before an open order can ship.
DAYS_TO_SHIP = {
    S.ACKNOWLEDGED: 22,
    S.PLANNED: 19,
    S.RELEASED: 14,
    S.IN_PRODUCTION: 9,
    S.PRODUCED: 5,
    S.QUALITY_HOLD: 7,
    S.QUALITY_RELEASED: 3,
    S.PACKED: 1,
}
QUANTITIES = {
    "Brackets": (50, 100, 200, 250, 500, 1000),
    "Sheet-metal panels": (10, 20, 25, 50, 100, 200),
    "Enclosures": (2, 4, 5, 10, 12, 20),
    "Shafts": (5, 10, 12, 20, 24, 50),
    "Flanges": (4, 8, 10, 16, 24, 40),
    "Machined housings": (2, 4, 6, 10, 20),
    "Welded frames": (1, 2, 3, 4, 6),
}
REPROMISE_NOTES = [
    "4140 bar from the mill arrives nine days late; new date agreed with the customer.",
    "Paint line down for oven repair; revised date sent.",
    "CNC milling overloaded after two rush orders; customer accepted the new date.",
    "Customer added quantity to the order; new date agreed.",
    "First article rejected by the customer; remake needs another week.",
]


@dataclass
class Context:
    """Everything orders are drawn from, loaded once per run."""

    actor_ids: dict  # role -> id of its demo user
    customers: list
    ship_tos: dict  # customer pk -> ship-to addresses
    standard: list
    configurable: list
    now: datetime
    window_days: int
    check_specs: bool = True
    weights: list = field(init=False)
    held: list = field(init=False)

    def __post_init__(self) -> None:
        # Bigger accounts order more often.
        self.weights = [float(customer.credit_limit) for customer in self.customers]
        self.held = [customer for customer in self.customers if customer.credit_hold]


@dataclass
class Plan:
    customer: object
    ship_to: object
    order_type: str
    transit_days: int
    steps: list[Step]
    times: list[datetime]


def plan_order(rng: random.Random, target: str, ctx: Context) -> Plan:
    """Customer, type and timed walk of one order (cheap: decides its creation time)."""
    customer = rng.choices(ctx.customers, ctx.weights)[0]
    if target == S.ON_HOLD and ctx.held and rng.random() < 0.5:
        customer = rng.choice(ctx.held)
    order_type = rng.choices(list(ORDER_TYPES), list(ORDER_TYPES.values()))[0]
    ship_to = rng.choice(ctx.ship_tos[customer.pk])
    region = ship_to.region
    transit = TRANSIT_ABROAD.get(region) or TRANSIT_DAYS.get(region, 5) + rng.randint(-1, 1)
    steps = plan_steps(target, rng, hold_rate=0.08, credit_hold=customer.credit_hold)
    rush = order_type == OrderType.RUSH
    hours = [step_hours(step, rng, rush=rush, transit_days=transit) for step in steps]
    if target in IDLE_HOURS:
        idle = rng.uniform(*IDLE_HOURS[target])
    else:
        idle = rng.uniform(2, max(2.0, ctx.window_days * 24 - sum(hours)))
    times = schedule(hours, ctx.now - timedelta(hours=idle))
    return Plan(customer, ship_to, order_type, transit, steps, times)


def _customer_po(rng: random.Random, plan: Plan, index: int) -> str:
    if plan.order_type == OrderType.BLANKET_RELEASE:
        return f"BPO-{4100 + index} REL {rng.randint(1, 36):02d}"
    if not plan.steps and rng.random() < 0.3:
        return ""  # a draft keyed in from a phone call, before the PO arrives
    style = rng.randrange(3)
    if style == 0:
        return f"45{rng.randrange(10**7, 10**8)}"
    if style == 1:
        return f"PO-{rng.randrange(10000, 99999)}"
    return f"{plan.customer.code[2:5]}{rng.randrange(100000, 999999)}"


def _lines(rng: random.Random, plan: Plan, ctx: Context) -> tuple[list[dict], int]:
    """Field values of the order's lines and the longest lead time among them."""
    count = rng.randint(1, 4)
    custom = plan.order_type == OrderType.CUSTOM
    products = rng.sample(ctx.configurable if custom else ctx.standard, count)
    lines = []
    for line_no, product in enumerate(products, start=1):
        quantities = QUANTITIES[product.family]
        quantity = rng.choice(quantities[:3] if custom else quantities)
        price = product.price
        if plan.order_type == OrderType.BLANKET_RELEASE:
            price = (price * Decimal("0.95")).quantize(Decimal("0.01"))
        specs = spec_values(product.spec_template, rng, fill_all=product.is_configurable)
        if ctx.check_specs:
            errors = spec_errors(product.spec_template, specs, require_all=product.is_configurable)
            if errors:
                raise ValueError(f"Demo specs for {product.sku} are invalid: {errors}")
        lines.append(
            {
                "line_no": line_no,
                "product_id": product.pk,
                "quantity": Decimal(quantity),
                "unit": product.unit,
                "unit_price": price,
                "specs": specs,
                "requested_date": None,
                "promised_date": None,
            }
        )
    return lines, max(product.lead_time_days for product in products)


@dataclass
class Dates:
    requested: date
    first_promised: date | None = None
    promised: date | None = None
    projected: date | None = None
    actual: date | None = None
    repromised_at: datetime | None = None


def _dates(rng: random.Random, plan: Plan, status: str, lead_days: int, ctx: Context) -> Dates:
    """Requested, promised, projected and actual dates that tell the order's story."""
    today = ctx.now.date()
    created = plan.times[0].date()
    quoted = lead_days * 7 // 5 // (2 if plan.order_type == OrderType.RUSH else 1)
    names = [step.name for step in plan.steps]
    if "acknowledge" not in names:
        requested = created + DAY * (quoted + rng.randint(-3, 10))
        return Dates(requested=max(requested, created + DAY))
    ack_at = plan.times[names.index("acknowledge") + 1]
    ack = ack_at.date()
    dates = Dates(requested=created)
    if "deliver" in names:
        dates.actual = plan.times[names.index("deliver") + 1].date()
        # A plant on its way to world class: about one delivery in twenty is late.
        late = rng.random() < 0.05
        promised = dates.actual + DAY * (-rng.randint(1, 8) if late else rng.randint(0, 5))
    elif status in PROMISED:
        if status == S.SHIPPED:
            shipped = plan.times[names.index("ship") + 1].date()
            dates.projected = max(shipped + DAY * plan.transit_days, today)
        else:
            to_ship = DAYS_TO_SHIP[status] * rng.uniform(0.6, 1.3)
            if plan.order_type == OrderType.RUSH:
                to_ship /= 2
            dates.projected = today + DAY * (max(1, round(to_ship)) + plan.transit_days)
        roll = rng.random()
        if roll < 0.18:  # late: the plan cannot make the promise any more
            promised = dates.projected - DAY * rng.randint(1, 10)
        elif roll < 0.32:  # at risk: two days of slack or less
            promised = dates.projected + DAY * rng.randint(0, 2)
        else:
            promised = dates.projected + DAY * rng.randint(3, 14)
    else:  # cancelled after the acknowledgment
        promised = ack + DAY * (quoted + rng.randint(0, 7))
    # Promises land on weekdays, as the quote makes them.
    dates.promised = dates.first_promised = receiving_day(max(promised, ack + 2 * DAY))
    # Re-promises: common on open orders (the at-risk story), rare on delivered ones.
    if rng.random() < (0.04 if dates.actual else 0.12):
        earlier = receiving_day(max(dates.promised - DAY * rng.randint(4, 14), ack + DAY))
        if earlier < dates.promised:
            dates.first_promised = earlier
            until = plan.times[-1] if plan.times[-1] > ack_at else ctx.now
            dates.repromised_at = ack_at + (until - ack_at) * rng.uniform(0.2, 0.8)
    # Customers often ask for sooner than we can promise; we never promise before the request.
    shortfall = rng.randint(1, 10) if rng.random() < 0.45 else 0
    dates.requested = max(dates.first_promised - DAY * shortfall, created + DAY)
    return dates


def build_order(
    rng: random.Random, plan: Plan, target: str, ctx: Context, number: str
) -> tuple[SalesOrder, list[dict], list[dict]]:
    """An unsaved order, exactly as the FSM leaves it, with field values of its lines and
    timeline events (they get their ``order_id`` once the order is inserted)."""
    lines, lead_days = _lines(rng, plan, ctx)
    dates = _dates(rng, plan, target, lead_days, ctx)
    order_type = plan.order_type
    if order_type == OrderType.RUSH:
        priority = Priority.RUSH
    else:
        weights = PRIORITIES[order_type]
        priority = rng.choices(list(weights), list(weights.values()))[0]
    sales = ctx.actor_ids["sales"]
    order = SalesOrder(
        number=number,
        customer_id=plan.customer.pk,
        order_type=order_type,
        ship_to_id=plan.ship_to.pk,
        customer_po=_customer_po(rng, plan, ctx.customers.index(plan.customer)),
        priority=priority,
        requested_date=dates.requested,
        payment_terms=plan.customer.payment_terms,
        owner_id=sales,
        created_by_id=sales,
        created_at=plan.times[0],
    )
    events = fire(
        order,
        plan.steps,
        plan.times,
        ctx.actor_ids,
        promised_date=dates.first_promised,
        delivered_on=dates.actual,
    )
    if order.status != target:
        raise ValueError(f"Walk for {target} ended in {order.status}.")
    if dates.repromised_at:
        # What a recorded re-promise does: only the current promised date moves.
        order.promised_date = dates.promised
        events.append(
            {
                "kind": OrderEventKind.REPROMISE.value,
                "transition": "",
                "from_status": "",
                "to_status": "",
                "actor_id": sales,
                "at": dates.repromised_at,
                "note": rng.choice(REPROMISE_NOTES),
                "data": {
                    "from": dates.first_promised.isoformat(),
                    "to": dates.promised.isoformat(),
                },
            }
        )
        events.sort(key=lambda event: event["at"])
    order.projected_delivery_date = dates.projected
    if len(lines) > 1 and rng.random() < 0.06:
        # The customer wants the last line later than the rest of the order.
        later = DAY * rng.randint(7, 21)
        lines[-1]["requested_date"] = dates.requested + later
        if order.promised_date:
            lines[-1]["promised_date"] = order.promised_date + later
    return order, lines, events
