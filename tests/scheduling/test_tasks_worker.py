"""Plan runs through the real broker and a real Celery worker.

The worker runs on the real clock, so these tests do too: the plant's Monday is today.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from scheduling.models import PlannedOperation, PlanRun, PlanRunStatus
from scheduling.services.planning import request_replan
from tests.conftest import wait_for
from tests.factories.scheduling import DemandFactory


@pytest.fixture
def monday():
    """Real time instead of the frozen Monday of conftest, which the worker does not share."""
    return timezone.now()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_requested_replan_is_run_by_the_worker_after_commit(plant, celery_worker_process):
    # given
    DemandFactory(
        item=plant["frame"], quantity=10, due_date=timezone.localdate() + dt.timedelta(days=28)
    )
    # when: the request commits; the worker picks the run up from Redis
    with transaction.atomic():
        run = request_replan(delay=0)
        assert PlanRun.objects.get(pk=run.pk).status == PlanRunStatus.PENDING
    # then
    done = wait_for(
        lambda: PlanRun.objects.filter(
            pk=run.pk, status=PlanRunStatus.DONE, is_current=True
        ).first()
    )
    assert done.progress == 100
    assert PlannedOperation.objects.filter(plan_run=done).count() == 2
