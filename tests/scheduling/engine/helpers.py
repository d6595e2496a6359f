"""Small builders for hand-checked engine cases. Today is Monday 2 March 2026."""

from datetime import date, datetime, time, timedelta

from scheduling.engine import PlanningProblem, WorkCenter

TODAY = date(2026, 3, 2)
ONE_SHIFT = (480, 480, 480, 480, 480, 0, 0)


def day(n: int) -> date:
    """The date ``n`` days after today."""
    return TODAY + timedelta(days=n)


def at(n: int, hour: int, minute: int = 0) -> datetime:
    """Wall-clock time on day ``n`` (the shift starts at 07:00)."""
    return datetime.combine(day(n), time(hour, minute))


def work_center(wc_id: str, name: str | None = None, **kwargs) -> WorkCenter:
    """One 8-hour shift Monday to Friday unless told otherwise."""
    kwargs.setdefault("minutes_per_weekday", ONE_SHIFT)
    return WorkCenter(id=wc_id, name=name or wc_id, **kwargs)


def problem(**kwargs) -> PlanningProblem:
    kwargs.setdefault("horizon_days", 14)
    return PlanningProblem(today=TODAY, **kwargs)


def ops_by_key(result) -> dict:
    return {op.key: op for op in result.operations}
