"""Plan runs on PostgreSQL: rows written, switched in atomically, failures leave the old plan."""

from decimal import Decimal

import pytest

from scheduling import services
from scheduling.models import (
    BomLine,
    DemandProjection,
    PlannedOperation,
    PlanRun,
    PlanRunStatus,
    PurchaseSuggestion,
    Shortage,
)
from scheduling.services.planning import request_replan
from scheduling.signals import plan_changed
from tests.factories.scheduling import DemandFactory
from tests.scheduling.conftest import day

pytestmark = pytest.mark.django_db


def run_plan() -> PlanRun:
    run = request_replan(delay=0)
    return services.regenerate_plan(run_id=run.pk)


def test_a_plan_run_writes_the_plan_and_becomes_current(plant):
    # given: 10 frames due in four weeks; 20 sheets needed, 5 on hand, 10 days to buy more
    DemandFactory(reference="SO-000001/1", item=plant["frame"], quantity=10, due_date=day(28))
    # when
    run = run_plan()
    # then
    assert (run.status, run.is_current, run.progress) == (PlanRunStatus.DONE, True, 100)
    assert run.counts["demands"] == 1
    ops = PlannedOperation.objects.filter(plan_run=run).order_by("sequence")
    assert [(op.work_center.code, op.sequence, op.run_minutes) for op in ops] == [
        ("LASER", 10, 60),
        ("WELD", 20, 120),
    ]
    suggestion = PurchaseSuggestion.objects.get(plan_run=run)
    assert (suggestion.item.code, suggestion.quantity) == ("SHEET", Decimal("15.000"))
    assert suggestion.demand_refs == ["SO-000001/1"]
    projection = DemandProjection.objects.get(plan_run=run)
    assert projection.reference == "SO-000001/1"
    assert projection.late_days == 0


def test_a_shortage_names_the_demand_it_hurts(plant):
    # given: due in five days, but sheet takes ten days to arrive
    DemandFactory(reference="SO-000002/1", item=plant["frame"], quantity=10, due_date=day(5))
    # when
    run = run_plan()
    # then
    shortage = Shortage.objects.get(plan_run=run)
    assert (shortage.item.code, shortage.quantity, shortage.demand_refs) == (
        "SHEET",
        Decimal("15.000"),
        ["SO-000002/1"],
    )
    assert shortage.available_date == day(10)
    assert DemandProjection.objects.get(plan_run=run).late_days > 0


def test_the_next_run_replaces_the_plan_and_reports_what_moved(plant):
    # given
    demand = DemandFactory(reference="SO-000003/1", item=plant["frame"], due_date=day(28))
    first = run_plan()
    heard = []

    def listener(sender, plan_run_id, references, **kwargs):
        heard.append((plan_run_id, references))

    plan_changed.connect(listener)
    try:
        # when: the customer doubles the quantity and a second order arrives
        demand.quantity = Decimal(200)
        demand.save()
        DemandFactory(reference="SO-000004/1", item=plant["frame"], due_date=day(30))
        second = run_plan()
    finally:
        plan_changed.disconnect(listener)
    # then
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert heard == [(second.pk, ["SO-000003/1", "SO-000004/1"])]


def test_a_failed_run_leaves_the_previous_plan_in_place(plant):
    # given: a good plan, then a bill of material that loops back on itself
    DemandFactory(item=plant["frame"], due_date=day(28))
    good = run_plan()
    BomLine.objects.create(parent=plant["sheet"], component=plant["frame"], quantity_per=1)
    # when
    run = request_replan(delay=0)
    with pytest.raises(ValueError, match="cycle"):
        services.regenerate_plan(run_id=run.pk)
    # then
    run.refresh_from_db()
    good.refresh_from_db()
    assert run.status == PlanRunStatus.FAILED
    assert "cycle" in run.error
    assert good.is_current
    assert not PlannedOperation.objects.filter(plan_run=run).exists()
    assert PlannedOperation.objects.filter(plan_run=good).count() == 2


def test_two_runs_cannot_run_at_once(plant):
    # given: one run is in progress
    busy = request_replan(delay=0)
    PlanRun.objects.filter(pk=busy.pk).update(status=PlanRunStatus.RUNNING)
    waiting = request_replan(delay=0)
    # when
    result = services.regenerate_plan(run_id=waiting.pk)
    # then: the second waits, untouched
    assert result.status == PlanRunStatus.PENDING
    assert PlanRun.objects.filter(is_current=True).count() == 0


def test_changes_in_a_burst_share_one_pending_run(plant):
    first = request_replan()
    second = request_replan()
    assert first.pk == second.pk
    assert PlanRun.objects.filter(status=PlanRunStatus.PENDING).count() == 1


def test_a_finished_run_run_again_changes_nothing(plant):
    DemandFactory(item=plant["frame"], due_date=day(28))
    run = run_plan()
    again = services.regenerate_plan(run_id=run.pk)
    assert again.finished_at == run.finished_at
    assert PlannedOperation.objects.filter(plan_run=run).count() == 2


def test_a_quote_explains_its_date_and_leaves_the_plan_alone(plant):
    # given
    DemandFactory(item=plant["frame"], quantity=10, due_date=day(28))
    run = run_plan()
    rows_before = PlannedOperation.objects.filter(plan_run=run).count()
    # when: 10 more frames; the 5 sheets on hand are taken, so sheet must be bought
    quote = services.quote(item_id=plant["frame"].pk, quantity=Decimal(10), due_date=day(7))
    # then
    assert quote.binding.kind == "lead_time"
    assert "Aluminium sheet" in quote.binding.message
    assert "10 days purchase lead time" in quote.binding.message
    assert quote.earliest_ship > day(10)
    assert PlannedOperation.objects.filter(plan_run=run).count() == rows_before
