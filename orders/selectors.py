"""Read queries behind the order pages; each costs a constant number of SQL queries."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, DecimalField, F, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from orders.models import Document, OrderEvent, OutboxMessage, SalesOrder, SalesOrderLine
from orders.models.orders import TRANSITIONS


def order_list(*, customer_id: int | None = None) -> QuerySet[SalesOrder]:
    """Orders with what a list row shows: customer, ship-to, owner, line count and value."""
    orders = SalesOrder.objects.select_related("customer", "ship_to", "owner").annotate(
        line_count=Count("lines"),
        total=Coalesce(
            Sum(
                F("lines__quantity") * F("lines__unit_price"),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
            Value(0, output_field=DecimalField(max_digits=16, decimal_places=2)),
        ),
    )
    if customer_id is not None:
        orders = orders.filter(customer_id=customer_id)
    # Newest first; aggregate queries ignore Meta.ordering, so say it.
    return orders.order_by("-created_at", "-pk")


def order_get(*, order_id: int, customer_id: int | None = None) -> SalesOrder:
    """One order with its lines, products and timeline; 404 outside ``customer_id``."""
    orders = SalesOrder.objects.select_related(
        "customer", "ship_to", "owner", "created_by"
    ).prefetch_related(
        Prefetch("lines", queryset=SalesOrderLine.objects.select_related("product")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
        Prefetch("documents", queryset=Document.objects.order_by("kind", "-revision")),
        Prefetch("messages", queryset=OutboxMessage.objects.order_by("-created_at")),
    )
    if customer_id is not None:
        orders = orders.filter(customer_id=customer_id)
    return get_object_or_404(orders, pk=order_id)


def order_transitions_for(*, order: SalesOrder, user: AbstractBaseUser) -> list[str]:
    """Names of the transitions ``user`` may fire on ``order`` now, in lifecycle order."""
    allowed = {t.name for t in order.get_available_user_status_transitions(user)}
    return [name for name in TRANSITIONS if name in allowed]
