"""The capacity board: work centers x days, their load and the jobs starting each day.

A page costs the same handful of queries whatever the number of jobs on it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from scheduling.models import (
    Demand,
    Downtime,
    Holiday,
    LoadBucket,
    PlannedOperation,
    PlannedWorkOrder,
    PlanRun,
    WorkCenter,
    WorkOrderOperation,
)
from scheduling.models.work import ACTIVE_WORK

# A job whose demand is due within this many days of the operation's end is at risk.
AT_RISK_DAYS = 2


@dataclass
class BoardJob:
    """One card: an operation of the current plan, where the planner sees it now."""

    operation: PlannedOperation
    day: date
    work_center_id: int
    orders: list[str]
    customer: str
    late: bool
    at_risk: bool
    pinned: bool
    # Moved by a planner; the plan run that places it there has not finished yet.
    awaiting_plan: bool
    operation_id: int | None  # the work order operation, once the job is real work
    alternatives: list[WorkCenter]
    # The job's version as this board shows it; a move made since refuses a move from here.
    version: int = 0

    @property
    def key(self) -> str:
        return self.operation.key

    @property
    def title(self) -> str:
        return ", ".join(self.orders) or self.operation.work_order_key


@dataclass
class BoardCell:
    work_center: WorkCenter
    day: date
    capacity_minutes: int
    load_minutes: int
    jobs: list[BoardJob] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.capacity_minutes == 0

    @property
    def overloaded(self) -> bool:
        return self.load_minutes > self.capacity_minutes

    @property
    def percent(self) -> int:
        if not self.capacity_minutes:
            return 100 if self.load_minutes else 0
        return round(100 * self.load_minutes / self.capacity_minutes)

    @property
    def load_hours(self) -> float:
        return self.load_minutes / 60

    @property
    def capacity_hours(self) -> float:
        return self.capacity_minutes / 60


@dataclass
class Board:
    run: PlanRun | None
    start: date
    days: list[date]
    rows: list[dict]

    def job(self, key: str) -> BoardJob | None:
        for row in self.rows:
            for cell in row["cells"]:
                for job in cell.jobs:
                    if job.key == key:
                        return job
        return None


def order_number(reference: str) -> str:
    """'SO-000123/1' (a demand: order and line) -> 'SO-000123'."""
    return reference.split("/", 1)[0]


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _calendar_capacity(
    work_center: WorkCenter, day: date, holidays: set[date], downtime: dict
) -> int:
    """Capacity where the plan has no bucket (beyond its horizon), as the engine counts it."""
    if day in holidays:
        return 0
    minutes = int(work_center.minutes_per_weekday[day.weekday()])
    down = downtime.get((work_center.pk, day))
    if down is not None:
        minutes = 0 if down.minutes_lost is None else max(0, minutes - down.minutes_lost)
    return int(minutes * float(work_center.efficiency or Decimal(1)))


def _pins(run: PlanRun) -> dict[str, WorkOrderOperation]:
    """Pinned operations by their key in ``run``; firmed planned work keeps its PWO key there."""
    pinned = {
        op.key: op
        for op in WorkOrderOperation.objects.filter(
            pinned=True, work_order__status__in=ACTIVE_WORK
        ).select_related("work_order")
    }
    if not pinned:
        return {}
    firmed = dict(
        PlannedWorkOrder.objects.filter(plan_run=run, work_order__isnull=False).values_list(
            "work_order__number", "key"
        )
    )
    by_plan_key = dict(pinned)
    for op in pinned.values():
        planned_key = firmed.get(op.work_order.number)
        if planned_key:
            by_plan_key[f"{planned_key}/{op.sequence}"] = op
    return by_plan_key


def board(*, start: date, days: int, run: PlanRun | None = None) -> Board:
    """Work centers x days from ``start``: load against capacity and the jobs starting each day.

    A job a planner has just moved is shown where it was pinned, marked as waiting for the plan.
    """
    run = run or PlanRun.objects.filter(is_current=True).first()
    end = start + timedelta(days=days)
    day_list = [start + timedelta(days=n) for n in range(days)]
    work_centers = list(WorkCenter.objects.all())
    holidays = set(
        Holiday.objects.filter(date__gte=start, date__lt=end).values_list("date", flat=True)
    )
    downtime = {
        (d.work_center_id, d.date): d
        for d in Downtime.objects.filter(date__gte=start, date__lt=end)
    }
    cells = {
        (wc.pk, d): BoardCell(wc, d, _calendar_capacity(wc, d, holidays, downtime), 0)
        for wc in work_centers
        for d in day_list
    }
    if run is not None:
        for bucket in LoadBucket.objects.filter(plan_run=run, day__gte=start, day__lt=end):
            cell = cells.get((bucket.work_center_id, bucket.day))
            if cell is not None:
                cell.capacity_minutes = bucket.capacity_minutes
                cell.load_minutes = bucket.load_minutes
        _place_jobs(run, cells, work_centers, _midnight(start), _midnight(end))
    rows = [
        {"work_center": wc, "cells": [cells[(wc.pk, d)] for d in day_list]} for wc in work_centers
    ]
    return Board(run=run, start=start, days=day_list, rows=rows)


def _versions(run: PlanRun, operations: list[PlannedOperation]) -> dict[str, int]:
    """The version of each card's work order operation, by its key in ``run``; planned work
    firmed since the run keeps its PWO key there."""
    firmed = dict(
        PlannedWorkOrder.objects.filter(
            plan_run=run,
            work_order__isnull=False,
            key__in={op.work_order_key for op in operations if op.work_order_id is None},
        ).values_list("key", "work_order_id")
    )
    work_order_of = {op.key: op.work_order_id or firmed.get(op.work_order_key) for op in operations}
    rows = WorkOrderOperation.objects.filter(
        work_order_id__in={wo for wo in work_order_of.values() if wo}
    ).values_list("work_order_id", "sequence", "version")
    by_step = {(wo, seq): version for wo, seq, version in rows}
    return {
        op.key: by_step.get((work_order_of[op.key], op.sequence), 0)
        for op in operations
        if work_order_of[op.key]
    }


def _place_jobs(run, cells, work_centers, window_start, window_end) -> None:
    pins = _pins(run)
    operations = list(
        PlannedOperation.objects.filter(plan_run=run)
        .filter(Q(start__gte=window_start, start__lt=window_end) | Q(key__in=list(pins)))
        .select_related("item")
        .order_by("start", "key")
    )
    versions = _versions(run, operations)
    references = {ref for op in operations for ref in op.demand_refs}
    customers = dict(
        Demand.objects.filter(reference__in=references).values_list("reference", "customer")
    )
    by_capability: dict[str, list[WorkCenter]] = {}
    for wc in work_centers:
        if wc.capability:
            by_capability.setdefault(wc.capability, []).append(wc)
    by_pk = {wc.pk: wc for wc in work_centers}
    for op in operations:
        pin = pins.get(op.key)
        placed = (op.work_center_id, timezone.localdate(op.start))
        where = (pin.work_center_id, pin.pin_day) if pin else placed
        cell = cells.get(where)
        if cell is None:
            continue
        end_day = timezone.localdate(op.end)
        late = op.late or (op.due_date is not None and op.due_date < end_day)
        source = by_pk.get(op.work_center_id)
        alternatives = by_capability.get(source.capability, [source]) if source else []
        cell.jobs.append(
            BoardJob(
                operation=op,
                day=where[1],
                work_center_id=where[0],
                orders=list(dict.fromkeys(order_number(ref) for ref in op.demand_refs)),
                customer=customers.get(op.demand_refs[0], "") if op.demand_refs else "",
                late=late,
                at_risk=(
                    not late
                    and op.due_date is not None
                    and (op.due_date - end_day).days <= AT_RISK_DAYS
                ),
                pinned=pin is not None,
                awaiting_plan=pin is not None and where != placed,
                operation_id=pin.pk if pin else None,
                alternatives=alternatives,
                version=versions.get(op.key, 0),
            )
        )


def plan_run_list(*, status: str | None = None):
    """Plan runs, newest first, with who asked for them."""
    runs = PlanRun.objects.select_related("requested_by").order_by("-requested_at", "-pk")
    return runs.filter(status=status) if status else runs


def plan_run_get(*, run_id: int) -> PlanRun | None:
    return PlanRun.objects.filter(pk=run_id).first()


def board_operation(*, key: str) -> PlannedOperation | None:
    """A job of the current plan by its key, with its work center."""
    return (
        PlannedOperation.objects.filter(plan_run__is_current=True, key=key)
        .select_related("work_center")
        .first()
    )
