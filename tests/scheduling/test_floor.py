"""Planner moves, releases and purchases; production progress; on PostgreSQL."""

from decimal import Decimal

import pytest

from scheduling import services
from scheduling.models import (
    Allocation,
    Item,
    OperationStatus,
    PlannedOperation,
    PlannedWorkOrder,
    PurchaseOrder,
    PurchaseSuggestion,
    WorkOrder,
    WorkOrderOperation,
    WorkOrderStatus,
)
from scheduling.services import SchedulingError
from scheduling.services.planning import request_replan
from tests.factories.scheduling import DemandFactory, DowntimeFactory, HolidayFactory
from tests.scheduling.conftest import day

pytestmark = pytest.mark.django_db


def run_plan():
    return services.regenerate_plan(run_id=request_replan(delay=0).pk)


@pytest.fixture
def planned(plant, make_user):
    # Enough sheet in stock, so the work can start today.
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(100))
    DemandFactory(reference="SO-000010/1", item=plant["frame"], quantity=10, due_date=day(28))
    run = run_plan()
    return {
        **plant,
        "run": run,
        "planner": make_user("planner"),
        "laser_op": PlannedOperation.objects.get(plan_run=run, sequence=10),
        "weld_op": PlannedOperation.objects.get(plan_run=run, sequence=20),
    }


def test_dragging_a_job_pins_it_and_the_next_plan_puts_it_there(planned):
    # given: welding is planned for today; the planner wants it on Thursday
    weld_op = planned["weld_op"]
    # when
    operation = services.move_operation(
        operation_key=weld_op.key,
        work_center_id=planned["weld"].pk,
        day=day(3),
        actor=planned["planner"],
    )
    run = run_plan()
    # then: the planned work became a firm work order whose welding is pinned to Thursday
    assert operation.work_order.status == WorkOrderStatus.FIRM
    assert (operation.pinned, operation.pin_day) == (True, day(3))
    moved = PlannedOperation.objects.get(plan_run=run, key=operation.key)
    assert moved.start.date() == day(3)
    assert moved.pinned


@pytest.mark.parametrize(
    ("target", "when", "message"),
    [
        ("laser2", 1, "Fibre laser cannot do this job: it needs a Welding (welding)."),
        ("weld", 5, "Welding does not work on Sat 5 Dec."),
        ("weld", -3, "Fri 27 Nov is in the past."),
    ],
)
def test_a_refused_move_says_why_and_changes_nothing(planned, target, when, message):
    # when
    with pytest.raises(SchedulingError) as refused:
        services.move_operation(
            operation_key=planned["weld_op"].key,
            work_center_id=planned[target].pk,
            day=day(when),
            actor=planned["planner"],
        )
    # then
    assert refused.value.message == message
    assert not WorkOrder.objects.exists()


def test_a_move_before_the_previous_operation_ends_is_refused(planned):
    # given: laser cutting pinned to Wednesday
    services.move_operation(
        operation_key=planned["laser_op"].key,
        work_center_id=planned["laser"].pk,
        day=day(2),
        actor=planned["planner"],
    )
    run = run_plan()
    weld = PlannedOperation.objects.get(plan_run=run, sequence=20)
    # when / then: welding cannot move to Tuesday, before its cutting
    with pytest.raises(SchedulingError) as refused:
        services.move_operation(
            operation_key=weld.key,
            work_center_id=planned["weld"].pk,
            day=day(1),
            actor=planned["planner"],
        )
    assert refused.value.message == (
        "Operation 20 cannot start before operation 10 (Laser cutting) ends on Wed 2 Dec."
    )


def test_a_move_onto_a_full_day_is_refused(planned):
    # given: the welder loses all but an hour on Thursday
    DowntimeFactory(work_center=planned["weld"], date=day(3), minutes_lost=420)
    # when / then
    with pytest.raises(SchedulingError) as refused:
        services.move_operation(
            operation_key=planned["weld_op"].key,
            work_center_id=planned["weld"].pk,
            day=day(3),
            actor=planned["planner"],
        )
    assert refused.value.message == (
        "Welding has 60 of 60 minutes free on Thu 3 Dec; this job needs 180."
    )


def test_a_plant_holiday_cannot_take_a_job(planned):
    HolidayFactory(date=day(2))
    with pytest.raises(SchedulingError, match=r"Welding does not work on Wed 2 Dec\."):
        services.move_operation(
            operation_key=planned["weld_op"].key,
            work_center_id=planned["weld"].pk,
            day=day(2),
            actor=planned["planner"],
        )


def test_releasing_planned_work_creates_the_work_order_and_issues_components(planned):
    # given
    key = PlannedWorkOrder.objects.get(plan_run=planned["run"]).key
    # when
    work_order = services.release_work_order(planned_key=key, actor=planned["planner"])
    # then
    assert work_order.status == WorkOrderStatus.RELEASED
    assert work_order.demand_refs == ["SO-000010/1"]
    assert list(work_order.operations.values_list("sequence", "work_center__code")) == [
        (10, "LASER"),
        (20, "WELD"),
    ]
    # 10 frames x 2 sheets issued from the 100 in stock
    assert Item.objects.get(code="SHEET").on_hand == Decimal("80.000")
    with pytest.raises(SchedulingError, match="already work order"):
        services.release_work_order(planned_key=key, actor=planned["planner"])


def test_production_reports_progress_and_the_finished_work_is_reserved(planned, make_user):
    # given
    key = PlannedWorkOrder.objects.get(plan_run=planned["run"]).key
    work_order = services.release_work_order(planned_key=key, actor=planned["planner"])
    laser, weld = work_order.operations.order_by("sequence")
    operator = make_user("production")
    # when / then: welding cannot start before cutting is done
    with pytest.raises(SchedulingError, match="Finish operation 10"):
        services.report_progress(operation_id=weld.pk, actor=operator, action="start")
    services.report_progress(operation_id=laser.pk, actor=operator, action="start")
    services.report_progress(
        operation_id=laser.pk, actor=operator, action="finish", good_quantity=Decimal(10)
    )
    services.report_progress(operation_id=weld.pk, actor=operator, action="start")
    services.report_progress(
        operation_id=weld.pk,
        actor=operator,
        action="finish",
        good_quantity=Decimal(9),
        scrap_quantity=Decimal(1),
    )
    # then
    work_order.refresh_from_db()
    assert (work_order.status, work_order.good_quantity, work_order.scrap_quantity) == (
        WorkOrderStatus.DONE,
        Decimal("9.000"),
        Decimal("1.000"),
    )
    assert Item.objects.get(code="FRAME").on_hand == Decimal("9.000")
    allocation = Allocation.objects.get()
    assert (allocation.demand.reference, allocation.quantity) == ("SO-000010/1", Decimal("9.000"))
    assert set(WorkOrderOperation.objects.values_list("status", flat=True)) == {
        OperationStatus.DONE
    }


def test_finishing_without_quantities_is_refused(planned, make_user):
    key = PlannedWorkOrder.objects.get(plan_run=planned["run"]).key
    work_order = services.release_work_order(planned_key=key, actor=planned["planner"])
    laser = work_order.operations.get(sequence=10)
    operator = make_user("production")
    services.report_progress(operation_id=laser.pk, actor=operator, action="start")
    with pytest.raises(SchedulingError, match="how many good"):
        services.report_progress(operation_id=laser.pk, actor=operator, action="finish")
    laser.refresh_from_db()
    assert laser.status == OperationStatus.IN_PROGRESS


def test_a_purchase_suggestion_becomes_a_purchase_order_once(plant, make_user):
    # given: 20 sheets needed, 5 in stock
    DemandFactory(item=plant["frame"], quantity=10, due_date=day(28))
    suggestion = PurchaseSuggestion.objects.get(plan_run=run_plan())
    planner = make_user("planner")
    # when
    order = services.create_purchase_order_from_suggestion(
        suggestion_id=suggestion.pk, actor=planner
    )
    again = services.create_purchase_order_from_suggestion(
        suggestion_id=suggestion.pk, actor=planner
    )
    # then
    assert again == order
    assert PurchaseOrder.objects.count() == 1
    line = order.lines.get()
    assert (order.supplier, line.item.code, line.quantity, line.due_date) == (
        "Alu Supply Co",
        "SHEET",
        Decimal("15.000"),
        suggestion.arrival,
    )
    # the next plan counts it as a receipt and suggests nothing more
    run = run_plan()
    assert not PurchaseSuggestion.objects.filter(plan_run=run).exists()


def test_more_pieces_than_arrived_cannot_be_reported(planned, make_user):
    key = PlannedWorkOrder.objects.get(plan_run=planned["run"]).key
    work_order = services.release_work_order(planned_key=key, actor=planned["planner"])
    laser = work_order.operations.get(sequence=10)
    operator = make_user("production")
    services.report_progress(operation_id=laser.pk, actor=operator, action="start")
    with pytest.raises(SchedulingError) as refused:
        services.report_progress(
            operation_id=laser.pk, actor=operator, action="finish", good_quantity=Decimal(11)
        )
    assert refused.value.message == "Only 10 pieces came to this operation; 11 were reported."


def test_a_job_moved_twice_before_the_replan_moves_its_work_order(planned):
    # given: the planned welding was moved once (its work order is now firm)
    first = services.move_operation(
        operation_key=planned["weld_op"].key,
        work_center_id=planned["weld"].pk,
        day=day(3),
        actor=planned["planner"],
    )
    # when: the board still shows the planned card and the planner moves it again
    second = services.move_operation(
        operation_key=planned["weld_op"].key,
        work_center_id=planned["weld"].pk,
        day=day(4),
        actor=planned["planner"],
    )
    # then
    assert second.pk == first.pk
    assert second.pin_day == day(4)
    assert WorkOrder.objects.count() == 1
