"""Backorders: line quantities not made when the rest of a partial-shipment order shipped.

Production creates them when it completes short (``order_complete(partial=True)``), quality
releases each one once its quantity is made, shipping carries the released ones in a later
shipment, and sales may cancel one the customer no longer wants.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import clock
from fulfillment.models import Backorder, BackorderStatus, Shipment
from fulfillment.selectors import FINISHED_WORK_STATUSES, work_orders_for_order
from orders.errors import OrderError
from orders.models import OrderEventKind, SalesOrder, SalesOrderLine
from orders.services.demands import demand_reference, order_demands_fulfil
from orders.services.lifecycle import order_event_record


def _quantity(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def backorders_create(
    *, order: SalesOrder, shortages: list[tuple[SalesOrderLine, Decimal]], actor
) -> list[Backorder]:
    """Keep ``(line, quantity)`` open as backorders (call inside the completing transaction)."""
    backorders = [
        Backorder.objects.create(order=order, line=line, quantity=quantity)
        for line, quantity in shortages
        if quantity > 0
    ]
    if backorders:
        listed = ", ".join(
            f"line {b.line.line_no}: {_quantity(b.quantity)} {b.line.unit}" for b in backorders
        )
        order_event_record(
            order=order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note=f"Completed short; backordered {listed}.",
            data={"backorders": [b.pk for b in backorders]},
        )
    return backorders


def backorder_made(*, backorder: Backorder) -> Decimal:
    """Good pieces of finished work orders pegged to the backorder's line, in total."""
    line = backorder.line
    pegged = work_orders_for_order(order=backorder.order).get(
        demand_reference(backorder.order, line), []
    )
    return sum(
        (wo.good_quantity for wo in pegged if wo.status in FINISHED_WORK_STATUSES), Decimal(0)
    )


@transaction.atomic
def backorder_release(*, backorder_id: int, actor: AbstractBaseUser) -> Backorder:
    """Quality releases a backorder whose quantity is now made; signed with user and time."""
    if not actor.has_perm("fulfillment.change_backorder"):
        raise PermissionDenied
    backorder = (
        Backorder.objects.select_for_update(of=("self",))
        .select_related("order", "line", "line__product")
        .get(pk=backorder_id)
    )
    if not backorder.is_open:
        raise OrderError(f"This backorder is {backorder.get_status_display().lower()}.")
    if backorder.released_at is not None:
        raise OrderError("This backorder is already released.")
    line = backorder.line
    if line.product.item_id is not None:
        made = backorder_made(backorder=backorder)
        if made < line.quantity:
            raise OrderError(
                f"Line {line.line_no}: {_quantity(made)} of {_quantity(line.quantity)} made in "
                "total; the backorder is released when the rest is made."
            )
    backorder.released_by = actor
    backorder.released_at = clock.now()
    backorder.save(update_fields=["released_by", "released_at"])
    order_event_record(
        order=backorder.order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=(
            f"Backorder of line {line.line_no} ({_quantity(backorder.quantity)} {line.unit}) "
            "released by quality."
        ),
        data={"backorder": backorder.pk},
    )
    return backorder


@transaction.atomic
def backorder_cancel(*, backorder_id: int, actor: AbstractBaseUser, reason: str) -> Backorder:
    """Sales cancels a backorder the customer no longer wants, saying why."""
    if not actor.has_perm("orders.change_salesorder"):
        raise PermissionDenied
    backorder = (
        Backorder.objects.select_for_update(of=("self",))
        .select_related("order", "line")
        .get(pk=backorder_id)
    )
    reason = reason.strip()
    if not reason:
        raise OrderError("Say why the backorder is cancelled.")
    if not backorder.is_open:
        raise OrderError(f"This backorder is already {backorder.get_status_display().lower()}.")
    if backorder.shipment_id is not None:
        raise OrderError(
            f"This backorder is being packed in {backorder.shipment}; "
            "shipping must finish or remove that shipment first."
        )
    backorder.status = BackorderStatus.CANCELLED
    backorder.closed_at = clock.now()
    backorder.note = reason[:200]
    backorder.save(update_fields=["status", "closed_at", "note"])
    if not Backorder.objects.filter(line=backorder.line, status=BackorderStatus.OPEN).exists():
        # Nothing more is owed on the line: the plan stops making it.
        order_demands_fulfil(order=backorder.order, lines=[backorder.line])
    order_event_record(
        order=backorder.order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=(
            f"Backorder of line {backorder.line.line_no} "
            f"({_quantity(backorder.quantity)} {backorder.line.unit}) cancelled: {reason}"
        )[:1000],
        data={"backorder": backorder.pk},
    )
    return backorder


def backorders_mark_shipped(*, shipment: Shipment) -> int:
    """Close the backorders a shipment carries when it ships (call in the shipping transaction)."""
    return Backorder.objects.filter(shipment=shipment, status=BackorderStatus.OPEN).update(
        status=BackorderStatus.SHIPPED, closed_at=clock.now()
    )
