"""JSON-ready dicts for engine records: golden test cases, benchmark dumps, debugging.

Dates, datetimes and times are ISO strings; sets and tuples are lists (sets sorted);
``Decimal`` quantities are strings so they survive the round trip exactly.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from scheduling.engine.model import (
    Allocation,
    BomLine,
    Demand,
    ExistingOperation,
    ExistingWorkOrder,
    Item,
    Pin,
    PlanningProblem,
    PlanResult,
    Quote,
    RoutingOp,
    ScheduledReceipt,
    WorkCenter,
)

_COLLECTIONS = {
    "items": Item,
    "bom_lines": BomLine,
    "routings": RoutingOp,
    "work_centers": WorkCenter,
    "receipts": ScheduledReceipt,
    "allocations": Allocation,
    "demands": Demand,
    "existing_work_orders": ExistingWorkOrder,
    "pins": Pin,
}
_DATES = {"today", "due", "material_ready"}
_DATE_SETS = {"closed_dates", "holidays"}
_QUANTITIES = {
    "qty",
    "on_hand",
    "safety_stock",
    "lot_qty",
    "lot_min",
    "lot_multiple",
    "qty_per",
    "scrap_pct",
    "setup_minutes",
    "run_minutes_per_unit",
    "remaining_qty",
}


def to_jsonable(value: Any) -> Any:
    """Plain JSON value (dict/list/str/number/bool/None) for any engine record."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return [to_jsonable(v) for v in sorted(value)]
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    return value


def _field(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATES:
        return date.fromisoformat(value)
    if name in _DATE_SETS:
        return frozenset(date.fromisoformat(v) for v in value)
    if name in _QUANTITIES:
        return Decimal(value) if isinstance(value, str) else value
    if name == "start":
        return (datetime if "T" in value else date).fromisoformat(value)
    if name == "shift_start":
        return time.fromisoformat(value)
    if name == "downtime":
        return tuple((date.fromisoformat(d), int(m)) for d, m in value)
    if name == "operations":
        return tuple(_record(ExistingOperation, op) for op in value)
    if isinstance(value, list):
        return tuple(value)
    return value


def _record(cls: type, data: dict[str, Any]):
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown fields {sorted(unknown)!r}")
    return cls(**{name: _field(name, value) for name, value in data.items()})


def problem_from_dict(data: dict[str, Any]) -> PlanningProblem:
    """Build a ``PlanningProblem`` from the dict written by ``problem_to_dict`` (or by hand)."""
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        cls = _COLLECTIONS.get(name)
        if cls is not None:
            kwargs[name] = tuple(_record(cls, row) for row in value)
        else:
            kwargs[name] = _field(name, value)
    return _record_from_kwargs(kwargs)


def _record_from_kwargs(kwargs: dict[str, Any]) -> PlanningProblem:
    known = {f.name for f in dataclasses.fields(PlanningProblem)}
    unknown = set(kwargs) - known
    if unknown:
        raise ValueError(f"PlanningProblem: unknown fields {sorted(unknown)!r}")
    return PlanningProblem(**kwargs)


def demand_from_dict(data: dict[str, Any]) -> Demand:
    """Build a ``Demand`` (e.g. a quote request) from its dict form."""
    return _record(Demand, data)


def problem_to_dict(problem: PlanningProblem) -> dict[str, Any]:
    """JSON-ready dict of a problem; ``problem_from_dict`` reverses it."""
    return to_jsonable(problem)


def result_to_dict(result: PlanResult) -> dict[str, Any]:
    """JSON-ready dict of a plan."""
    return to_jsonable(result)


def quote_to_dict(quote: Quote) -> dict[str, Any]:
    """JSON-ready dict of a quote."""
    return to_jsonable(quote)
