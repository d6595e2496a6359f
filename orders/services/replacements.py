"""Replacement orders: goods sent again, free of charge, after a damaged or short delivery."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from orders.errors import OrderError
from orders.models import OrderEventKind, SalesOrder
from orders.services.lifecycle import order_create, order_event_record
from orders.states import OrderStatus, OrderType, Priority

REPLACEABLE = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CLOSED)


@transaction.atomic
def order_replacement_create(
    *, order_id: int, actor: AbstractBaseUser, quantities: dict[int, Decimal], reason: str
) -> SalesOrder:
    """A no-charge draft order for ``quantities`` (line id -> quantity) of a shipped order.

    It is a rush order for the same customer and ship-to, owned by the original's sales
    person, who submits it like any other so that it is planned and promised honestly.
    """
    if not actor.has_perm("orders.add_salesorder"):
        raise PermissionDenied
    order = SalesOrder.objects.select_for_update().select_related("customer").get(pk=order_id)
    if order.status not in REPLACEABLE:
        raise OrderError(f"{order.number} has not shipped; change the order instead.")
    reason = reason.strip()
    if not reason:
        raise OrderError("Say why the goods are replaced.")
    lines_by_id = {line.pk: line for line in order.lines.select_related("product")}
    lines = []
    for line_id, raw in quantities.items():
        line = lines_by_id.get(line_id)
        if line is None:
            raise OrderError("That line is not on this order.")
        try:
            quantity = Decimal(raw)
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise OrderError(f"Line {line.line_no}: enter a quantity.") from exc
        if quantity <= 0 or quantity > line.quantity:
            raise OrderError(
                f"Line {line.line_no}: replace between 1 and {line.quantity.normalize():f}."
            )
        lines.append(
            {
                "product": line.product,
                "quantity": quantity,
                "unit": line.unit,
                "unit_price": Decimal("0"),
                "specs": line.specs,
            }
        )
    if not lines:
        raise OrderError("Choose at least one line to replace.")
    replacement = order_create(
        customer=order.customer,
        actor=actor,
        order_type=OrderType.RUSH,
        ship_to=order.ship_to,
        customer_po=order.customer_po,
        lines=lines,
        priority=Priority.RUSH,
        owner=order.owner,
    )
    order_event_record(
        order=replacement,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Replacement for {order.number}, free of charge: {reason}",
        data={"replacement_of": order.pk},
    )
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Replacement order {replacement.number} created: {reason}",
        data={"replaced_by": replacement.pk},
    )
    return replacement
