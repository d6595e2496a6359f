import pytest

from scheduling.models import OperationStatus
from scheduling.selectors import progress_for
from tests.factories.scheduling import (
    WorkCenterFactory,
    WorkOrderFactory,
    WorkOrderOperationFactory,
)

pytestmark = pytest.mark.django_db


def test_progress_counts_only_the_work_orders_pegged_to_the_asked_references(
    django_assert_max_num_queries,
):
    # given: SO-1/1 has two operations (one done); SO-1/10 and a cancelled order must not count
    mine = WorkOrderFactory(demand_refs=["SO-1/1", "SO-7/2"])
    WorkOrderOperationFactory(work_order=mine, sequence=10, status=OperationStatus.DONE)
    WorkOrderOperationFactory(
        work_order=mine, sequence=20, work_center=WorkCenterFactory(name="Paint line")
    )
    other = WorkOrderFactory(demand_refs=["SO-1/10"])
    WorkOrderOperationFactory(work_order=other, sequence=10)
    cancelled = WorkOrderFactory(demand_refs=["SO-1/1"], status="cancelled")
    WorkOrderOperationFactory(work_order=cancelled, sequence=10)
    # when
    with django_assert_max_num_queries(2):
        progress = progress_for(references=["SO-1/1"])
    # then
    assert progress == {
        "SO-1/1": {
            "done": 1,
            "total": 2,
            "work_center": "Paint line",
            "work_orders": [mine.number],
        }
    }
    assert progress_for(references=[]) == {}
