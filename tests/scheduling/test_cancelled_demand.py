"""A cancelled order's work and material leave the plan: the next run books none of it."""

from decimal import Decimal

import pytest

from orders import services
from orders.models import OrderPolicy
from orders.states import OrderStatus as S
from scheduling.models import (
    Item,
    PlannedOperation,
    PlannedWorkOrder,
    PlanRun,
    PurchaseSuggestion,
    Shortage,
    WorkOrder,
    WorkOrderStatus,
)
from scheduling.services import regenerate_plan, request_replan
from tests.factories.orders import ProductFactory, SalesOrderFactory, SalesOrderLineFactory
from tests.factories.scheduling import WorkOrderFactory, WorkOrderOperationFactory
from tests.scheduling.conftest import day

pytestmark = pytest.mark.django_db


def replan() -> PlanRun:
    return regenerate_plan(run_id=request_replan(delay=0).pk)


def acknowledged(*, frame, frames: int, promised, sales):
    order = SalesOrderFactory(status=S.VALIDATED)
    SalesOrderLineFactory(
        order=order, line_no=1, product=ProductFactory(item=frame), quantity=Decimal(frames)
    )
    return services.order_acknowledge(order_id=order.pk, actor=sales, promised_date=promised)


def cancel(order, sales):
    services.order_transition(
        order_id=order.pk, transition="cancel", actor=sales, note="Project stopped"
    )


def planned_refs(run: PlanRun) -> set[str]:
    return {
        ref
        for model in (PlannedOperation, PlannedWorkOrder, PurchaseSuggestion, Shortage)
        for refs in model.objects.filter(plan_run=run).values_list("demand_refs", flat=True)
        for ref in refs
    }


@pytest.fixture
def sales(make_user):
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})
    return make_user("sales")


def test_after_a_cancel_the_next_plan_holds_none_of_its_work_and_its_material_is_free(plant, sales):
    # given: sheet for five frames; the first five are due first, so the next five must wait
    # for a purchase
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(10))
    first = acknowledged(frame=plant["frame"], frames=5, promised=day(21), sales=sales)
    second = acknowledged(frame=plant["frame"], frames=5, promised=day(35), sales=sales)
    before = replan()
    assert PurchaseSuggestion.objects.filter(plan_run=before, item=plant["sheet"]).exists()
    # when
    cancel(first, sales)
    after = replan()
    # then: nothing of the first order is planned, and the second takes its sheet
    refs = planned_refs(after)
    assert f"{first.number}/1" not in refs
    assert f"{second.number}/1" in refs
    assert not PurchaseSuggestion.objects.filter(plan_run=after, item=plant["sheet"]).exists()
    assert not Shortage.objects.filter(plan_run=after).exists()


def test_firm_work_of_a_cancelled_order_is_cancelled_and_leaves_the_board(plant, sales):
    # given: the order's work was firmed by a move on the board
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(100))
    order = acknowledged(frame=plant["frame"], frames=5, promised=day(21), sales=sales)
    firm = WorkOrderFactory(
        item=plant["frame"],
        quantity=Decimal(5),
        status=WorkOrderStatus.FIRM,
        demand_refs=[f"{order.number}/1"],
    )
    WorkOrderOperationFactory(work_order=firm, sequence=10, work_center=plant["laser"])
    assert PlannedOperation.objects.filter(plan_run=replan(), work_order=firm).exists()
    # when
    cancel(order, sales)
    after = replan()
    # then
    firm.refresh_from_db()
    assert firm.status == WorkOrderStatus.CANCELLED
    assert not PlannedOperation.objects.filter(plan_run=after).exists()
    assert not WorkOrder.objects.filter(status=WorkOrderStatus.FIRM).exists()
