"""What-if plans: the plan made again with changed demands, nothing saved."""

from decimal import Decimal

import pytest

from scheduling import engine, services
from scheduling.adapters import demand_to_engine
from scheduling.models import Demand, DemandProjection, PlannedOperation, PlanRun
from scheduling.services.planning import request_replan
from tests.factories.scheduling import (
    DemandFactory,
    ItemFactory,
    RoutingOperationFactory,
    WorkCenterFactory,
)
from tests.scheduling.conftest import day

pytestmark = pytest.mark.django_db


@pytest.fixture
def press(monday):
    """One press, 480 minutes a weekday, 48 minutes a bracket: ten brackets a day.

    Order 1 needs 20 (Monday and Tuesday), order 2 needs 10 after it (Wednesday).
    """
    press = WorkCenterFactory(code="PRESS", name="Press")
    bracket = ItemFactory(code="BRACKET", name="Bracket", make=True, lead_time_days=0)
    RoutingOperationFactory(
        item=bracket,
        sequence=10,
        work_center=press,
        setup_minutes=0,
        run_minutes_per_unit=Decimal(48),
    )
    first = DemandFactory(
        reference="SO-000001/1", item=bracket, quantity=20, due_date=day(14), inspection_days=0
    )
    DemandFactory(
        reference="SO-000002/1", item=bracket, quantity=10, due_date=day(21), inspection_days=0
    )
    services.regenerate_plan(run_id=request_replan(delay=0).pk)
    return {"bracket": bracket, "first": first}


def changed(demand: Demand, **changes) -> engine.Demand:
    return engine.Demand(**{**_fields(demand_to_engine(demand)), **changes})


def _fields(demand: engine.Demand) -> dict:
    return {name: getattr(demand, name) for name in engine.Demand.__slots__}


def test_without_changes_the_what_if_is_the_current_plan(press):
    # when
    projected = services.what_if(replace={})
    # then
    assert projected == {"SO-000001/1": day(1), "SO-000002/1": day(2)}
    assert projected == dict(
        DemandProjection.objects.values_list("reference", "projected_delivery")
    )


def test_doubling_the_first_order_pushes_the_second_by_two_days(press):
    # given: the current plan, as saved
    runs, operations = PlanRun.objects.count(), PlannedOperation.objects.count()
    # when: 40 brackets take four days on the press (Monday to Thursday)
    projected = services.what_if(replace={"SO-000001/1": changed(press["first"], qty=40)})
    # then: order 2 is pressed on Friday instead of Wednesday
    assert projected == {"SO-000001/1": day(3), "SO-000002/1": day(4)}
    # and nothing was saved
    assert (PlanRun.objects.count(), PlannedOperation.objects.count()) == (runs, operations)
    assert Demand.objects.get(reference="SO-000001/1").quantity == Decimal(20)


def test_a_removed_demand_frees_its_capacity(press):
    # when
    projected = services.what_if(replace={"SO-000001/1": None})
    # then: order 2 goes first, on Monday
    assert projected == {"SO-000002/1": day(0)}


def test_a_new_demand_is_planned_beside_the_others(press):
    # when: a rush order of 10 goes before both
    rush = engine.Demand(
        ref="SO-000003/1", item=press["bracket"].pk, qty=10, due=day(2), priority=0
    )
    projected = services.what_if(replace={"SO-000003/1": rush})
    # then
    assert projected == {"SO-000003/1": day(0), "SO-000001/1": day(2), "SO-000002/1": day(3)}
