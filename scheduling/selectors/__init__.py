"""Read queries behind the planning screens, and the quote state of the current plan.

The capacity board's queries live in ``scheduling.selectors.board``.
"""

import operator
import threading
from functools import reduce

from django.db.models import Q, QuerySet

from scheduling import adapters, engine
from scheduling.models import (
    Demand,
    DemandProjection,
    DemandStatus,
    PlannedWorkOrder,
    PlanRun,
    PlanRunStatus,
    PurchaseSuggestion,
    Shortage,
)


def current_run() -> PlanRun | None:
    return PlanRun.objects.filter(is_current=True).first()


def active_run() -> PlanRun | None:
    """The run waiting or working now, if any (for progress bars)."""
    return (
        PlanRun.objects.filter(status__in=[PlanRunStatus.PENDING, PlanRunStatus.RUNNING])
        .order_by("-status", "requested_at")
        .first()
    )


def open_demand_references() -> list[str]:
    """The references of every demand the plan still has to meet."""
    return list(
        Demand.objects.filter(status=DemandStatus.OPEN)
        .order_by("reference")
        .values_list("reference", flat=True)
    )


def projections_for(*, references) -> dict[str, DemandProjection]:
    run = current_run()
    if run is None:
        return {}
    return {
        p.reference: p
        for p in DemandProjection.objects.filter(
            plan_run=run, reference__in=list(references)
        ).select_related("binding_item", "binding_work_center")
    }


def shortage_list(*, run: PlanRun | None = None) -> QuerySet[Shortage]:
    run = run or current_run()
    return (
        Shortage.objects.filter(plan_run=run)
        .select_related("item")
        .order_by("date_needed", "item__code")
    )


def suggestion_list(*, run: PlanRun | None = None) -> QuerySet[PurchaseSuggestion]:
    run = run or current_run()
    return (
        PurchaseSuggestion.objects.filter(plan_run=run)
        .select_related("item", "purchase_order")
        .order_by("order_by", "item__code")
    )


def planned_work_order_list(*, run: PlanRun | None = None) -> QuerySet[PlannedWorkOrder]:
    run = run or current_run()
    return (
        PlannedWorkOrder.objects.filter(plan_run=run)
        .select_related("item", "work_order")
        .order_by("start", "key")
    )


class PlanStateCache:
    """The current plan's engine state, kept per process so quotes answer in milliseconds.

    A worker that ran the plan stores its state; any other process builds it once per plan.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._run_id: int | None = None
        self._state: engine.PlanState | None = None

    def store(self, run_id: int, state: engine.PlanState) -> None:
        with self._lock:
            self._run_id, self._state = run_id, state

    def current(self) -> engine.PlanState:
        run = current_run()
        run_id = run.pk if run else None
        with self._lock:
            if self._state is not None and self._run_id == run_id:
                return self._state
        state = engine.build_plan(adapters.problem_from_db())
        self.store(run_id, state)
        return state

    def clear(self) -> None:
        self.store(None, None)


plan_state_cache = PlanStateCache()


def shortages_by_reference(*, references) -> dict[str, list[Shortage]]:
    """The current plan's shortages hurting each demand reference."""
    run = current_run()
    wanted = set(references)
    found: dict[str, list[Shortage]] = {}
    if run is None or not wanted:
        return found
    for shortage in Shortage.objects.filter(plan_run=run).select_related("item"):
        for ref in wanted.intersection(shortage.demand_refs):
            found.setdefault(ref, []).append(shortage)
    return found


def progress_for(*, references) -> dict[str, dict]:
    """Shop-floor progress per demand reference: operations done of total, where it is now."""
    from scheduling.models import OperationStatus, WorkOrder, WorkOrderOperation

    wanted = set(references)
    progress: dict[str, dict] = {}
    if not wanted:
        return progress
    # The JSON list is narrowed in the database by text (works on PostgreSQL and SQLite alike),
    # then checked exactly here: "SO-1/1" must not match "SO-1/10".
    candidates = WorkOrder.objects.exclude(status="cancelled").filter(
        reduce(operator.or_, (Q(demand_refs__icontains=f'"{ref}"') for ref in sorted(wanted)))
    )
    work_orders = [wo for wo in candidates if wanted & set(wo.demand_refs)]
    operations: dict[int, list] = {}
    for op in WorkOrderOperation.objects.filter(
        work_order__in=[wo.pk for wo in work_orders]
    ).select_related("work_center"):
        operations.setdefault(op.work_order_id, []).append(op)
    for wo in work_orders:
        ops = sorted(operations.get(wo.pk, []), key=lambda op: op.sequence)
        done = sum(1 for op in ops if op.status == OperationStatus.DONE)
        current = next((op for op in ops if op.status != OperationStatus.DONE), None)
        for ref in wanted & set(wo.demand_refs):
            entry = progress.setdefault(
                ref, {"done": 0, "total": 0, "work_center": None, "work_orders": []}
            )
            entry["done"] += done
            entry["total"] += len(ops)
            entry["work_orders"].append(wo.number)
            if current is not None and entry["work_center"] is None:
                entry["work_center"] = current.work_center.name
    return progress
