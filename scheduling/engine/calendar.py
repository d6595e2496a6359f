"""Working time: one continuous axis of working minutes per work center.

Two clocks are used by the engine:

* the *plant clock* ``g = day * DAY + minute``: ``day`` counts from the plan's today and
  ``minute`` from the shift start of that day (0..1440). ``DAY`` is 2048 rather than 1440 so
  that a 24-hour work center ending at minute 1440 still belongs to its own production day;
* a work center's *axis*: working minutes counted from the start of the plan, with closed
  dates, closed weekdays and downtime squeezed out. An operation is a contiguous interval on
  its axis, so it naturally pauses at the end of a shift and resumes on the next working day.

Downtime minutes are taken off the end of the day's shift.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta

from scheduling.engine.model import WorkCenter

DAY = 2048
_GROW_DAYS = 64
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day: date, today: date) -> str:
    """Render a date the way a sales person reads it: ``Tue 15 Dec`` (year added if not today's)."""
    text = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    """Monday to Friday and not a plant holiday: the days final inspection counts."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(day: date, days: int, holidays: frozenset[date]) -> date:
    """The date ``days`` working days after ``day`` (``day`` itself when ``days`` is 0)."""
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            days -= 1
    return day


def receiving_day(day: date) -> date:
    """The first weekday on or after ``day``: customers' docks do not receive at weekends."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def sub_working_days(day: date, days: int, holidays: frozenset[date]) -> date:
    """The date ``days`` working days before ``day``: the inverse of ``add_working_days``."""
    while days > 0:
        day -= timedelta(days=1)
        if is_working_day(day, holidays):
            days -= 1
    return day


def plant_datetime(today: date, shift_start: time, g: int) -> datetime:
    """Wall-clock datetime of plant-clock time ``g``."""
    day, minute = divmod(g, DAY)
    return datetime.combine(today + timedelta(days=day), shift_start) + timedelta(minutes=minute)


def plant_date(today: date, g: int) -> date:
    """Production day of plant-clock time ``g``."""
    return today + timedelta(days=g // DAY)


class WorkCalendar:
    """Capacity of one work center, day by day, extended on demand as the plan reaches further.

    ``cap[i]`` is the clock minutes available on day ``i`` and ``cum[i]`` the working minutes
    before day ``i``; ``cum`` has one more entry than ``cap``.
    """

    __slots__ = ("_closed", "_lost", "_pattern", "_today", "cap", "cum", "offset0")

    def __init__(
        self,
        work_center: WorkCenter,
        today: date,
        *,
        start_minute: int = 0,
        holidays: frozenset[date] = frozenset(),
        days: int = 0,
    ) -> None:
        pattern = tuple(int(m) for m in work_center.minutes_per_weekday)
        if len(pattern) != 7 or min(pattern) < 0 or max(pattern) > 1440:
            raise ValueError(
                f"work center {work_center.id!r}: minutes_per_weekday must be 7 values in 0..1440"
            )
        if sum(pattern) == 0:
            raise ValueError(f"work center {work_center.id!r} has no working minutes in its week")
        self._pattern = pattern
        self._closed = frozenset(work_center.closed_dates) | frozenset(holidays)
        lost: dict[date, int] = {}
        for day, minutes in work_center.downtime:
            lost[day] = lost.get(day, 0) + int(minutes)
        self._lost = lost
        self._today = today
        self.offset0 = max(0, int(start_minute))
        self.cap: list[int] = []
        self.cum: list[int] = [0]
        self._extend(max(days, _GROW_DAYS))

    def _extend(self, days: int) -> None:
        cap, cum = self.cap, self.cum
        for i in range(len(cap), len(cap) + days):
            day = self._today + timedelta(days=i)
            minutes = 0
            if day not in self._closed:
                minutes = max(0, self._pattern[day.weekday()] - self._lost.get(day, 0))
            if i == 0:
                minutes = max(0, minutes - self.offset0)
            cap.append(minutes)
            cum.append(cum[-1] + minutes)

    def capacity(self, day: int) -> int:
        """Clock minutes available on plan day ``day`` (today is 0)."""
        while day >= len(self.cap):
            self._extend(_GROW_DAYS)
        return self.cap[day]

    def to_axis(self, g: int) -> int:
        """First working minute on the axis at or after plant-clock time ``g``."""
        day, minute = divmod(g, DAY)
        if day < 0:
            return 0
        while day >= len(self.cap):
            self._extend(_GROW_DAYS)
        if day == 0:
            minute -= self.offset0
        if minute <= 0:
            return self.cum[day]
        cap = self.cap[day]
        return self.cum[day] + (minute if minute < cap else cap)

    def start_g(self, t: int) -> int:
        """Plant-clock time at which work starting at axis minute ``t`` begins."""
        cum = self.cum
        while cum[-1] <= t:
            self._extend(_GROW_DAYS)
        day = bisect_right(cum, t) - 1
        return day * DAY + (t - cum[day]) + (self.offset0 if day == 0 else 0)

    def end_g(self, t: int) -> int:
        """Plant-clock time at which work ending at axis minute ``t`` is done (same day as its
        last working minute, not the start of the next working day)."""
        if t <= 0:
            return self.offset0
        cum = self.cum
        while cum[-1] < t:
            self._extend(_GROW_DAYS)
        day = bisect_left(cum, t) - 1
        return day * DAY + (t - cum[day]) + (self.offset0 if day == 0 else 0)

    def split_by_day(self, start: int, end: int) -> list[tuple[int, int]]:
        """``(day, minutes)`` for each day the axis interval ``[start, end)`` covers."""
        cum = self.cum
        while cum[-1] < end:
            self._extend(_GROW_DAYS)
        out = []
        day = bisect_right(cum, start) - 1
        while start < end:
            day_end = cum[day + 1]
            if day_end > start:
                stop = min(end, day_end)
                out.append((day, stop - start))
                start = stop
            day += 1
        return out
