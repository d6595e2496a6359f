"""Celery tasks of scheduling: thin wrappers over services, safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from core import clock
from scheduling import services
from scheduling.models import PlanRun, PlanRunStatus, PlanTrigger
from scheduling.services.planning import fail_stale_runs


@shared_task(acks_late=True, ignore_result=True)
def regenerate_plan_task(*, run_id: int) -> None:
    services.regenerate_plan(run_id=run_id)


@shared_task(ignore_result=True)
def plan_nightly_task() -> None:
    """The nightly full regeneration (config/celery.py schedules it)."""
    services.request_replan(trigger=PlanTrigger.NIGHTLY, delay=0)


@shared_task(ignore_result=True)
def plan_sweep_task() -> None:
    """Fail runs whose worker died; start pending runs whose message was lost."""
    fail_stale_runs()
    overdue = clock.now() - timedelta(seconds=settings.ORDERCRAFT_REPLAN_DELAY + 60)
    for run_id in PlanRun.objects.filter(
        status=PlanRunStatus.PENDING, requested_at__lt=overdue
    ).values_list("pk", flat=True):
        services.regenerate_plan(run_id=run_id)
