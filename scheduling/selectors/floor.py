"""Read queries for the shop floor: each work center's queue for today."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core import clock
from scheduling.models import OperationStatus, WorkCenter, WorkOrderOperation, WorkOrderStatus
from scheduling.selectors.mrp import order_numbers

ON_THE_FLOOR = (WorkOrderStatus.RELEASED, WorkOrderStatus.IN_PROGRESS)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _queue_filters(today: date, prefix: str = "") -> dict[str, Q]:
    """What a work center has to do today: running work, and waiting work due by tonight.

    Waiting work from earlier days (overdue) and released work the plan has not placed yet
    stay in the queue until they are done.
    """
    tomorrow = _start_of(today + timedelta(days=1))
    on_floor = Q(**{f"{prefix}work_order__status__in": ON_THE_FLOOR})
    running = on_floor & Q(**{f"{prefix}status": OperationStatus.IN_PROGRESS})
    waiting = on_floor & Q(**{f"{prefix}status": OperationStatus.PLANNED})
    overdue = waiting & Q(**{f"{prefix}planned_start__lt": _start_of(today)})
    due = waiting & (
        Q(**{f"{prefix}planned_start__lt": tomorrow})
        | Q(**{f"{prefix}planned_start__isnull": True})
    )
    return {"running": running, "overdue": overdue, "queue": running | due}


def work_center_cards() -> QuerySet[WorkCenter]:
    """Work centers with the size of today's queue, what runs and what is overdue."""
    filters = _queue_filters(clock.today(), prefix="operations__")
    return WorkCenter.objects.annotate(
        queue_count=Count("operations", filter=filters["queue"]),
        running_count=Count("operations", filter=filters["running"]),
        overdue_count=Count("operations", filter=filters["overdue"]),
    ).order_by("code")


def floor_queue(*, work_center: WorkCenter) -> list[WorkOrderOperation]:
    """Today's operations at ``work_center`` in planned-start order, with what blocks each."""
    today = clock.today()
    filters = _queue_filters(today)
    unfinished_before = (
        WorkOrderOperation.objects.filter(
            work_order=OuterRef("work_order"), sequence__lt=OuterRef("sequence")
        )
        .exclude(status=OperationStatus.DONE)
        .order_by("sequence")
        .values("sequence")[:1]
    )
    operations = list(
        WorkOrderOperation.objects.filter(filters["queue"], work_center=work_center)
        .select_related("work_order", "work_order__item")
        .annotate(blocked_by=Subquery(unfinished_before))
        .order_by(F("planned_start").asc(nulls_last=True), "work_order__number", "sequence")
    )
    start_of_today = _start_of(today)
    for op in operations:
        op.orders = order_numbers(op.work_order.demand_refs)
        op.running = op.status == OperationStatus.IN_PROGRESS
        op.overdue = not op.running and bool(op.planned_start and op.planned_start < start_of_today)
        op.late = bool(
            op.planned_end and timezone.localdate(op.planned_end) > op.work_order.due_date
        ) or (op.work_order.due_date < today)
    return operations
