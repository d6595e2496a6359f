import pytest

from scheduling.engine import (
    Allocation,
    BomLine,
    Constraint,
    Demand,
    Item,
    PlannedOrder,
    PurchaseSuggestion,
    RoutingOp,
    ScheduledReceipt,
    Shortage,
    plan,
)
from tests.scheduling.engine.helpers import day, problem, work_center


def _resale(item: Item, demands, **kwargs):
    """A bought item sold as is: MRP only, nothing to schedule."""
    return problem(items=(item,), demands=tuple(demands), **kwargs)


def _purchases(result):
    return [(p.key, p.qty, p.needed, p.demand_refs) for p in result.purchase_suggestions]


def test_two_level_bom_reports_the_shortage_date_and_the_demand_it_hurts():
    # given 3 tables due Friday 13 March need 12 legs; 8 are in stock, legs take 10 days
    table = Item("TABLE", make=True, lead_time_days=2, description="Table")
    leg = Item("LEG", make=False, lead_time_days=10, on_hand=8, description="Table leg")
    given = problem(
        items=(table, leg),
        bom_lines=(BomLine("TABLE", "LEG", 4),),
        routings=(RoutingOp("TABLE", 10, "ASM", 0, 20),),
        work_centers=(work_center("ASM", "Assembly"),),
        demands=(Demand("SO-1", "TABLE", 3, day(11)),),
    )

    # when
    result = plan(given)

    # then the table is released two days before it is due, on Wednesday 11 March
    assert result.planned_orders == (
        PlannedOrder("PWO-TABLE-1", "TABLE", 3.0, day(9), day(11), ("SO-1",)),
    )
    # the 4 missing legs are needed on the release day but cannot arrive before Thursday
    assert result.shortages == (Shortage("LEG", 4.0, day(9), day(10), ("SO-1",), "PPO-LEG-1"),)
    assert result.purchase_suggestions == (
        PurchaseSuggestion("PPO-LEG-1", "LEG", 4.0, day(0), day(9), day(10), ("SO-1",)),
    )
    (projection,) = result.projections
    assert (projection.projected_completion, projection.late_days) == (day(10), 0)
    assert projection.binding_constraint == Constraint(
        "lead_time",
        "Table leg must be bought: 10 days purchase lead time, arrives Thu 12 Mar",
        item="LEG",
        reference="PPO-LEG-1",
        date=day(10),
    )


def test_an_item_used_on_two_levels_is_planned_once_at_its_deepest_level():
    # given C goes into A directly and into B, which itself goes into A
    items = (
        Item("A", make=True, lead_time_days=1),
        Item("B", make=True, lead_time_days=1),
        Item("C", make=False, lead_time_days=1),
    )
    bom = (BomLine("A", "B", 1), BomLine("A", "C", 1), BomLine("B", "C", 2))

    # when
    result = plan(problem(items=items, bom_lines=bom, demands=(Demand("SO-1", "A", 1, day(10)),)))

    # then
    assert result.low_level_codes == (("A", 0), ("B", 1), ("C", 2))
    assert [(o.key, o.qty, o.start, o.due) for o in result.planned_orders] == [
        ("PWO-B-1", 1.0, day(8), day(9)),
        ("PWO-A-1", 1.0, day(9), day(10)),
    ]
    # both needs for C are netted together, B's (earlier) first
    assert [(p.key, p.qty, p.demand_refs) for p in result.purchase_suggestions] == [
        ("PPO-C-1", 2.0, ("SO-1",)),
        ("PPO-C-2", 1.0, ("SO-1",)),
    ]


def test_a_bom_cycle_is_refused():
    # given
    items = (Item("A", make=True), Item("B", make=True))
    bom = (BomLine("A", "B", 1), BomLine("B", "A", 1))

    # when / then
    with pytest.raises(ValueError, match="cycle"):
        plan(problem(items=items, bom_lines=bom))


@pytest.mark.parametrize(
    ("rule", "demands", "expected"),
    [
        pytest.param(
            {"lot_rule": "lot_for_lot"},
            [("SO-1", 7, 3), ("SO-2", 5, 4)],
            [("PPO-X-1", 7.0, day(3), ("SO-1",)), ("PPO-X-2", 5.0, day(4), ("SO-2",))],
            id="lot_for_lot",
        ),
        pytest.param(
            {"lot_rule": "fixed", "lot_qty": 10},
            [("SO-1", 25, 3), ("SO-2", 7, 4)],
            [
                ("PPO-X-1", 10.0, day(3), ("SO-1",)),
                ("PPO-X-2", 10.0, day(3), ("SO-1",)),
                ("PPO-X-3", 10.0, day(3), ("SO-1", "SO-2")),
                ("PPO-X-4", 10.0, day(4), ("SO-2",)),
            ],
            id="fixed",
        ),
        pytest.param(
            {"lot_rule": "min_mult", "lot_min": 20, "lot_multiple": 8},
            [("SO-1", 5, 3), ("SO-2", 30, 4)],
            [("PPO-X-1", 24.0, day(3), ("SO-1", "SO-2")), ("PPO-X-2", 24.0, day(4), ("SO-2",))],
            id="min_mult",
        ),
        pytest.param(
            {"lot_rule": "period", "period_days": 7},
            [("SO-1", 4, 3), ("SO-2", 6, 5), ("SO-3", 3, 9), ("SO-4", 2, 10), ("SO-5", 5, 12)],
            [
                ("PPO-X-1", 13.0, day(3), ("SO-1", "SO-2", "SO-3")),
                ("PPO-X-2", 7.0, day(10), ("SO-4", "SO-5")),
            ],
            id="period",
        ),
    ],
)
def test_lot_rules_size_planned_orders(rule, demands, expected):
    # given a bought item with no lead time, so each order is needed on its demand's due date
    item = Item("X", make=False, **rule)

    # when
    result = plan(_resale(item, [Demand(ref, "X", qty, day(n)) for ref, qty, n in demands]))

    # then
    assert _purchases(result) == expected
    assert result.shortages == ()


def test_safety_stock_is_not_available_to_demands():
    # given 30 in stock of which 10 are safety stock, and a demand for 25
    item = Item("S", make=False, lead_time_days=5, on_hand=30, safety_stock=10)

    # when
    result = plan(_resale(item, [Demand("SO-1", "S", 25, day(20))]))

    # then
    assert result.purchase_suggestions == (
        PurchaseSuggestion("PPO-S-1", "S", 5.0, day(15), day(20), day(20), ("SO-1",)),
    )


def test_stock_below_safety_stock_is_replenished_at_once():
    # given 10 in stock against a safety stock of 15, and no demand at all
    item = Item("S", make=False, lead_time_days=5, on_hand=10, safety_stock=15)

    # when
    result = plan(_resale(item, []))

    # then
    assert result.purchase_suggestions == (
        PurchaseSuggestion("PPO-S-1", "S", 5.0, day(0), day(0), day(5), ()),
    )
    assert result.shortages == (Shortage("S", 5.0, day(0), day(5), (), "PPO-S-1"),)


def test_allocated_stock_serves_only_its_own_demand():
    # given 10 pallets in stock, 6 of them reserved for SO-2
    item = Item("P", make=False, lead_time_days=3, on_hand=10, description="Pallet")
    demands = [Demand("SO-1", "P", 8, day(5)), Demand("SO-2", "P", 6, day(10))]

    # when
    result = plan(_resale(item, demands, allocations=(Allocation("P", 6, "SO-2"),)))

    # then SO-1 gets the 4 free pallets and a purchase for the rest; SO-2 needs nothing
    assert _purchases(result) == [("PPO-P-1", 4.0, day(5), ("SO-1",))]
    so1, so2 = result.projections
    assert (so1.projected_completion, so1.binding_constraint.kind) == (day(5), "material")
    assert so1.binding_constraint.message == "Pallet is to be bought to arrive Sat 7 Mar on PPO-P-1"
    assert so2.projected_completion == day(0)
    assert so2.binding_constraint.message == "Pallet is in stock"


def test_scheduled_receipts_are_used_while_they_beat_a_new_purchase():
    # given rivets take 20 days to buy; three purchase orders are open
    item = Item("R", make=False, lead_time_days=20, description="Rivet")
    receipts = (
        ScheduledReceipt("R", 10, day(4), "PO-1"),
        ScheduledReceipt("R", 10, day(15), "PO-2"),
        ScheduledReceipt("R", 10, day(40), "PO-3"),
    )
    demands = [
        Demand("SO-1", "R", 8, day(6)),
        Demand("SO-2", "R", 6, day(8)),
        Demand("SO-3", "R", 12, day(25)),
    ]

    # when
    result = plan(_resale(item, demands, receipts=receipts))

    # then SO-2 waits for PO-2 (late, but sooner than buying anew) and SO-3 needs a purchase
    # because PO-3 comes after it is due
    assert result.shortages == (Shortage("R", 4.0, day(8), day(15), ("SO-2",), "PO-2"),)
    assert result.purchase_suggestions == (
        PurchaseSuggestion("PPO-R-1", "R", 6.0, day(5), day(25), day(25), ("SO-3",)),
    )
    late = {p.ref: (p.projected_completion, p.late_days) for p in result.projections}
    assert late == {"SO-1": (day(4), 0), "SO-2": (day(15), 7), "SO-3": (day(25), 0)}


def test_transit_and_inspection_move_the_production_due_date_earlier():
    # given delivery wanted Friday 13 March after 3 days transit and 2 days final inspection
    item = Item("X", make=True)
    demand = Demand("SO-1", "X", 1, day(11), inspection_days=2, transit_days=3)

    # when
    result = plan(problem(items=(item,), demands=(demand,)))

    # then ship by Tuesday 10 March, so production is due Friday 6 March
    assert result.planned_orders[0].due == day(4)
