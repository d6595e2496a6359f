"""After the goods leave: carrier tracking, proof of delivery, delivery reports, closing.

An order is *delivered* when its first shipment is; it *closes* when the customer accepts
it, or by itself after ``OrderPolicy.auto_close_days`` without a report, and in both cases
only once nothing is left open: every shipment delivered, no open backorder, no open report.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core import clock
from fulfillment.models import (
    BackorderStatus,
    Carrier,
    DeliveryReport,
    ReportKind,
    ReportResolution,
    ReportStatus,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
    TrackingEventCode,
    WebhookAttempt,
)
from fulfillment.models.shipping import PodSource
from orders.errors import OrderError
from orders.models import (
    Complaint,
    DeliveryAcceptance,
    MessageKind,
    OrderEventKind,
    OrderPolicy,
    SalesOrder,
)
from orders.services.feedback import delivery_accept
from orders.services.lifecycle import order_event_record, order_transition
from orders.services.outbox import outbox_enqueue
from orders.services.payments import credit_note_issue
from orders.services.replacements import order_replacement_create
from orders.states import OrderStatus

logger = logging.getLogger(__name__)

# A signed call older (or further in the future) than this is refused as a replay.
WEBHOOK_TOLERANCE = timedelta(minutes=5)
WEBHOOK_MAX_BYTES = 64 * 1024
SIGNATURE_HEADER = "X-Ordercraft-Signature"
TIMESTAMP_HEADER = "X-Ordercraft-Timestamp"


# Proof of delivery and tracking events


def _deliver_order_if_first(*, shipment: Shipment, actor: AbstractBaseUser | None) -> None:
    """The order is delivered when its first shipment is (backorders follow on their own)."""
    order = shipment.order
    if shipment.is_backorder or order.status != OrderStatus.SHIPPED:
        return
    order_transition(
        order_id=order.pk,
        transition="deliver",
        actor=actor,
        # The carrier's scan delivers the order; no person's permission is involved.
        check_permission=actor is not None,
        note=f"Delivered, received by {shipment.received_by}.",
        delivered_on=timezone.localdate(shipment.delivered_at),
    )


@transaction.atomic
def shipment_deliver(
    *,
    shipment_id: int,
    actor: AbstractBaseUser | None,
    received_by: str,
    delivered_at: datetime | None = None,
    note: str = "",
    pod_file: UploadedFile | None = None,
    source: str = PodSource.MANUAL,
) -> Shipment:
    """Record the proof of delivery of a shipped shipment and tell the customer.

    ``actor`` is None when the carrier's tracking confirms it; by hand it is a shipping user.
    """
    shipment = (
        Shipment.objects.select_for_update(of=("self",))
        .select_related("order", "carrier")
        .get(pk=shipment_id)
    )
    if actor is not None and not actor.has_perm("orders.deliver_salesorder"):
        raise PermissionDenied
    if shipment.status == ShipmentStatus.DELIVERED:
        raise OrderError(f"{shipment.number} is already delivered.")
    if shipment.status != ShipmentStatus.SHIPPED:
        raise OrderError(f"{shipment.number} has not shipped yet.")
    received_by = received_by.strip()
    if not received_by:
        raise OrderError("Enter who received the goods (the name on the proof of delivery).")
    now = clock.now()
    delivered_at = delivered_at or now
    if delivered_at > now + timedelta(minutes=5):
        raise OrderError("The delivery time cannot be in the future.")
    if shipment.shipped_at:
        # Times are entered to the minute: within the minute it left is not "before".
        if delivered_at < shipment.shipped_at.replace(second=0, microsecond=0):
            raise OrderError("The delivery time is before the shipment left.")
        delivered_at = max(delivered_at, shipment.shipped_at)
    shipment.status = ShipmentStatus.DELIVERED
    shipment.delivered_at = delivered_at
    shipment.received_by = received_by[:120]
    shipment.pod_source = source
    shipment.pod_note = note.strip()[:200]
    if pod_file is not None:
        shipment.pod_file.save(f"{shipment.number}-pod-{pod_file.name}", pod_file, save=False)
    shipment.save()
    order_event_record(
        order=shipment.order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"{shipment.number} delivered {delivered_at:%a %d %b %Y %H:%M}, received by "
        f"{shipment.received_by}"
        + (" (carrier tracking)" if source == PodSource.CARRIER else "")
        + (f": {shipment.pod_note}" if shipment.pod_note else "."),
        data={"shipment": shipment.pk, "pod_source": source},
    )
    _deliver_order_if_first(shipment=shipment, actor=actor)
    order = SalesOrder.objects.get(pk=shipment.order_id)
    open_backorders = list(
        order.backorders.filter(status=BackorderStatus.OPEN).select_related("line__product")
    )
    outbox_enqueue(
        order=order,
        kind=MessageKind.DELIVERED,
        context={
            "shipment": shipment,
            "open_backorders": open_backorders,
            "auto_close_days": OrderPolicy.current().auto_close_days,
        },
    )
    order_close_if_settled(order=order, actor=actor)
    return shipment


@dataclass(frozen=True)
class TrackingInput:
    external_id: str
    code: str
    occurred_at: datetime
    location: str = ""
    description: str = ""
    signed_by: str = ""


@transaction.atomic
def tracking_event_record(
    *, shipment_id: int, event: TrackingInput, actor: AbstractBaseUser | None = None
) -> TrackingEvent:
    """Add a tracking event; a "delivered" scan is the proof of delivery.

    The same event id twice is a replay: refused with ``OrderError``, nothing changes.
    """
    shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
    if actor is not None and not actor.has_perm("fulfillment.add_trackingevent"):
        raise PermissionDenied
    if shipment.status not in (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED):
        raise OrderError(f"{shipment.number} has not shipped yet.")
    if event.code not in TrackingEventCode.values:
        raise OrderError(f"Unknown tracking event '{event.code}'.")
    if event.occurred_at > clock.now() + WEBHOOK_TOLERANCE:
        raise OrderError("The event time cannot be in the future.")
    try:
        with transaction.atomic():
            tracking_event = TrackingEvent.objects.create(
                shipment=shipment,
                external_id=event.external_id[:100],
                code=event.code,
                occurred_at=event.occurred_at,
                location=event.location.strip()[:120],
                description=event.description.strip()[:200],
                signed_by=event.signed_by.strip()[:120],
                entered_by=actor,
            )
    except IntegrityError as exc:
        raise OrderError(f"Event {event.external_id} was already received.") from exc
    if event.code == TrackingEventCode.EXCEPTION:
        order_event_record(
            order=shipment.order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note=f"Carrier reports a delivery exception on {shipment.number}: "
            f"{tracking_event.description or 'no details'}",
            data={"shipment": shipment.pk, "tracking_event": tracking_event.pk},
        )
    if event.code == TrackingEventCode.DELIVERED and shipment.status == ShipmentStatus.SHIPPED:
        shipment_deliver(
            shipment_id=shipment.pk,
            actor=actor,
            received_by=tracking_event.signed_by or "Left as instructed (carrier scan)",
            delivered_at=event.occurred_at,
            source=PodSource.CARRIER if actor is None else PodSource.MANUAL,
        )
    return tracking_event


# The carrier webhook


class WebhookRefused(Exception):
    """A webhook call that is not taken; ``status`` is the HTTP answer."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """What a carrier sends in the signature header: HMAC-SHA256 of ``timestamp.body``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def _verify(*, carrier: Carrier, body: bytes, timestamp: str, signature: str) -> None:
    if not carrier.webhook_secret:
        raise WebhookRefused("No webhook secret is set for this carrier.", 403)
    expected = webhook_signature(secret=carrier.webhook_secret, timestamp=timestamp, body=body)
    if not hmac.compare_digest(expected, signature or ""):
        raise WebhookRefused("Bad signature.", 401)
    try:
        sent_at = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise WebhookRefused("Bad timestamp.", 400) from exc
    if abs(clock.now() - sent_at) > WEBHOOK_TOLERANCE:
        raise WebhookRefused("Timestamp outside the accepted window (replay?).", 409)


def _parse(body: bytes) -> tuple[str, TrackingInput]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookRefused("Malformed JSON.", 400) from exc
    if not isinstance(payload, dict):
        raise WebhookRefused("Expected a JSON object.", 400)
    fields = {}
    for name in ("event_id", "tracking_number", "code", "occurred_at"):
        value = payload.get(name)
        if not isinstance(value, str) or not value.strip():
            raise WebhookRefused(f"Missing or invalid field '{name}'.", 400)
        fields[name] = value.strip()
    optional = {}
    for name in ("location", "description", "signed_by"):
        value = payload.get(name, "")
        if not isinstance(value, str):
            raise WebhookRefused(f"Field '{name}' must be text.", 400)
        optional[name] = value
    try:
        occurred_at = parse_datetime(fields["occurred_at"])
    except ValueError:
        occurred_at = None
    if occurred_at is None or timezone.is_naive(occurred_at):
        raise WebhookRefused("occurred_at must be an ISO 8601 time with its offset.", 400)
    if fields["code"] not in TrackingEventCode.values:
        raise WebhookRefused(f"Unknown event code '{fields['code'][:40]}'.", 422)
    event = TrackingInput(
        external_id=fields["event_id"][:100],
        code=fields["code"],
        occurred_at=occurred_at,
        **optional,
    )
    return fields["tracking_number"][:60], event


def _excerpt(body: bytes) -> str:
    # PostgreSQL text cannot hold NUL characters; garbage bodies may.
    return body[:2000].decode("utf-8", errors="replace").replace("\x00", "\ufffd")


def carrier_webhook_receive(
    *,
    carrier_code: str,
    body: bytes,
    timestamp: str,
    signature: str,
    remote_addr: str | None = None,
) -> tuple[int, str]:
    """Take one signed tracking event from a carrier; every call is logged, none raises.

    Returns the HTTP status and a short answer: 200 taken; 400 malformed; 401/403 bad or
    missing signature; 404 unknown carrier; 409 replay (old timestamp or same event id);
    413 too large; 422 unknown tracking number or event code.
    """
    carrier = Carrier.objects.filter(code=carrier_code, active=True).first()
    try:
        if carrier is None:
            raise WebhookRefused("Unknown carrier.", 404)
        if len(body) > WEBHOOK_MAX_BYTES:
            raise WebhookRefused("Body too large.", 413)
        _verify(carrier=carrier, body=body, timestamp=timestamp, signature=signature)
        tracking_number, event = _parse(body)
        shipment = Shipment.objects.filter(
            carrier=carrier,
            tracking_number=tracking_number,
            status__in=(ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED),
        ).first()
        if shipment is None:
            raise WebhookRefused(f"No shipment with tracking number {tracking_number}.", 422)
        try:
            tracking_event_record(shipment_id=shipment.pk, event=event)
        except OrderError as exc:
            replay = TrackingEvent.objects.filter(
                shipment=shipment, external_id=event.external_id
            ).exists()
            raise WebhookRefused(str(exc), 409 if replay else 422) from exc
    except WebhookRefused as refused:
        logger.warning(
            "Carrier webhook refused (%s, from %s): %s", carrier_code, remote_addr, refused.reason
        )
        WebhookAttempt.objects.create(
            carrier=carrier,
            accepted=False,
            reason=refused.reason[:200],
            remote_addr=remote_addr,
            body_excerpt=_excerpt(body),
        )
        return refused.status, refused.reason
    WebhookAttempt.objects.create(
        carrier=carrier,
        accepted=True,
        reason=f"{event.code} for {tracking_number}",
        remote_addr=remote_addr,
        body_excerpt=_excerpt(body),
    )
    return 200, "accepted"


# Delivery reports (damage, shortage, discrepancies)


@transaction.atomic
def delivery_report_create(
    *,
    order_id: int,
    actor: AbstractBaseUser,
    kind: str,
    description: str,
    shipment_id: int | None = None,
    line_id: int | None = None,
    quantity: Decimal | None = None,
    complaint_id: int | None = None,
) -> DeliveryReport:
    """Record damage or a discrepancy found at delivery; the order stays open until resolved."""
    if not actor.has_perm("fulfillment.add_deliveryreport"):
        raise PermissionDenied
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if order.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        raise OrderError(
            f"{order.number} is {order.get_status_display().lower()}: "
            "reports are for shipped or delivered orders."
        )
    if kind not in ReportKind.values:
        raise OrderError("Choose what is wrong: damage, shortage, wrong item, documents, other.")
    description = description.strip()
    if not description:
        raise OrderError("Describe what was found.")
    shipment = None
    if shipment_id is not None:
        shipment = order.shipments.filter(pk=shipment_id).first()
        if shipment is None:
            raise OrderError("That shipment is not part of this order.")
    line = None
    if line_id is not None:
        line = order.lines.filter(pk=line_id).first()
        if line is None:
            raise OrderError("That line is not on this order.")
    if quantity is not None and (quantity <= 0 or (line and quantity > line.quantity)):
        raise OrderError("The quantity must be more than zero and at most the line's quantity.")
    complaint = None
    if complaint_id is not None:
        complaint = Complaint.objects.filter(pk=complaint_id, order=order).first()
        if complaint is None:
            raise OrderError("That complaint is not about this order.")
    report = DeliveryReport.objects.create(
        order=order,
        shipment=shipment,
        kind=kind,
        line=line,
        quantity=quantity,
        description=description,
        reported_by=actor,
        complaint=complaint,
    )
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"{report.number} {report.get_kind_display().lower()} reported: {description}",
        data={"delivery_report": report.pk},
    )
    return report


@transaction.atomic
def delivery_report_resolve(
    *,
    report_id: int,
    actor: AbstractBaseUser,
    resolution: str,
    note: str = "",
    replacement_quantity: Decimal | None = None,
    credit_amount: Decimal | None = None,
) -> DeliveryReport:
    """Put a delivery report right: a free replacement order, a credit note, or nothing.

    The customer is told how it was resolved (outbox); the order may then close.
    """
    if not actor.has_perm("fulfillment.change_deliveryreport"):
        raise PermissionDenied
    report = (
        DeliveryReport.objects.select_for_update(of=("self",))
        .select_related("order", "line", "shipment")
        .get(pk=report_id)
    )
    if not report.is_open:
        raise OrderError(f"{report.number} is already resolved.")
    note = note.strip()
    order = report.order
    if resolution == ReportResolution.REPLACEMENT:
        if report.line is None:
            raise OrderError("Say which line is replaced: edit the report's line first.")
        quantity = replacement_quantity or report.quantity
        if not quantity:
            raise OrderError("Enter the quantity to replace.")
        report.replacement_order = order_replacement_create(
            order_id=order.pk,
            actor=actor,
            quantities={report.line.pk: quantity},
            reason=f"{report.number}: {note or report.description}",
        )
    elif resolution == ReportResolution.CREDIT_NOTE:
        if credit_amount is None:
            raise OrderError("Enter the amount to credit.")
        # The invoice of the shipment reported on, else the order's latest one.
        shipment = report.shipment
        invoice = (
            shipment.invoice
            if shipment is not None and shipment.invoice_id
            else order.invoices.order_by("-issued_on", "-pk").first()
        )
        if invoice is None:
            raise OrderError(f"{order.number} has no invoice to credit.")
        report.credit_note = credit_note_issue(
            invoice_id=invoice.pk,
            actor=actor,
            amount=credit_amount,
            reason=f"{report.number}: {note or report.get_kind_display()}",
        )
    elif resolution != ReportResolution.NO_ACTION:
        raise OrderError("Choose a resolution: replacement order, credit note or no action.")
    report.resolution = resolution
    report.resolution_note = note
    report.status = ReportStatus.RESOLVED
    report.resolved_by = actor
    report.resolved_at = clock.now()
    report.save()
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"{report.number} resolved: {report.get_resolution_display().lower()}"
        + (f". {note}" if note else "."),
        data={"delivery_report": report.pk, "resolution": resolution},
    )
    outbox_enqueue(order=order, kind=MessageKind.REPORT_RESOLVED, context={"report": report})
    order_close_if_settled(order=SalesOrder.objects.get(pk=order.pk), actor=actor)
    return report


# Closing


def order_close_blockers(*, order: SalesOrder) -> list[str]:
    """What keeps a delivered order open, in plain words (empty: it may close)."""
    blockers = []
    if order.status != OrderStatus.DELIVERED:
        blockers.append(f"{order.number} is {order.get_status_display().lower()}, not delivered")
        return blockers
    undelivered = [
        s.number for s in order.shipments.exclude(status=ShipmentStatus.DELIVERED).only("number")
    ]
    if undelivered:
        blockers.append("shipment " + ", ".join(undelivered) + " not delivered yet")
    open_backorders = order.backorders.filter(status=BackorderStatus.OPEN).count()
    if open_backorders:
        blockers.append(f"{open_backorders} backorder{'s' if open_backorders > 1 else ''} open")
    open_reports = [
        r.number for r in order.delivery_reports.filter(status=ReportStatus.OPEN).only("pk")
    ]
    if open_reports:
        blockers.append("delivery report " + ", ".join(open_reports) + " open")
    return blockers


def order_close_if_settled(*, order: SalesOrder, actor: AbstractBaseUser | None = None) -> bool:
    """Close an accepted order once nothing is left open (call inside a transaction).

    ``actor`` is whoever settled the last item (the accepting contact, the resolver).
    """
    if order.status != OrderStatus.DELIVERED:
        return False
    if not DeliveryAcceptance.objects.filter(order=order).exists():
        return False
    if order_close_blockers(order=order):
        return False
    order_transition(
        order_id=order.pk,
        transition="close",
        actor=actor,
        # The customer's acceptance is what `close` means; no staff permission is involved.
        check_permission=False,
        note="Closed: the customer accepted the delivery.",
    )
    return True


@transaction.atomic
def order_accept_delivery(*, order_id: int, actor: AbstractBaseUser, note: str = "") -> bool:
    """The customer accepts the delivery from the portal; True when that closed the order."""
    delivery_accept(order_id=order_id, actor=actor, note=note)
    return order_close_if_settled(order=SalesOrder.objects.get(pk=order_id), actor=actor)


@transaction.atomic
def order_close(*, order_id: int, actor: AbstractBaseUser, note: str = "") -> SalesOrder:
    """Close a delivered order by hand (e.g. accepted by phone), once nothing is left open."""
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if not actor.has_perm("orders.close_salesorder"):
        raise PermissionDenied
    if blockers := order_close_blockers(order=order):
        raise OrderError(f"{order.number} cannot close yet: " + "; ".join(blockers) + ".")
    return order_transition(
        order_id=order.pk,
        transition="close",
        actor=actor,
        note=note.strip() or "Closed after delivery.",
    )


def orders_autoclose(*, now: datetime | None = None) -> list[str]:
    """Close delivered orders left without a report for the policy's number of days.

    An order with any delivery report, or a complaint filed after delivery, waits for a person
    to close it. Each order closes in its own transaction; returns the numbers closed.
    """
    now = now or clock.now()
    days = OrderPolicy.current().auto_close_days
    complained = Complaint.objects.filter(
        order_id=OuterRef("pk"), created_at__gte=OuterRef("delivered_at")
    )
    candidates = (
        SalesOrder.objects.filter(
            status=OrderStatus.DELIVERED, delivered_at__lte=now - timedelta(days=days)
        )
        .exclude(delivery_reports__isnull=False)
        .exclude(Exists(complained))
        .values_list("pk", "number")
    )
    closed = []
    for order_id, number in candidates:
        with transaction.atomic():
            order = SalesOrder.objects.select_for_update().get(pk=order_id)
            if order.status != OrderStatus.DELIVERED or order_close_blockers(order=order):
                continue
            order_transition(
                order_id=order.pk,
                transition="close",
                actor=None,
                check_permission=False,
                note=f"Closed automatically {days} days after delivery without a report.",
            )
        closed.append(number)
    return closed
