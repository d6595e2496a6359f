"""Building the daily snapshot: the counts of ``metrics.kpis`` stored per day and filter."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from core import clock
from metrics import kpis
from metrics.models import (
    ENTERED_BY,
    REPEAT_BY,
    DailyDistribution,
    DailyFigures,
    Dimension,
    Period,
    RollupBar,
    RollupFigures,
    SnapshotDay,
)
from orders.models import SalesOrder

# Complaints, surveys and delivery reports arrive after delivery: the nightly build restates
# this many past days so that the snapshot catches up with them.
RESTATE_DAYS = 60


# The rollups: over all orders, then per value of each filter (its place in a slice's key).
ROLLUP_DIMENSIONS = (
    (Dimension.ALL, None),
    (Dimension.CUSTOMER, 1),
    (Dimension.FAMILY, 2),
    (Dimension.ORDER_TYPE, 3),
    (Dimension.OWNER, 4),
    (Dimension.PLANNER, 5),
)


class SnapshotError(ValueError):
    pass


def _dimensions(row: dict) -> tuple:
    return (
        row["customer_id"],
        row["family"] or "",
        row["order_type"],
        row["owner_id"],
        row["planner_id"],
    )


@transaction.atomic
def snapshot_build(*, start: date, end: date) -> dict[str, int]:
    """(Re)build the snapshot of every day in [start, end]; safe to run again.

    Days from today on are never stored: today's figures are always computed live.
    """
    yesterday = clock.today() - timedelta(days=1)
    end = min(end, yesterday)
    if start > end:
        raise SnapshotError("Nothing to build: the range must end before today.")
    DailyFigures.objects.filter(day__gte=start, day__lte=end).delete()
    SnapshotDay.objects.filter(day__gte=start, day__lte=end).delete()
    orders = SalesOrder.objects.all()
    delivered = kpis.tally(
        kpis.delivered_in(orders, start=start, end=end),
        key=lambda row: (row["actual_delivery_date"], *_dimensions(row)),
    )
    entered = kpis.tally_entered(
        kpis.entered_in(orders, start=start, end=end),
        key=lambda row: (kpis.entry_day(row), *_dimensions(row)),
    )
    slices: dict[tuple, kpis.Counts] = {}
    for part in (delivered, entered):
        for key, counts in part.items():
            slices.setdefault(key, kpis.Counts()).add(counts)
    keys = sorted(slices, key=lambda key: (key[0], *(str(part) for part in key[1:])))
    rows = [
        DailyFigures(
            day=key[0],
            customer_id=key[1],
            family=key[2],
            order_type=key[3],
            owner_id=key[4],
            planner_id=key[5],
            **{name: slices[key].n[name] for name in kpis.COUNT_NAMES},
            **slices[key].units,
        )
        for key in keys
    ]
    DailyFigures.objects.bulk_create(rows, batch_size=2000)
    bars = [
        DailyDistribution(figures=row, day=row.day, measure=measure, value=value, count=count)
        for row, key in zip(rows, keys, strict=True)
        for (measure, value), count in sorted(slices[key].bars.items())
        if count
    ]
    DailyDistribution.objects.bulk_create(bars, batch_size=5000)
    per_day: dict[date, list[int]] = {}
    for key, counts in slices.items():
        totals = per_day.setdefault(key[0], [0, 0])
        totals[0] += counts.n["delivered"]
        totals[1] += counts.n["entered"]
    now = clock.now()
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    SnapshotDay.objects.bulk_create(
        SnapshotDay(
            day=day,
            built_at=now,
            delivered=per_day.get(day, (0, 0))[0],
            entered=per_day.get(day, (0, 0))[1],
        )
        for day in days
    )
    RollupFigures.objects.filter(period=Period.DAY, start__gte=start, start__lte=end).delete()
    day_rollups = _store_rollups(Period.DAY, _roll_up(slices))
    week_rollups = _rebuild_weeks(start=start, end=end)
    return {
        "days": len(days),
        "rows": len(rows),
        "bars": len(bars),
        "rollups": day_rollups + week_rollups,
    }


def _text(value) -> str:
    return "" if value is None else str(value)


def _roll_up(slices: dict[tuple, kpis.Counts]) -> dict[tuple, kpis.Counts]:
    """Day rollups ``(day, dimension, value) -> counts`` of the snapshot's slices."""
    rolled: dict[tuple, kpis.Counts] = {}
    for key, counts in slices.items():
        customer = str(key[1])
        for dimension, index in ROLLUP_DIMENSIONS:
            value = "" if index is None else _text(key[index])
            part = rolled.setdefault((key[0], dimension, value), kpis.Counts()).add(counts)
            if counts.n["entered"]:
                part.bars[ENTERED_BY, customer] += counts.n["entered"]
            if counts.n["repeat_orders"]:
                part.bars[REPEAT_BY, customer] += counts.n["repeat_orders"]
    return rolled


def _store_rollups(period: str, rolled: dict[tuple, kpis.Counts]) -> int:
    keys = sorted(rolled)
    rows = [
        RollupFigures(
            period=period,
            start=key[0],
            dimension=key[1],
            value=key[2],
            **{name: rolled[key].n[name] for name in kpis.COUNT_NAMES},
            **rolled[key].units,
        )
        for key in keys
    ]
    RollupFigures.objects.bulk_create(rows, batch_size=2000)
    RollupBar.objects.bulk_create(
        (
            RollupBar(rollup=row, measure=measure, value=value, count=count)
            for row, key in zip(rows, keys, strict=True)
            for (measure, value), count in sorted(rolled[key].bars.items())
            if count
        ),
        batch_size=5000,
    )
    return len(rows)


def _rebuild_weeks(*, start: date, end: date) -> int:
    """Restate the week rollups of the weeks touching [start, end] from their day rollups.

    Only a week whose seven days are all built gets a rollup; the dashboard reads the days
    of any other week.
    """
    first_week = start - timedelta(days=start.weekday())
    last_day = end + timedelta(days=6 - end.weekday())
    RollupFigures.objects.filter(
        period=Period.WEEK, start__gte=first_week, start__lte=last_day
    ).delete()
    built: dict[date, int] = {}
    for day in SnapshotDay.objects.filter(day__gte=first_week, day__lte=last_day).values_list(
        "day", flat=True
    ):
        week = day - timedelta(days=day.weekday())
        built[week] = built.get(week, 0) + 1
    complete = sorted(week for week, count in built.items() if count == 7)
    if not complete:
        return 0
    in_weeks = RollupFigures.objects.filter(
        period=Period.DAY, start__gte=complete[0], start__lte=complete[-1] + timedelta(days=6)
    )
    complete_set = set(complete)
    weeks: dict[tuple, kpis.Counts] = {}
    key_of: dict[int, tuple] = {}
    for row in in_weeks.values(
        "pk", "start", "dimension", "value", *kpis.COUNT_NAMES, *kpis.UNIT_NAMES
    ):
        week = row["start"] - timedelta(days=row["start"].weekday())
        if week not in complete_set:
            continue
        key = (week, row["dimension"], row["value"])
        key_of[row["pk"]] = key
        counts = weeks.setdefault(key, kpis.Counts())
        counts.n.update({name: row[name] for name in kpis.COUNT_NAMES})
        for name in kpis.UNIT_NAMES:
            counts.units[name] += row[name]
    for rollup_id, measure, value, count in RollupBar.objects.filter(
        rollup__in=in_weeks
    ).values_list("rollup_id", "measure", "value", "count"):
        key = key_of.get(rollup_id)
        if key is not None:
            weeks[key].bars[measure, value] += count
    return _store_rollups(Period.WEEK, weeks)


def snapshot_nightly(*, today: date | None = None) -> dict[str, int]:
    """Build yesterday and restate the days before it that late feedback may have changed."""
    today = today or clock.today()
    return snapshot_build(start=today - timedelta(days=RESTATE_DAYS), end=today - timedelta(days=1))
