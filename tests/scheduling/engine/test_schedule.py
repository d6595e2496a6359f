import dataclasses
import random

from bench.engine_bench import generate_problem
from scheduling.engine import (
    BomLine,
    Demand,
    ExistingOperation,
    ExistingWorkOrder,
    Item,
    LoadBucket,
    Pin,
    RoutingOp,
    ScheduledReceipt,
    plan,
)
from tests.scheduling.engine.helpers import at, day, ops_by_key, problem, work_center

MILL = work_center("MILL", "Mill")


def _single_op_jobs(specs, **kwargs):
    """One make item per spec ``(item, due day, priority, setup, minutes per unit, family)``,
    each with one operation on the mill and a demand for 10."""
    items, routings, demands = [], [], []
    for item, due, priority, setup, per_unit, family in specs:
        items.append(Item(item, make=True))
        routings.append(RoutingOp(item, 10, "MILL", setup, per_unit, family))
        demands.append(Demand(f"SO-{item}", item, 10, day(due), priority=priority))
    kwargs.setdefault("work_centers", (MILL,))
    return problem(items=tuple(items), routings=tuple(routings), demands=tuple(demands), **kwargs)


def _times(result):
    return {op.work_order_key: (op.start, op.end) for op in result.operations}


def test_the_earlier_due_order_goes_first_on_a_shared_work_center():
    # given two orders of the same priority; B is due first
    given = _single_op_jobs([("A", 10, 5, 30, 10, None), ("B", 5, 5, 20, 5, None)])

    # when
    result = plan(given)

    # then
    assert _times(result) == {
        "PWO-B-1": (at(0, 7), at(0, 8, 10)),
        "PWO-A-1": (at(0, 8, 10), at(0, 10, 20)),
    }


def test_the_higher_priority_order_goes_first_whatever_its_due_date():
    # given A is a rush order (priority 0) due later than B
    given = _single_op_jobs([("A", 10, 0, 30, 10, None), ("B", 5, 5, 20, 5, None)])

    # when
    result = plan(given)

    # then
    assert _times(result) == {
        "PWO-A-1": (at(0, 7), at(0, 9, 10)),
        "PWO-B-1": (at(0, 9, 10), at(0, 10, 20)),
    }


def test_a_pinned_job_keeps_its_slot_and_the_others_flow_around_it():
    # given a released work order pinned on the mill at 09:00 today, and three planned jobs:
    # A and C (4 hours each) do not fit before the pin, D (1 hour) does
    given = _single_op_jobs(
        [("A", 3, 5, 0, 24, None), ("C", 4, 5, 0, 24, None), ("D", 20, 5, 0, 6, None)],
        existing_work_orders=(
            ExistingWorkOrder(
                "WO-7",
                "A",
                10,
                day(10),
                operations=(ExistingOperation("WO-7/10", 10, "MILL", 0, 24, 10),),
            ),
        ),
        pins=(Pin("WO-7/10", "MILL", at(0, 9)),),
    )

    # when
    result = plan(given)

    # then
    ops = ops_by_key(result)
    assert (ops["WO-7/10"].start, ops["WO-7/10"].end, ops["WO-7/10"].pinned) == (
        at(0, 9),
        at(0, 13),
        True,
    )
    assert _times(result) == {
        "PWO-D-1": (at(0, 7), at(0, 8)),
        "WO-7": (at(0, 9), at(0, 13)),
        "PWO-A-1": (at(0, 13), at(1, 9)),
        "PWO-C-1": (at(1, 9), at(1, 13)),
    }
    assert result.stats.overloaded_buckets == 0


def test_operations_after_a_pinned_one_wait_for_it_and_overlapping_pins_overload_the_day():
    # given two released work orders pinned on the mill on Tuesday, overlapping by two hours
    paint = work_center("PAINT", "Paint line")
    given = problem(
        items=(Item("E", make=True),),
        work_centers=(MILL, paint),
        existing_work_orders=(
            ExistingWorkOrder(
                "WO-8",
                "E",
                10,
                day(10),
                operations=(
                    ExistingOperation("WO-8/10", 10, "MILL", 0, 24, 10),
                    ExistingOperation("WO-8/20", 20, "PAINT", 0, 6, 10),
                ),
            ),
            ExistingWorkOrder(
                "WO-9",
                "E",
                10,
                day(10),
                operations=(ExistingOperation("WO-9/10", 10, "MILL", 0, 30, 10),),
            ),
        ),
        pins=(Pin("WO-8/10", "MILL", day(1), 0), Pin("WO-9/10", "MILL", day(1), 120)),
    )

    # when
    result = plan(given)

    # then the paint operation waits for the pinned mill operation to end at 11:00
    ops = ops_by_key(result)
    assert (ops["WO-8/20"].start, ops["WO-8/20"].end) == (at(1, 11), at(1, 12))
    assert LoadBucket("MILL", day(1), 480, 540) in result.load
    assert result.stats.overloaded_buckets == 1


def test_pins_of_unknown_operations_are_reported_not_applied():
    # given
    given = _single_op_jobs([("A", 3, 5, 0, 6, None)], pins=(Pin("WO-404/10", "MILL", day(2)),))

    # when
    result = plan(given)

    # then
    assert result.stats.ignored_pins == ("WO-404/10",)
    assert _times(result) == {"PWO-A-1": (at(0, 7), at(0, 8))}


def test_a_same_family_job_goes_next_and_skips_its_setup():
    # given steel, aluminium, steel jobs due on days 3, 4 and 6, each 30 min setup + 1 h run
    specs = [("P1", 3, 5, 30, 6, "steel"), ("P2", 4, 5, 30, 6, "alu"), ("P3", 6, 5, 30, 6, "steel")]

    # when
    grouped = plan(_single_op_jobs(specs))
    strict = plan(_single_op_jobs(specs, setup_window_days=0))

    # then the second steel job runs right after the first, without a changeover
    assert _times(grouped) == {
        "PWO-P1-1": (at(0, 7), at(0, 8, 30)),
        "PWO-P3-1": (at(0, 8, 30), at(0, 9, 30)),
        "PWO-P2-1": (at(0, 9, 30), at(0, 11)),
    }
    assert _times(strict)["PWO-P3-1"] == (at(0, 10), at(0, 11, 30))
    setup = {
        name: sum(op.setup_minutes_applied for op in r.operations)
        for name, r in (("grouped", grouped), ("strict", strict))
    }
    assert setup == {"grouped": 60, "strict": 90}


def test_a_same_family_job_never_passes_a_more_urgent_priority():
    # given a steel job pinned first thing, then a rush aluminium job and a normal steel job
    specs = [("P0", 9, 5, 0, 6, "steel"), ("P2", 4, 0, 30, 6, "alu"), ("P3", 3, 5, 30, 6, "steel")]
    given = _single_op_jobs(specs, pins=(Pin("PWO-P0-1/10", "MILL", day(0), 0),))

    # when
    result = plan(given)

    # then
    assert _times(result) == {
        "PWO-P0-1": (at(0, 7), at(0, 8)),
        "PWO-P2-1": (at(0, 8), at(0, 9, 30)),
        "PWO-P3-1": (at(0, 9, 30), at(0, 11)),
    }


def test_operations_follow_their_sequence_and_wait_for_material():
    # given a parent made from a child that is cut from sheet arriving Wednesday on PO-9
    given = problem(
        items=(
            Item("PARENT", make=True),
            Item("CHILD", make=True),
            Item("SHEET", make=False, lead_time_days=10, description="Sheet"),
        ),
        bom_lines=(BomLine("PARENT", "CHILD", 1), BomLine("CHILD", "SHEET", 1)),
        routings=(
            RoutingOp("CHILD", 10, "MILL", 0, 12),
            RoutingOp("PARENT", 10, "ASM", 0, 6),
            RoutingOp("PARENT", 20, "PAINT", 0, 3),
        ),
        work_centers=(MILL, work_center("ASM"), work_center("PAINT")),
        receipts=(ScheduledReceipt("SHEET", 10, day(2), "PO-9"),),
        demands=(Demand("SO-1", "PARENT", 10, day(10)),),
    )

    # when
    result = plan(given)

    # then
    ops = ops_by_key(result)
    assert [
        (k, ops[k].start, ops[k].end)
        for k in ("PWO-CHILD-1/10", "PWO-PARENT-1/10", "PWO-PARENT-1/20")
    ] == [
        ("PWO-CHILD-1/10", at(2, 7), at(2, 9)),
        ("PWO-PARENT-1/10", at(2, 9), at(2, 10)),
        ("PWO-PARENT-1/20", at(2, 10), at(2, 10, 30)),
    ]
    (projection,) = result.projections
    assert projection.projected_completion == day(2)
    assert projection.binding_constraint.message == "Sheet arrives Wed 4 Mar on PO-9"


def test_work_in_progress_runs_first_without_setup():
    # given a half-done low-priority operation and a rush job on the same work center
    given = _single_op_jobs(
        [("B", 1, 0, 10, 5, None)],
        existing_work_orders=(
            ExistingWorkOrder(
                "WO-1",
                "B",
                6,
                day(20),
                priority=7,
                operations=(ExistingOperation("WO-1/10", 10, "MILL", 45, 5, 6, "in_progress"),),
            ),
        ),
    )

    # when
    result = plan(given)

    # then
    ops = ops_by_key(result)
    assert (ops["WO-1/10"].start, ops["WO-1/10"].end, ops["WO-1/10"].setup_minutes_applied) == (
        at(0, 7),
        at(0, 7, 30),
        0,
    )
    assert (ops["PWO-B-1/10"].start, ops["PWO-B-1/10"].end) == (at(0, 7, 30), at(0, 8, 30))


def test_same_input_gives_the_same_plan_whatever_the_order_it_comes_in():
    # given a generated plant, and the same plant with every list shuffled
    given = generate_problem(300)
    rng = random.Random(7)
    shuffled = {}
    for field in dataclasses.fields(given):
        value = getattr(given, field.name)
        if isinstance(value, tuple) and value:
            value = list(value)
            rng.shuffle(value)
            shuffled[field.name] = tuple(value)
    reordered = dataclasses.replace(given, **shuffled)

    # when
    first, second, third = plan(given), plan(given), plan(reordered)

    # then
    assert first.stats.operations > 1000
    assert first == second
    assert first == third
