import pytest

from scheduling.engine import (
    BomLine,
    Constraint,
    Demand,
    Item,
    RoutingOp,
    ScheduledReceipt,
    build_plan,
    quote,
)
from scheduling.engine.ctp import earliest_slot
from scheduling.engine.serialize import result_to_dict
from tests.scheduling.engine.helpers import at, day, ops_by_key, problem, work_center


@pytest.fixture(scope="module")
def shop():
    """Pumps are painted from brackets, brackets are laser-cut from aluminium sheet.

    Planned already: SO-1, 20 pumps due Friday 27 March. Its 40 brackets use the 10 sheets in
    stock and 30 of the 40 arriving Monday 9 March on PO-0042, so they are cut Monday 9 March
    07:00 to Tuesday 09:00, and the pumps are painted from then to Thursday 12 March 13:00.
    Valves are bought in (3 days) and 20 are in stock."""
    return build_plan(
        problem(
            items=(
                Item("PUMP", make=True, lead_time_days=1, description="Pump"),
                Item("BRACKET", make=True, lead_time_days=1, description="Bracket"),
                Item(
                    "SHEET",
                    make=False,
                    lead_time_days=10,
                    on_hand=10,
                    description="Aluminium sheet",
                ),
                Item("VALVE", make=False, lead_time_days=3, on_hand=20, description="Valve"),
            ),
            bom_lines=(BomLine("PUMP", "BRACKET", 2), BomLine("BRACKET", "SHEET", 1)),
            routings=(
                RoutingOp("BRACKET", 10, "LASER", 0, 15),
                RoutingOp("PUMP", 10, "PAINT", 0, 60),
            ),
            work_centers=(work_center("LASER", "Laser cutter"), work_center("PAINT", "Paint line")),
            receipts=(ScheduledReceipt("SHEET", 40, day(7), "PO-0042"),),
            demands=(Demand("SO-1", "PUMP", 20, day(25)),),
        )
    )


def _pumps(qty=2, due=30, **kwargs):
    return Demand("Q-1", "PUMP", qty, day(due), **kwargs)


def test_the_plan_the_quotes_are_made_against(shop):
    # given / when
    ops = ops_by_key(shop.result)

    # then
    assert (ops["PWO-BRACKET-1/10"].start, ops["PWO-BRACKET-1/10"].end) == (at(7, 7), at(8, 9))
    assert (ops["PWO-PUMP-1/10"].start, ops["PWO-PUMP-1/10"].end) == (at(8, 9), at(10, 13))


def test_material_binds_when_the_sheet_comes_on_an_open_purchase_order(shop):
    # given a request due before SO-1, so SO-1's work gives way to it
    request = _pumps(due=18)

    # when
    answer = quote(shop, request)

    # then
    assert (answer.earliest_completion, answer.earliest_ship, answer.earliest_delivery) == (
        day(7),
        day(7),
        day(7),
    )
    assert answer.binding == Constraint(
        "material",
        "Aluminium sheet arrives Mon 9 Mar on PO-0042",
        item="SHEET",
        reference="PO-0042",
        date=day(7),
    )
    assert answer.steps == (
        "Aluminium sheet arrives Mon 9 Mar on PO-0042",
        "Bracket is finished Mon 9 Mar",
        "Pump is finished Mon 9 Mar",
    )


def test_capacity_binds_when_earlier_promised_work_fills_the_paint_line(shop):
    # given a request of the same priority due after SO-1, which therefore keeps its place
    request = _pumps(due=30)

    # when
    answer = quote(shop, request)

    # then the brackets are cut after SO-1's (Tue 09:00-10:00) and painted after its pumps
    assert answer.earliest_ship == day(10)
    assert answer.binding == Constraint(
        "capacity", "Paint line is full until Thu 12 Mar", "PAINT", "PUMP", None, day(10)
    )
    assert answer.steps == (
        "Paint line is full until Thu 12 Mar",
        "Pump is finished Thu 12 Mar",
    )


def test_a_rush_quote_takes_capacity_ahead_of_normal_work(shop):
    # given the same request as a rush order
    request = _pumps(due=30, priority=0)

    # when
    answer = quote(shop, request)

    # then
    assert answer.earliest_ship == day(7)
    assert answer.binding.kind == "material"


def test_final_inspection_binds_when_the_goods_are_in_stock(shop):
    # given
    request = Demand("Q-2", "VALVE", 5, day(10), inspection_days=2, transit_days=3)

    # when
    answer = quote(shop, request)

    # then
    assert (answer.earliest_completion, answer.earliest_ship, answer.earliest_delivery) == (
        day(0),
        day(2),
        # Three days on the road end on Saturday: the customer's dock receives on Monday.
        day(7),
    )
    assert answer.binding == Constraint("inspection", "2 days final inspection", date=day(2))
    assert answer.steps == (
        "Valve is in stock",
        "2 days final inspection: ships Wed 4 Mar",
        "3 days transit: delivered Mon 9 Mar",
    )


def test_transit_binds_when_nothing_else_takes_time(shop):
    # given
    request = Demand("Q-3", "VALVE", 5, day(10), transit_days=3)

    # when
    answer = quote(shop, request)

    # then
    assert (answer.earliest_ship, answer.earliest_delivery) == (day(0), day(3))
    assert answer.binding == Constraint("transit", "3 days transit", date=day(3))


def test_purchase_lead_time_binds_when_stock_runs_short(shop):
    # given 30 valves wanted, 20 in stock
    request = Demand("Q-4", "VALVE", 30, day(10))

    # when
    answer = quote(shop, request)

    # then
    assert answer.earliest_ship == day(3)
    assert answer.binding == Constraint(
        "lead_time",
        "Valve must be bought: 3 days purchase lead time, arrives Thu 5 Mar",
        item="VALVE",
        date=day(3),
    )


def test_a_quote_does_not_change_the_plan(shop):
    # given
    before = result_to_dict(shop.result)
    timelines = [list(t) for t in shop.timelines]
    free = {item: [lot.qty for lot in lots] for item, lots in shop.free.items()}

    # when
    first = quote(shop, _pumps(qty=30, due=30))
    second = quote(shop, _pumps(qty=30, due=30))

    # then
    assert first == second
    assert result_to_dict(shop.result) == before
    assert [list(t) for t in shop.timelines] == timelines
    assert {item: [lot.qty for lot in lots] for item, lots in shop.free.items()} == free


def test_a_quote_for_an_unknown_item_is_refused(shop):
    # given
    request = Demand("Q-5", "NOPE", 1, day(10))

    # when / then
    with pytest.raises(ValueError, match="unknown item"):
        quote(shop, request)


def test_a_quote_operation_fits_between_planned_work_and_its_own_earlier_bookings():
    # given busy 0-50 and 100-200 on the axis, and the quote itself already booked 60-80
    starts, ends, booked = [0, 100], [50, 200], [(60, 80)]

    # when
    start = earliest_slot(starts, ends, booked, 40, 20)

    # then
    assert start == 80
