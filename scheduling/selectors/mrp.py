"""Read queries behind the MPS, material and work-order pages: a constant number per page."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from core import clock
from scheduling.models import (
    ACTIVE_WORK,
    Demand,
    DemandStatus,
    Item,
    LoadBucket,
    OperationStatus,
    PlannedWorkOrder,
    PlanRun,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseSuggestion,
    WorkCenter,
    WorkOrder,
    WorkOrderOperation,
    WorkOrderStatus,
)

# Load above this share of capacity is shown amber; above 100% red.
AT_RISK_PERCENT = 85


def order_numbers(refs: Iterable[str] | None) -> list[str]:
    """Demand references ("SO-000123/1") as the order numbers people know ("SO-000123")."""
    numbers: list[str] = []
    for ref in refs or []:
        number = str(ref).split("/", 1)[0]
        if number not in numbers:
            numbers.append(number)
    return numbers


def with_order_numbers(rows: Iterable) -> list:
    """Give each row (anything with ``demand_refs``) an ``orders`` list for the templates."""
    rows = list(rows)
    for row in rows:
        row.orders = order_numbers(row.demand_refs)
    return rows


def iso_week(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class DemandCell:
    quantity: Decimal = Decimal(0)
    orders: int = 0

    def __bool__(self) -> bool:
        return bool(self.quantity)


def mps_item_list(*, items: QuerySet[Item], before: date) -> QuerySet[Item]:
    """Items with open demand due before ``before`` (earlier weeks included: they are late)."""
    open_demand = Demand.objects.filter(
        item=OuterRef("pk"), status=DemandStatus.OPEN, due_date__lt=before
    )
    return items.filter(Exists(open_demand)).order_by("code")


def mps_demand_rows(*, items: Iterable[Item], weeks: list[date]) -> list[dict]:
    """Open demand of ``items`` summed per ISO week, plus what is due before the first week."""
    items = list(items)
    first, end = weeks[0], weeks[-1] + timedelta(days=7)
    cells: dict[tuple[int, date | None], DemandCell] = defaultdict(DemandCell)
    orders: dict[tuple[int, date | None], set[str]] = defaultdict(set)
    demands = (
        Demand.objects.filter(item__in=items, status=DemandStatus.OPEN, due_date__lt=end)
        .annotate(still_owed=F("quantity") - F("shipped_quantity"))
        .values_list("item_id", "due_date", "still_owed", "reference")
    )
    for item_id, due, quantity, reference in demands:
        week = due - timedelta(days=due.weekday()) if due >= first else None
        cells[(item_id, week)].quantity += quantity
        orders[(item_id, week)].add(order_numbers([reference])[0])
    for key, numbers in orders.items():
        cells[key].orders = len(numbers)
    return [
        {
            "item": item,
            "earlier": cells.get((item.pk, None), DemandCell()),
            "cells": [(iso_week(week), cells.get((item.pk, week), DemandCell())) for week in weeks],
            "total": sum(
                (cell.quantity for (pk, _w), cell in cells.items() if pk == item.pk), Decimal(0)
            ),
        }
        for item in items
    ]


@dataclass
class LoadCell:
    load_minutes: int = 0
    capacity_minutes: int = 0

    @property
    def load_hours(self) -> float:
        return self.load_minutes / 60

    @property
    def capacity_hours(self) -> float:
        return self.capacity_minutes / 60

    @property
    def percent(self) -> int | None:
        if not self.capacity_minutes:
            return None
        return round(100 * self.load_minutes / self.capacity_minutes)

    @property
    def level(self) -> str:
        """Bootstrap colour: danger over capacity, warning when nearly full."""
        if self.percent is None:
            return "danger" if self.load_minutes else ""
        if self.percent > 100:
            return "danger"
        if self.percent > AT_RISK_PERCENT:
            return "warning"
        return ""


def weekly_load_rows(*, run: PlanRun | None, weeks: list[date]) -> list[dict]:
    """Each work center's planned load against its capacity, per ISO week, from ``run``."""
    end = weeks[-1] + timedelta(days=7)
    cells: dict[tuple[int, date], LoadCell] = {}
    if run is not None:
        buckets = (
            LoadBucket.objects.filter(plan_run=run, day__gte=weeks[0], day__lt=end)
            .annotate(week=TruncWeek("day"))
            .values("work_center_id", "week")
            .annotate(load=Sum("load_minutes"), capacity=Sum("capacity_minutes"))
            .order_by()
        )
        for row in buckets:
            week = row["week"]
            week = week.date() if hasattr(week, "date") else week
            cells[(row["work_center_id"], week)] = LoadCell(row["load"], row["capacity"])
    return [
        {
            "work_center": wc,
            "cells": [(iso_week(week), cells.get((wc.pk, week), LoadCell())) for week in weeks],
        }
        for wc in WorkCenter.objects.all()
    ]


def planned_work_order_get(*, planned_id: int) -> PlannedWorkOrder | None:
    return PlannedWorkOrder.objects.filter(pk=planned_id).select_related("item").first()


def suggestion_get(*, suggestion_id: int) -> PurchaseSuggestion | None:
    return (
        PurchaseSuggestion.objects.select_related("item", "purchase_order")
        .filter(pk=suggestion_id)
        .first()
    )


def firm_work_order_list() -> QuerySet[WorkOrder]:
    return (
        WorkOrder.objects.filter(status=WorkOrderStatus.FIRM)
        .select_related("item")
        .order_by("due_date", "priority", "number")
    )


def purchase_order_list() -> QuerySet[PurchaseOrder]:
    lines = PurchaseOrderLine.objects.select_related("item").order_by("due_date", "pk")
    return (
        PurchaseOrder.objects.annotate(first_due=Min("lines__due_date"))
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("first_due", "number")
    )


def work_order_list() -> QuerySet[WorkOrder]:
    """Work orders with their progress (operations done of all) and last planned end."""
    return (
        WorkOrder.objects.select_related("item")
        .annotate(
            operations_total=Count("operations"),
            operations_done=Count("operations", filter=Q(operations__status=OperationStatus.DONE)),
            last_planned_end=Max("operations__planned_end"),
        )
        .order_by("due_date", "priority", "number")
    )


def work_order_get(*, work_order_id: int) -> WorkOrder:
    operations = WorkOrderOperation.objects.select_related("work_center").order_by("sequence")
    work_order = (
        WorkOrder.objects.select_related("item")
        .prefetch_related(Prefetch("operations", queryset=operations))
        .get(pk=work_order_id)
    )
    ends = [op.planned_end for op in work_order.operations.all() if op.planned_end]
    work_order.last_planned_end = max(ends, default=None)
    return mark_work_orders([work_order])[0]


def mark_work_orders(work_orders: Iterable[WorkOrder]) -> list[WorkOrder]:
    """Add what the lists show at a glance: order numbers, projected end and a late mark."""
    today = clock.today()
    work_orders = with_order_numbers(work_orders)
    for wo in work_orders:
        end = getattr(wo, "last_planned_end", None)
        wo.projected_end = timezone.localdate(end) if end else None
        if wo.status in ACTIVE_WORK:
            wo.late = wo.due_date < today or bool(
                wo.projected_end and wo.projected_end > wo.due_date
            )
        elif wo.completed_at:
            wo.late = timezone.localdate(wo.completed_at) > wo.due_date
        else:
            wo.late = False
    return work_orders
