"""Read queries behind the buyer's purchase-order list and page: a constant number per page."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q, QuerySet

from core import clock
from scheduling.models import (
    PlannedReceipt,
    PlanRun,
    PurchaseOrder,
    PurchaseOrderEvent,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    PurchaseReceipt,
)
from scheduling.selectors.mrp import order_numbers

# A line still expecting goods, seen from its order.
OPEN_LINE = Q(lines__quantity__gt=F("lines__received_quantity") + F("lines__cancelled_quantity"))


def purchase_order_list() -> QuerySet[PurchaseOrder]:
    """Purchase orders by the next date something is due, with their lines and items."""
    lines = PurchaseOrderLine.objects.select_related("item").order_by("due_date", "pk")
    return (
        PurchaseOrder.objects.annotate(
            first_due=Min("lines__due_date"),
            next_due=Min("lines__due_date", filter=OPEN_LINE & Q(status=PurchaseOrderStatus.OPEN)),
        )
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by(F("next_due").asc(nulls_last=True), "number")
    )


def late_purchase_orders(queryset: QuerySet[PurchaseOrder]) -> QuerySet[PurchaseOrder]:
    """Open orders with a line still expected before today."""
    overdue = PurchaseOrderLine.objects.filter(
        purchase_order=OuterRef("pk"),
        quantity__gt=F("received_quantity") + F("cancelled_quantity"),
        due_date__lt=clock.today(),
    )
    return queryset.filter(Exists(overdue), status=PurchaseOrderStatus.OPEN)


def _served(run: PlanRun | None, numbers: Iterable[str]) -> dict[tuple[str, int], list[str]]:
    """Sales orders each purchase order's goods are planned for, by (number, item)."""
    if run is None:
        return {}
    served: dict[tuple[str, int], list[str]] = defaultdict(list)
    for reference, item_id, refs in PlannedReceipt.objects.filter(
        plan_run=run, reference__in=list(numbers)
    ).values_list("reference", "item_id", "demand_refs"):
        for number in order_numbers(refs):
            if number not in served[(reference, item_id)]:
                served[(reference, item_id)].append(number)
    return served


def mark_purchase_orders(orders: Iterable[PurchaseOrder], *, run: PlanRun | None) -> list:
    """Add what the buyer sees at a glance: late lines and the sales orders they serve."""
    today = clock.today()
    orders = list(orders)
    served = _served(run, [order.number for order in orders])
    for order in orders:
        order.orders_served = []
        order.late = False
        for line in order.lines.all():
            line.late = order.is_open and line.open_quantity > 0 and line.due_date < today
            line.orders_served = served.get((order.number, line.item_id), [])
            order.late = order.late or line.late
            for number in line.orders_served:
                if number not in order.orders_served:
                    order.orders_served.append(number)
    return orders


def purchase_order_get(*, purchase_order_id: int, run: PlanRun | None) -> PurchaseOrder:
    """One purchase order with its lines, receipts and history."""
    receipts = PurchaseReceipt.objects.select_related("received_by").order_by("received_at", "pk")
    lines = (
        PurchaseOrderLine.objects.select_related("item")
        .prefetch_related(Prefetch("receipts", queryset=receipts))
        .order_by("due_date", "pk")
    )
    events = PurchaseOrderEvent.objects.select_related("actor", "line__item").order_by("at", "pk")
    order = (
        PurchaseOrder.objects.select_related("created_by", "confirmed_by")
        .prefetch_related(Prefetch("lines", queryset=lines), Prefetch("events", queryset=events))
        .get(pk=purchase_order_id)
    )
    return mark_purchase_orders([order], run=run)[0]
