"""Shipping a packed shipment: the gates, the tracking number, the invoice, the customer notice."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core import clock
from fulfillment.models import (
    Backorder,
    BackorderStatus,
    PackageContent,
    Shipment,
    ShipmentStatus,
)
from fulfillment.services.backorders import backorders_mark_shipped
from fulfillment.services.documents import (
    document_labels,
    shipment_backorders,
    shipment_documents,
    shipment_documents_missing,
    shipment_invoice_issue,
)
from orders.errors import OrderError
from orders.models import DocumentKind, MessageKind, OrderEventKind
from orders.services.demands import order_demands_ship
from orders.services.lifecycle import order_event_record, order_transition
from orders.services.outbox import outbox_enqueue
from orders.states import OrderStatus


class ShipmentError(OrderError):
    """A refused ship; ``field`` names the form field the message belongs beside, if any."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _plain(value: Decimal) -> str:
    """``7.70`` -> ``7.7``: weights as people write them."""
    return f"{value.normalize():f}"


def shipment_line_quantities(*, shipment: Shipment) -> dict[int, Decimal]:
    """What the shipment's packages hold, by order line id."""
    return dict(
        PackageContent.objects.filter(package__shipment=shipment)
        .values("line_id")
        .annotate(total=Sum("quantity"))
        .values_list("line_id", "total")
        .order_by()
    )


def shipment_ship_problems(*, shipment: Shipment) -> list[str]:
    """What keeps a shipment from shipping, tracking number aside (empty: it may ship)."""
    problems = []
    order = shipment.order
    if shipment.status != ShipmentStatus.PACKED:
        state = shipment.get_status_display().lower()
        problems.append(f"{shipment.number} is {state}, not packed and waiting for the carrier.")
        return problems
    if shipment.is_backorder:
        backorders = shipment_backorders(shipment=shipment)
        if not backorders:
            problems.append(f"{shipment.number} carries no open backorder of {order.number}.")
        unreleased = [b for b in backorders if b.released_at is None]
        if unreleased:
            lines = ", ".join(str(b.line.line_no) for b in unreleased)
            problems.append(f"Quality has not released the backorder of line {lines}.")
    elif order.status != OrderStatus.PACKED:
        problems.append(
            f"{order.number} is {order.get_status_display().lower()}: only a quality released "
            "and packed order ships."
        )
    if shipment.carrier_id is None or shipment.service_id is None:
        problems.append("Choose the carrier and service first.")
    if missing := shipment_documents_missing(shipment=shipment):
        problems.append(f"Missing documents: {document_labels(missing)}.")
    return problems


@transaction.atomic
def shipment_ship(
    *,
    shipment_id: int,
    actor: AbstractBaseUser,
    tracking_number: str,
    shipped_on: dt.date | None = None,
) -> Shipment:
    """Hand a packed shipment to the carrier.

    Refused (nothing changed, nothing queued) unless the shipment is packed, its carrier is
    chosen, the goods are quality released and every required document exists. Records the
    tracking number, fires the order's ``ship`` for its first shipment (or marks the carried
    backorders shipped), invoices the shipped quantities and queues the shipped notice.
    """
    if not (
        actor.has_perm("orders.ship_salesorder") and actor.has_perm("fulfillment.change_shipment")
    ):
        raise PermissionDenied
    shipment = (
        Shipment.objects.select_for_update(of=("self",))
        .select_related("order__customer", "order__ship_to", "carrier", "service")
        .get(pk=shipment_id)
    )
    tracking_number = (tracking_number or "").strip()
    if not tracking_number:
        raise ShipmentError("Enter the carrier's tracking number.", field="tracking_number")
    if len(tracking_number) > Shipment._meta.get_field("tracking_number").max_length:
        raise ShipmentError("That tracking number is too long.", field="tracking_number")
    today = clock.today()
    shipped_on = shipped_on or today
    if shipped_on > today:
        raise ShipmentError("The ship date cannot be in the future.", field="shipped_on")
    if problems := shipment_ship_problems(shipment=shipment):
        raise ShipmentError(" ".join(problems))

    now = clock.now()
    shipment.tracking_number = tracking_number
    shipment.shipped_at = (
        now
        if shipped_on == today
        else timezone.make_aware(dt.datetime.combine(shipped_on, dt.time(12)))
    )
    shipment.shipped_by = actor
    shipment.status = ShipmentStatus.SHIPPED
    shipment.save(update_fields=["tracking_number", "shipped_at", "shipped_by", "status"])

    service = f"{shipment.carrier.name} {shipment.service.name}"
    summary = f"{shipment.number} shipped with {service}, tracking {tracking_number}."
    if shipment.is_backorder:
        backorders_mark_shipped(shipment=shipment)
        order_event_record(
            order=shipment.order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note=f"Backorder {summary}",
            data={"shipment": shipment.pk, "tracking_number": tracking_number},
        )
        order = shipment.order
    else:
        order = order_transition(
            order_id=shipment.order_id, transition="ship", actor=actor, note=summary
        )

    order_demands_ship(order=order, shipped=shipment_line_quantities(shipment=shipment))
    invoice = shipment_invoice_issue(shipment_id=shipment.pk, actor=actor, issued_on=shipped_on)
    shipment.invoice = invoice

    still_open = list(
        Backorder.objects.filter(order=order, status=BackorderStatus.OPEN)
        .select_related("line__product")
        .order_by("line__line_no")
    )
    packages = list(shipment.packages.order_by("number"))
    estimated = shipment.estimated_delivery
    outbox_enqueue(
        order=order,
        kind=MessageKind.SHIPPED,
        context={
            "shipment": shipment,
            "carrier": shipment.carrier.name,
            "service": shipment.service.name,
            "tracking_number": tracking_number,
            "tracking_link": shipment.tracking_link,
            "estimated_delivery": estimated,
            "packages": packages,
            "package_count": len(packages),
            "total_weight_kg": _plain(sum((p.weight_kg for p in packages), Decimal(0))),
            "backorders_open": still_open,
            "shipped_on": shipped_on,
        },
    )
    if DocumentKind.INVOICE not in shipment_documents(shipment=shipment):
        from config.celery import enqueue_or_leave
        from fulfillment import tasks

        transaction.on_commit(
            lambda: enqueue_or_leave(
                tasks.shipment_documents_render_task,
                when_down=f"Broker down: the invoice PDF of {shipment.number} is not rendered.",
                shipment_id=shipment.pk,
                kinds=[DocumentKind.INVOICE],
            )
        )
    return shipment
