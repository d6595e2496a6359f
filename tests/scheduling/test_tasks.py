"""Plan runs: requested after commit, idempotent, swept when lost or dead."""

import datetime as dt

import pytest
from django.utils import timezone

from scheduling.models import PlannedOperation, PlanRun, PlanRunStatus
from scheduling.services.planning import request_replan
from scheduling.tasks import plan_sweep_task, regenerate_plan_task
from tests.factories.scheduling import DemandFactory
from tests.scheduling.conftest import day


@pytest.mark.django_db
def test_a_rolled_back_request_sends_nothing(plant, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request_replan(delay=0)
    # then: exactly one enqueue, and only on commit
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_running_the_task_twice_changes_nothing_the_second_time(plant):
    # given
    DemandFactory(item=plant["frame"], quantity=10, due_date=day(28))
    run = request_replan(delay=0)
    # when
    regenerate_plan_task(run_id=run.pk)
    regenerate_plan_task(run_id=run.pk)
    # then
    assert PlanRun.objects.filter(status=PlanRunStatus.DONE).count() == 1
    assert PlannedOperation.objects.filter(plan_run=run).count() == 2


@pytest.mark.django_db
def test_the_sweep_starts_a_run_whose_message_was_lost_and_fails_dead_runs(plant, settings):
    # given: a pending run nobody picked up, and a run whose worker died hours ago
    settings.ORDERCRAFT_REPLAN_DELAY = 0
    lost = request_replan(delay=0)
    PlanRun.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=5))
    dead = PlanRun.objects.create(
        trigger="change",
        status=PlanRunStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(hours=3),
    )
    # when
    plan_sweep_task()
    # then
    assert PlanRun.objects.get(pk=lost.pk).status == PlanRunStatus.DONE
    dead.refresh_from_db()
    assert dead.status == PlanRunStatus.FAILED
    assert dead.error == "The run stopped without finishing."
