"""Read queries behind the order pages; each costs a constant number of SQL queries."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from orders.models import (
    Clarification,
    Document,
    OrderEvent,
    OutboxMessage,
    SalesOrder,
    SalesOrderLine,
)
from orders.models.orders import TRANSITIONS
from orders.specs import spec_errors


def order_search_q(text: str, *, prefix: str = "") -> Q:
    """What a list's search box finds: order number, customer name or code, customer PO.

    ``prefix`` reaches the order through a relation, e.g. ``"order__"`` for invoices.
    """
    return (
        Q(**{f"{prefix}number__icontains": text})
        | Q(**{f"{prefix}customer__name__icontains": text})
        | Q(**{f"{prefix}customer__code__iexact": text})
        | Q(**{f"{prefix}customer_po__icontains": text})
    )


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
        Prefetch("clarifications", queryset=Clarification.objects.select_related("asked_by")),
        "deposits",
    )
    if customer_id is not None:
        orders = orders.filter(customer_id=customer_id)
    return get_object_or_404(orders, pk=order_id)


def order_transitions_for(*, order: SalesOrder, user: AbstractBaseUser) -> list[str]:
    """Names of the transitions ``user`` may fire on ``order`` now, in lifecycle order."""
    allowed = {t.name for t in order.get_available_user_status_transitions(user)}
    return [name for name in TRANSITIONS if name in allowed]


def order_checklist(*, order: SalesOrder) -> list[dict]:
    """The validation checklist on the order page, from what is loaded already."""
    lines = list(order.lines.all())
    spec_problems = []
    for line in lines:
        errors = spec_errors(
            line.product.spec_template, line.specs, require_all=line.product.is_configurable
        )
        spec_problems += [f"Line {line.line_no}: {message}" for message in errors.values()]
    open_questions = [c for c in order.clarifications.all() if c.is_open]
    ship_to = order.ship_to
    return [
        {
            "label": "Customer and ship-to complete",
            "ok": ship_to is not None and ship_to.is_complete and not order.customer.credit_hold,
            "detail": "" if ship_to and ship_to.is_complete else "Choose a complete ship-to.",
        },
        {
            "label": "Specifications complete and consistent",
            "ok": bool(lines) and not spec_problems,
            "detail": " ".join(spec_problems) if lines else "No lines yet.",
        },
        {
            "label": "Quantities and units valid",
            "ok": bool(lines) and all(line.quantity > 0 and line.unit for line in lines),
            "detail": "",
        },
        {
            "label": "Requested date given",
            "ok": order.requested_date is not None,
            "detail": "" if order.requested_date else "Enter the requested delivery date.",
        },
        {
            "label": "No open questions",
            "ok": not open_questions,
            "detail": f"{len(open_questions)} waiting for an answer." if open_questions else "",
        },
    ]
