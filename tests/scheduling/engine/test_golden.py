"""Golden cases: a whole plan and its quotes, compared field by field with a stored answer.

After a deliberate change of planning behaviour, rewrite the answers with
``ENGINE_REBASELINE=1 pytest tests/scheduling/engine/test_golden.py`` and review the diff.
"""

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from scheduling.engine import Demand, Item, Pin, PlanningProblem, build_plan, quote
from scheduling.engine.serialize import (
    demand_from_dict,
    problem_from_dict,
    problem_to_dict,
    quote_to_dict,
    result_to_dict,
)
from tests.scheduling.engine.helpers import at, day

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.json").is_file())


def _answer(data: dict) -> dict:
    state = build_plan(problem_from_dict(data["problem"]))
    quotes = [quote_to_dict(quote(state, demand_from_dict(q))) for q in data.get("quotes", [])]
    # Through JSON, so tuples and lists compare the way they are stored.
    return json.loads(json.dumps({"result": result_to_dict(state.result), "quotes": quotes}))


def test_both_golden_cases_are_present():
    # given / when / then
    assert CASES == ["furniture_lots", "pump_shop"]


@pytest.mark.parametrize("case", CASES)
def test_golden_case_plans_as_recorded(case):
    # given
    folder = GOLDEN / case
    data = json.loads((folder / "input.json").read_text())

    # when
    actual = _answer(data)

    # then
    expected_file = folder / "expected.json"
    if os.environ.get("ENGINE_REBASELINE") == "1":
        expected_file.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    assert actual == json.loads(expected_file.read_text())


@pytest.mark.parametrize("case", CASES)
def test_golden_input_survives_a_round_trip(case):
    # given
    data = json.loads((GOLDEN / case / "input.json").read_text())

    # when
    problem = problem_from_dict(data["problem"])

    # then
    assert problem_from_dict(problem_to_dict(problem)) == problem
    assert problem_to_dict(problem) == data["problem"]


def test_decimal_quantities_and_pin_times_round_trip_exactly():
    # given
    problem = PlanningProblem(
        today=day(0),
        items=(Item("FABRIC", make=False, on_hand=Decimal("12.75")),),
        demands=(Demand("SO-1", "FABRIC", Decimal("0.1"), day(3)),),
        pins=(Pin("WO-1/10", "CUT", at(1, 9, 30)), Pin("WO-2/10", "CUT", day(2), 45)),
    )

    # when
    data = json.loads(json.dumps(problem_to_dict(problem)))

    # then
    assert data["items"][0]["on_hand"] == "12.75"
    assert [pin["start"] for pin in data["pins"]] == ["2026-03-03T09:30:00", "2026-03-04"]
    assert problem_from_dict(data) == problem


def test_unknown_fields_are_refused():
    # given
    data = {"today": "2026-03-02", "items": [{"id": "X", "make": True, "colour": "red"}]}

    # when / then
    with pytest.raises(ValueError, match="colour"):
        problem_from_dict(data)
