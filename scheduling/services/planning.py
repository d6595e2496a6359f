"""Plan runs: request one (debounced), run it, switch it in atomically, tell listeners."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from config.celery import enqueue_or_leave
from core import clock
from scheduling import adapters, engine
from scheduling.models import (
    DemandProjection,
    LoadBucket,
    PlannedOperation,
    PlannedReceipt,
    PlannedWorkOrder,
    PlanRun,
    PlanRunStatus,
    PlanTrigger,
    PurchaseSuggestion,
    Shortage,
    WorkOrderOperation,
)
from scheduling.signals import plan_changed

logger = logging.getLogger(__name__)
RESULT_MODELS = (
    PlannedOperation,
    PlannedWorkOrder,
    PurchaseSuggestion,
    Shortage,
    LoadBucket,
    DemandProjection,
    PlannedReceipt,
)


def _enqueue(run_id: int, countdown: int = 0) -> None:
    from scheduling.tasks import regenerate_plan_task

    enqueue_or_leave(
        regenerate_plan_task,
        run_id=run_id,
        countdown=countdown,
        when_down=f"Could not enqueue plan run {run_id}; the plan sweep will start it.",
    )


def request_replan(
    *, trigger: str = PlanTrigger.CHANGE, actor=None, delay: int | None = None
) -> PlanRun:
    """Ask for a re-plan. A burst of changes shares one pending run (debounce)."""
    delay = settings.ORDERCRAFT_REPLAN_DELAY if delay is None else delay
    pending = PlanRun.objects.filter(status=PlanRunStatus.PENDING).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            run = PlanRun.objects.create(trigger=trigger, requested_by=actor)
    except IntegrityError:  # another request created the pending run a moment ago
        return PlanRun.objects.get(status=PlanRunStatus.PENDING)
    transaction.on_commit(lambda: _enqueue(run.pk, countdown=delay))
    return run


def fail_stale_runs() -> int:
    """Mark runs that died with their worker as failed; their rows are never switched in."""
    limit = clock.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return PlanRun.objects.filter(
        Q(status=PlanRunStatus.RUNNING, started_at__lt=limit)
        | Q(status=PlanRunStatus.PENDING, requested_at__lt=limit - timedelta(hours=1))
    ).update(
        status=PlanRunStatus.FAILED,
        error="The run stopped without finishing.",
        finished_at=clock.now(),
    )


def _progress(run: PlanRun, percent: int, stage: str) -> None:
    # Outside the run's own transaction so the progress bar moves while it works.
    PlanRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)


def regenerate_plan(*, run_id: int) -> PlanRun:
    """Full MRP + finite schedule for one pending run; idempotent (a finished run is left)."""
    fail_stale_runs()
    try:
        with transaction.atomic():
            updated = PlanRun.objects.filter(pk=run_id, status=PlanRunStatus.PENDING).update(
                status=PlanRunStatus.RUNNING, started_at=clock.now(), stage="Starting"
            )
    except IntegrityError:
        # Another run is in progress; this one waits for the next sweep.
        logger.info("Plan run %s waits: another run is in progress.", run_id)
        return PlanRun.objects.get(pk=run_id)
    run = PlanRun.objects.get(pk=run_id)
    if not updated:
        return run
    started = time.monotonic()
    try:
        _progress(run, 10, "Reading orders, stock and capacity")
        problem = adapters.problem_from_db()
        _progress(run, 30, "Exploding bills of material and scheduling")
        state = engine.build_plan(problem)
        _progress(run, 70, "Saving the plan")
        with transaction.atomic():
            adapters.result_to_rows(run=run, result=state.result, problem=problem)
        _progress(run, 90, "Switching to the new plan")
        changed = _switch_in(run=run, result=state.result, started=started)
    except Exception as error:
        logger.exception("Plan run %s failed", run_id)
        PlanRun.objects.filter(pk=run_id).update(
            status=PlanRunStatus.FAILED, error=str(error)[:2000], finished_at=clock.now()
        )
        for model in RESULT_MODELS:
            model.objects.filter(plan_run_id=run_id).delete()
        raise
    from scheduling.selectors import plan_state_cache

    plan_state_cache.store(run.pk, state)
    plan_changed.send(sender=PlanRun, plan_run_id=run.pk, references=changed)
    run.refresh_from_db()
    return run


@transaction.atomic
def _switch_in(*, run: PlanRun, result, started: float) -> list[str]:
    """Make ``run`` the current plan; return the demand references whose dates moved."""
    previous = PlanRun.objects.select_for_update().filter(is_current=True).first()
    before = {}
    if previous is not None:
        before = dict(
            DemandProjection.objects.filter(plan_run=previous).values_list(
                "reference", "projected_delivery"
            )
        )
        PlanRun.objects.filter(pk=previous.pk).update(is_current=False)
    stats = result.stats
    PlanRun.objects.filter(pk=run.pk).update(
        status=PlanRunStatus.DONE,
        is_current=True,
        progress=100,
        stage="Done",
        finished_at=clock.now(),
        duration_ms=int((time.monotonic() - started) * 1000),
        counts={
            "demands": stats.demands,
            "late_demands": stats.late_demands,
            "operations": stats.operations,
            "planned_orders": stats.planned_orders,
            "purchase_suggestions": stats.purchase_suggestions,
            "shortages": stats.shortages,
            "overloaded_days": stats.overloaded_buckets,
            "pin_conflicts": stats.pin_conflicts,
        },
    )
    _refresh_operation_dates(run)
    # Keep the previous plan's rows for comparison; older ones are no longer needed.
    old = PlanRun.objects.exclude(pk=run.pk).exclude(pk=getattr(previous, "pk", None))
    for model in RESULT_MODELS:
        model.objects.filter(plan_run__in=old.values("pk")).delete()
    after = {p.ref: p.projected_delivery for p in result.projections}
    return sorted(ref for ref in set(before) | set(after) if before.get(ref) != after.get(ref))


def _refresh_operation_dates(run: PlanRun) -> None:
    planned = {
        (op.work_order_id, op.sequence): op
        for op in PlannedOperation.objects.filter(plan_run=run, work_order__isnull=False)
    }
    changed = []
    for op in WorkOrderOperation.objects.filter(work_order_id__in={key[0] for key in planned}):
        row = planned.get((op.work_order_id, op.sequence))
        if row and (op.planned_start, op.planned_end) != (row.start, row.end):
            op.planned_start, op.planned_end = row.start, row.end
            changed.append(op)
    WorkOrderOperation.objects.bulk_update(
        changed, ["planned_start", "planned_end"], batch_size=2000
    )
