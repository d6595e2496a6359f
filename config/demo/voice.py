"""What customers said and what went wrong after the demo's orders were delivered.

The generated history and ``config.demo.shipments`` leave delivered orders with shipments and
a few delivery reports. This adds what the manager dashboards also measure: complaints by
type, survey answers, delay notices sent before the promised date on orders that turned out
late, accepted and rejected change requests (some of which moved the promise), backorders
shipped in a second shipment, and nonconformances found at final inspection.

Every decision is drawn from a random stream of its own per order (the seed and the order
number), and each kind of row is only added to an order that has none, so a second run adds
nothing and the same seed gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from core import clock
from orders.states import OrderStatus

DELIVERED = (OrderStatus.DELIVERED, OrderStatus.CLOSED)
COMPLAINT_TEXT = {
    "late": [
        "The parts arrived after our line had to stop; we need the promised dates kept.",
        "Delivered a week after the date on the acknowledgment.",
    ],
    "damage": [
        "Two housings with dents on the flange face; the pallet wrap was torn.",
        "Corner of the crate crushed, three pieces scratched.",
    ],
    "quality": [
        "Bore diameter at the top of the tolerance on several pieces; please check your gauge.",
        "Burrs left on the cut edges of some panels.",
    ],
    "documentation": [
        "The certificate of conformance was missing from the shipment.",
        "Packing list quantities did not match our PO line numbers.",
    ],
    "other": [
        "Invoice sent to the wrong address again.",
        "Our receiving dock was not told the delivery window.",
    ],
}
SURVEY_COMMENTS = {
    5: ["Great job, as always.", "On time and well packed.", ""],
    4: ["Good, but the tracking link came late.", "Fine.", ""],
    3: ["Parts OK, communication could be better.", ""],
    2: ["We had to chase you for the date.", ""],
    1: ["Not acceptable: we found out about the delay ourselves.", ""],
}
NONCONFORMANCES = [
    "Surface finish Ra 3.2 where 1.6 is specified on two pieces.",
    "Weld bead undercut on one frame corner.",
    "Hole pattern 0.3 mm off position on the first article.",
]
CHANGE_REASONS = {
    "date": "Our own line start moved; please deliver later.",
    "quantity": "Forecast went up; we need more pieces on this order.",
    "rejected": "Could you add a second colour option to the same order?",
}
COMPLAINT_CHANCE = {"failed": 0.22, "fine": 0.03}
SURVEY_CHANCE = 0.45
NOTICE_CHANCE = 2 / 3
CHANGE_CHANCE = 0.06
BACKORDER_CHANCE = 0.08
NONCONFORMANCE_CHANCE = 0.04


def _stream(seed: int, order, purpose: str) -> random.Random:
    """The random stream of one decision about one order (stable across runs)."""
    return random.Random(f"{seed}:{order.number}:{purpose}")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _before_now(moment: dt.datetime, now: dt.datetime) -> bool:
    return moment < now


@transaction.atomic
def seed_customer_voice(*, seed: int, users: dict) -> dict[str, int]:
    """Add the customer voice and after-delivery facts to delivered demo orders; returns
    how many rows of each kind were created (all zero on a second run)."""
    from fulfillment.models import (
        Backorder,
        BackorderStatus,
        DeliveryReport,
        Disposition,
        Nonconformance,
        NonconformanceStatus,
        PackageContent,
        Shipment,
        ShipmentStatus,
    )
    from orders.models import (
        ChangeRequest,
        ChangeRequestStatus,
        Complaint,
        Contact,
        MessageKind,
        MessageStatus,
        OrderEvent,
        OrderEventKind,
        OrderRevision,
        OutboxMessage,
        SalesOrder,
        SurveyAnswer,
    )
    from scheduling.numbering import number_next

    now = clock.now()
    created = dict.fromkeys(
        ("complaints", "surveys", "notices", "changes", "backorders", "nonconformances"), 0
    )
    orders = list(
        SalesOrder.objects.filter(status__in=DELIVERED, actual_delivery_date__isnull=False)
        .select_related("customer")
        .prefetch_related("lines", "shipments__packages__contents")
        .order_by("number")
    )
    ids = [order.pk for order in orders]
    contacts: dict[int, Contact] = {}
    for contact in Contact.objects.order_by("-is_primary", "pk"):
        contacts.setdefault(contact.customer_id, contact)

    def with_any(model, **filters) -> set[int]:
        rows = model.objects.filter(order_id__in=ids, **filters)
        return set(rows.values_list("order", flat=True))

    has = {
        "complaint": with_any(Complaint),
        "survey": with_any(SurveyAnswer),
        "notice": with_any(OutboxMessage, kind=MessageKind.DELAY_NOTICE),
        "change": with_any(ChangeRequest),
        "backorder": with_any(Backorder),
        "nonconformance": with_any(Nonconformance),
    }
    reported = with_any(DeliveryReport)
    repromises = {
        event.order_id: event
        for event in OrderEvent.objects.filter(
            order_id__in=ids, kind=OrderEventKind.REPROMISE
        ).order_by("at")
    }
    for order in orders:
        delivered_on = order.actual_delivery_date
        delivered_at = order.delivered_at or _at(delivered_on, 14)
        first_promise = order.first_promised_date or order.promised_date
        late = first_promise is not None and delivered_on > first_promise
        contact = contacts.get(order.customer_id)
        shipments = sorted(order.shipments.all(), key=lambda shipment: shipment.sequence)
        lines = sorted(order.lines.all(), key=lambda line: line.line_no)

        # Delay notices: about two thirds of the late orders were told before the date.
        rng = _stream(seed, order, "notice")
        if late and order.pk not in has["notice"] and rng.random() < NOTICE_CHANCE:
            told_on = first_promise - dt.timedelta(days=rng.randint(2, 8))
            acknowledged = order.acknowledged_at or order.created_at
            sent_at = max(_at(told_on, 9), acknowledged + dt.timedelta(hours=4))
            if timezone.localdate(sent_at) < first_promise and _before_now(sent_at, now):
                OutboxMessage.objects.create(
                    order=order,
                    kind=MessageKind.DELAY_NOTICE,
                    recipients=[contact.email] if contact else [],
                    subject=f"{order.number}: your delivery will be late",
                    body=(
                        f"We are sorry: {order.number} will not arrive on "
                        f"{first_promise:%a %-d %b %Y}. We will confirm the new date as soon "
                        "as the plan allows."
                    ),
                    status=MessageStatus.SENT,
                    attempts=1,
                    created_at=sent_at - dt.timedelta(minutes=5),
                    sent_at=sent_at,
                )
                created["notices"] += 1

        # Complaints: mostly about orders that already went wrong.
        rng = _stream(seed, order, "complaint")
        failed = late or order.pk in reported
        chance = COMPLAINT_CHANCE["failed" if failed else "fine"]
        if order.pk not in has["complaint"] and rng.random() < chance:
            if late and rng.random() < 0.6:
                kind = "late"
            elif order.pk in reported and rng.random() < 0.6:
                kind = "damage"
            else:
                kind = rng.choice(["quality", "documentation", "other", "quality"])
            complained_at = delivered_at + dt.timedelta(days=rng.randint(1, 9), hours=2)
            if _before_now(complained_at, now):
                Complaint.objects.create(
                    order=order,
                    contact=contact,
                    complaint_type=kind,
                    text=rng.choice(COMPLAINT_TEXT[kind]),
                    created_by=users["sales"],
                    created_at=complained_at,
                )
                created["complaints"] += 1

        # Survey answers: four in ten customers answer; late or damaged orders score lower.
        rng = _stream(seed, order, "survey")
        if contact and order.pk not in has["survey"] and rng.random() < SURVEY_CHANCE:
            score = rng.choices([5, 4, 3, 2, 1], weights=[52, 33, 9, 4, 2])[0]
            if failed:
                score = max(score - rng.choice([0, 1, 1, 2]), 1)
            answered_at = delivered_at + dt.timedelta(days=rng.randint(2, 12), hours=3)
            if _before_now(answered_at, now):
                SurveyAnswer.objects.create(
                    order=order,
                    contact=contact,
                    score=score,
                    comment=rng.choice(SURVEY_COMMENTS[score]),
                    created_at=answered_at,
                )
                created["surveys"] += 1

        # Change requests: a later date (the re-promise it caused), more pieces, or refused.
        rng = _stream(seed, order, "change")
        repromise = repromises.get(order.pk)
        wants_change = rng.random() < (0.5 if repromise else CHANGE_CHANCE)
        acknowledged = order.acknowledged_at
        if order.pk not in has["change"] and wants_change and acknowledged and lines:
            created["changes"] += _change_request(
                rng,
                order,
                lines,
                repromise,
                users,
                ChangeRequest,
                ChangeRequestStatus,
                OrderRevision,
            )

        # Backorders: a closed order whose last line was short on the first shipment.
        rng = _stream(seed, order, "backorder")
        first = shipments[0] if shipments else None
        if (
            order.status == OrderStatus.CLOSED
            and first is not None
            and len(shipments) == 1
            and order.pk not in has["backorder"]
            and rng.random() < BACKORDER_CHANCE
        ):
            line = lines[-1]
            short = (line.quantity * Decimal(rng.choice(["0.2", "0.25", "0.4"]))).quantize(
                Decimal("1"), rounding=ROUND_DOWN
            )
            content = next(
                (
                    content
                    for package in first.packages.all()
                    for content in package.contents.all()
                    if content.line_id == line.pk
                ),
                None,
            )
            if short >= 1 and content is not None and content.quantity > short:
                content.quantity -= short
                content.save(update_fields=["quantity"])
                shipped_at = (first.shipped_at or delivered_at) + dt.timedelta(
                    days=rng.randint(4, 9)
                )
                second = Shipment.objects.create(
                    number=number_next(prefix="SH"),
                    order=order,
                    sequence=2,
                    status=ShipmentStatus.DELIVERED,
                    carrier=first.carrier,
                    service=first.service,
                    tracking_number=f"{first.tracking_number[:2]}{rng.randrange(10**9, 10**10)}",
                    created_at=shipped_at - dt.timedelta(hours=6),
                    created_by=users["shipping"],
                    packed_at=shipped_at - dt.timedelta(hours=3),
                    shipped_at=shipped_at,
                    shipped_by=users["shipping"],
                    delivered_at=shipped_at + dt.timedelta(days=2),
                    received_by=first.received_by or "Receiving",
                    pod_source="carrier",
                )
                package = second.packages.create(
                    number=1,
                    packaging="Carton",
                    length_cm=Decimal("60"),
                    width_cm=Decimal("40"),
                    height_cm=Decimal("35"),
                    weight_kg=Decimal("12"),
                )
                PackageContent.objects.create(package=package, line=line, quantity=short)
                Backorder.objects.create(
                    order=order,
                    line=line,
                    quantity=short,
                    status=BackorderStatus.SHIPPED,
                    created_at=first.shipped_at or delivered_at,
                    shipment=second,
                    closed_at=shipped_at,
                    note="Material for the last pieces arrived after the first shipment.",
                )
                created["backorders"] += 1

        # Nonconformances found at final inspection and reworked before shipping.
        rng = _stream(seed, order, "nonconformance")
        if order.pk not in has["nonconformance"] and rng.random() < NONCONFORMANCE_CHANCE:
            found_at = (order.shipped_at or delivered_at) - dt.timedelta(days=rng.randint(1, 3))
            Nonconformance.objects.create(
                order=order,
                description=rng.choice(NONCONFORMANCES),
                disposition=Disposition.REWORK,
                status=NonconformanceStatus.CLOSED,
                created_at=found_at,
                decided_by=users["quality"],
                decided_at=found_at + dt.timedelta(hours=5),
                decision_note="Reworked and re-inspected; passed.",
            )
            created["nonconformances"] += 1
    return created


def _change_request(
    rng, order, lines, repromise, users, ChangeRequest, ChangeRequestStatus, OrderRevision
) -> int:
    """One decided change request on ``order`` (and its revision if accepted); returns 1."""
    sales = users["sales"]
    acknowledged = order.acknowledged_at
    if repromise is not None:
        # The re-promise came with the customer's own request for a later date.
        old, new = (repromise.data or {}).get("from"), (repromise.data or {}).get("to")
        requested_at = repromise.at - dt.timedelta(days=1)
        requested_at = max(requested_at, acknowledged + dt.timedelta(hours=1))
        change = ChangeRequest.objects.create(
            order=order,
            requested_by=sales,
            requested_at=requested_at,
            reason=CHANGE_REASONS["date"],
            new_date=dt.date.fromisoformat(new) if new else None,
            summary=f"Deliver on {new} instead of {old}.",
            status=ChangeRequestStatus.ACCEPTED,
            analysis_started_at=requested_at,
            analysed_at=requested_at + dt.timedelta(minutes=2),
            decided_by=sales,
            decided_at=repromise.at,
            decision_note="Accepted; the plan moves with the customer's date.",
        )
        OrderRevision.objects.create(
            order=order,
            number=1,
            change_request=change,
            actor=sales,
            created_at=repromise.at,
            diff={"requested_date": [old, new], "promised_date": [old, new]},
        )
        return 1
    until = order.shipped_at or order.delivered_at or acknowledged + dt.timedelta(days=3)
    requested_at = acknowledged + (until - acknowledged) * rng.uniform(0.1, 0.5)
    decided_at = requested_at + dt.timedelta(hours=rng.randint(3, 30))
    if rng.random() < 0.3:
        ChangeRequest.objects.create(
            order=order,
            requested_by=sales,
            requested_at=requested_at,
            reason=CHANGE_REASONS["rejected"],
            summary="Add a second colour option.",
            status=ChangeRequestStatus.REJECTED,
            analysis_started_at=requested_at,
            analysed_at=requested_at + dt.timedelta(minutes=2),
            decided_by=sales,
            decided_at=decided_at,
            decision_note="Not on this order: a new order keeps this one's date.",
        )
        return 1
    line = lines[0]
    before = line.quantity - max((line.quantity * Decimal("0.2")).quantize(Decimal("1")), 1)
    if before <= 0:
        return 0
    change = ChangeRequest.objects.create(
        order=order,
        requested_by=sales,
        requested_at=requested_at,
        reason=CHANGE_REASONS["quantity"],
        quantities={str(line.line_no): str(line.quantity)},
        summary=f"Line {line.line_no}: {before.normalize()} → {line.quantity.normalize()} pieces.",
        status=ChangeRequestStatus.ACCEPTED,
        analysis_started_at=requested_at,
        analysed_at=requested_at + dt.timedelta(minutes=2),
        decided_by=sales,
        decided_at=decided_at,
        decision_note="Accepted within the promised date.",
    )
    OrderRevision.objects.create(
        order=order,
        number=1,
        change_request=change,
        actor=sales,
        created_at=decided_at,
        diff={
            "lines": {
                str(line.line_no): {
                    "quantity": [f"{before.normalize():f}", f"{line.quantity.normalize():f}"]
                }
            }
        },
    )
    return 1
