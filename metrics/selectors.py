"""Reads for the dashboards: snapshot sums plus live counts of the days not in the snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from metrics import kpis
from metrics.models import (
    ENTERED_BY,
    REPEAT_BY,
    DailyDistribution,
    DailyFigures,
    Period,
    RollupBar,
    RollupFigures,
    SnapshotDay,
)
from orders.models import Customer, Product, SalesOrder

REPEAT_TABLE_SIZE = 15
# The filters, named as on ``Filters`` and as the ``dimension`` of a rollup.
DIMENSION_NAMES = ("customer_id", "family", "order_type", "owner_id", "planner_id")


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    customer_id: int | None = None
    family: str = ""
    order_type: str = ""
    owner_id: int | None = None
    planner_id: int | None = None


def filtered_orders(filters: Filters) -> QuerySet[SalesOrder]:
    """Orders matching the dashboard's filters (any period)."""
    orders = SalesOrder.objects.all()
    if filters.customer_id:
        orders = orders.filter(customer_id=filters.customer_id)
    if filters.order_type:
        orders = orders.filter(order_type=filters.order_type)
    if filters.owner_id:
        orders = orders.filter(owner_id=filters.owner_id)
    if filters.family or filters.planner_id:
        orders = kpis.with_dimensions(orders)
        if filters.family:
            orders = orders.filter(family=filters.family)
        if filters.planner_id:
            orders = orders.filter(planner_id=filters.planner_id)
    return orders


def _snapshot_filter(filters: Filters, prefix: str = "") -> Q:
    # Histogram bars carry their own day, so an unfiltered period needs no join.
    q = Q(day__gte=filters.start, day__lte=filters.end)
    for name in DIMENSION_NAMES:
        value = getattr(filters, name)
        if value:
            q &= Q(**{f"{prefix}{name}": value})
    return q


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Dashboard:
    filters: Filters
    total: kpis.Counts
    figures: dict[str, kpis.Figure]
    weeks: list[tuple[date, kpis.Counts]]
    repeat_by_customer: list[dict]
    live_days: int
    snapshot_days: int
    week_figures: dict[str, list[tuple[date, float | None]]] = field(default_factory=dict)


def _sums() -> dict:
    return {name: Sum(name) for name in (*kpis.COUNT_NAMES, *kpis.UNIT_NAMES)}


def _counts_from(row: dict) -> kpis.Counts:
    counts = kpis.Counts()
    for name in kpis.COUNT_NAMES:
        counts.n[name] = row[name] or 0
    for name in kpis.UNIT_NAMES:
        counts.units[name] = row[name] or 0
    return counts


def _runs(days: list[date]) -> Iterator[tuple[date, date]]:
    """The runs of consecutive days in a sorted list, as (first, last)."""
    first = last = None
    for day in days:
        if last is not None and day == last + timedelta(days=1):
            last = day
            continue
        if first is not None:
            yield first, last
        first = last = day
    if first is not None:
        yield first, last


def _on_days(days: list[date], field: str, *, moments: bool = False) -> Q:
    """``field`` falls on one of ``days`` (a timestamp by the plant's calendar if ``moments``)."""
    q = Q(pk__in=[])
    for first, last in _runs(days):
        if moments:
            bounds = {
                f"{field}__gte": kpis.day_start(first),
                f"{field}__lt": kpis.day_start(last, 1),
            }
        else:
            bounds = {f"{field}__gte": first, f"{field}__lte": last}
        q |= Q(**bounds)
    return q


def _live_days(filters: Filters, built: list[date]) -> tuple[QuerySet, QuerySet, int, int]:
    """The delivered and entered cohorts of the days the snapshot does not hold."""
    span = (filters.end - filters.start).days + 1
    orders = filtered_orders(filters)
    delivered = kpis.delivered_in(orders, start=filters.start, end=filters.end)
    entered = kpis.entered_in(orders, start=filters.start, end=filters.end)
    built_set = set(built)
    unbuilt = [
        filters.start + timedelta(days=offset)
        for offset in range(span)
        if filters.start + timedelta(days=offset) not in built_set
    ]
    if len(unbuilt) <= len(built):
        # Usually only today: name the days, so the database reads only those.
        delivered = delivered.filter(_on_days(unbuilt, "actual_delivery_date"))
        entered = entered.filter(_on_days(unbuilt, "submitted_at", moments=True))
    elif built:
        delivered = delivered.exclude(_on_days(built, "actual_delivery_date"))
        entered = entered.exclude(_on_days(built, "submitted_at", moments=True))
    return delivered, entered, len(unbuilt), len(built)


def rollup_scope(filters: Filters) -> tuple[str, str] | None:
    """The rollup that answers ``filters`` as (dimension, value), or None for the detail rows.

    Rollups exist over all orders and per value of one filter; two filters or more read the
    per-combination rows.
    """
    chosen = [(name, getattr(filters, name)) for name in DIMENSION_NAMES if getattr(filters, name)]
    if not chosen:
        return "", ""
    if len(chosen) == 1:
        return chosen[0][0], str(chosen[0][1])
    return None


def _from_rollups(
    filters: Filters, scope: tuple[str, str], built: list[date]
) -> tuple[dict[date, kpis.Counts], dict[int, dict]]:
    """Weekly counts and entered/repeat orders per customer from the rollups of built days.

    A whole week of the period that is fully built is read as one week rollup, the other
    built days as day rollups.
    """
    built_set = set(built)
    full_weeks = [
        monday
        for monday in {week_of(day) for day in built}
        if monday >= filters.start
        and monday + timedelta(days=6) <= filters.end
        and all(monday + timedelta(days=offset) in built_set for offset in range(7))
    ]
    full_set = set(full_weeks)
    loose_days = [day for day in built if week_of(day) not in full_set]
    dimension, value = scope
    rows = list(
        RollupFigures.objects.filter(dimension=dimension, value=value)
        .filter(
            Q(period=Period.WEEK, start__in=full_weeks) | Q(period=Period.DAY, start__in=loose_days)
        )
        .order_by()
        .values("pk", "start", *kpis.COUNT_NAMES, *kpis.UNIT_NAMES)
    )
    weeks: dict[date, kpis.Counts] = {}
    week_by_rollup: dict[int, date] = {}
    for row in rows:
        week = week_of(row["start"])
        week_by_rollup[row["pk"]] = week
        weeks.setdefault(week, kpis.Counts()).add(_counts_from(row))
    customers: dict[int, dict] = {}
    bars = (
        RollupBar.objects.filter(rollup_id__in=list(week_by_rollup))
        .order_by()
        .values_list("rollup_id", "measure", "value", "count")
    )
    for rollup_id, measure, bar_value, count in bars:
        if measure in (ENTERED_BY, REPEAT_BY):
            line = customers.setdefault(
                int(bar_value),
                {"customer_id": int(bar_value), "name": None, "entered": 0, "repeat": 0},
            )
            line["entered" if measure == ENTERED_BY else "repeat"] += count
        else:
            weeks[week_by_rollup[rollup_id]].bars[measure, bar_value] += count
    return weeks, customers


def _from_details(filters: Filters) -> tuple[dict[date, kpis.Counts], dict[int, dict]]:
    """Weekly counts and entered/repeat orders per customer from the per-combination rows."""
    rows = DailyFigures.objects.filter(_snapshot_filter(filters))
    weeks: dict[date, kpis.Counts] = {}
    for row in rows.annotate(week=TruncWeek("day")).values("week").annotate(**_sums()):
        weeks[_as_date(row["week"])] = _counts_from(row)
    bars = (
        DailyDistribution.objects.filter(_snapshot_filter(filters, "figures__"))
        .annotate(week=TruncWeek("day"))
        .values("week", "measure", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for bar in bars:
        week = weeks.setdefault(_as_date(bar["week"]), kpis.Counts())
        week.bars[bar["measure"], bar["value"]] += bar["n"]
    customers: dict[int, dict] = {}
    repeat_rows = (
        rows.values("customer_id")
        .annotate(entered=Sum("entered"), repeat=Sum("repeat_orders"))
        .filter(entered__gt=0)
        .order_by()
    )
    for row in repeat_rows:
        customers[row["customer_id"]] = {
            "customer_id": row["customer_id"],
            "name": None,
            "entered": row["entered"],
            "repeat": row["repeat"],
        }
    return weeks, customers


def dashboard_get(*, filters: Filters) -> Dashboard:
    """All dashboard figures for ``filters``: a constant number of queries."""
    built = list(
        SnapshotDay.objects.filter(day__gte=filters.start, day__lte=filters.end)
        .order_by("day")
        .values_list("day", flat=True)
    )
    scope = rollup_scope(filters)
    if scope is None:
        weeks, customers = _from_details(filters)
    else:
        weeks, customers = _from_rollups(filters, scope, built)
    delivered, entered, live_days, snapshot_days = _live_days(filters, built)
    if live_days:
        by_week = kpis.tally(delivered, key=lambda row: week_of(row["actual_delivery_date"]))
        for week, counts in by_week.items():
            weeks.setdefault(week, kpis.Counts()).add(counts)
        by_entry = kpis.tally_entered(
            entered, key=lambda row: (week_of(kpis.entry_day(row)), row["customer_id"])
        )
        for (week, customer_id), counts in by_entry.items():
            weeks.setdefault(week, kpis.Counts()).add(counts)
            line = customers.setdefault(
                customer_id,
                {"customer_id": customer_id, "name": None, "entered": 0, "repeat": 0},
            )
            line["entered"] += counts.n["entered"]
            line["repeat"] += counts.n["repeat_orders"]
    customers = {pk: line for pk, line in customers.items() if line["entered"]}
    names = dict(Customer.objects.filter(pk__in=list(customers)).values_list("pk", "name"))
    for pk, line in customers.items():
        line["name"] = names.get(pk)
    total = kpis.merge(weeks.values())
    ordered_weeks = sorted(weeks.items())
    table = sorted(customers.values(), key=lambda line: (-line["entered"], line["name"] or ""))
    for line in table:
        line["rate"] = line["repeat"] * 100 / line["entered"] if line["entered"] else None
    return Dashboard(
        filters=filters,
        total=total,
        figures=kpis.figures(total),
        weeks=ordered_weeks,
        repeat_by_customer=table[:REPEAT_TABLE_SIZE],
        live_days=live_days,
        snapshot_days=snapshot_days,
        week_figures={
            key: [(week, kpis.figure(key, counts).value) for week, counts in ordered_weeks]
            for key in kpis.DEFINITIONS
        },
    )


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# --------------------------------------------------------------------------------------------
# Filter choices.


def customer_choices() -> QuerySet[Customer]:
    return Customer.objects.order_by("name").only("pk", "name", "code")


def family_choices() -> list[str]:
    return list(
        Product.objects.exclude(family="")
        .order_by("family")
        .values_list("family", flat=True)
        .distinct()
    )


def owner_choices() -> QuerySet:
    user_model = get_user_model()
    owns = SalesOrder.objects.filter(owner=OuterRef("pk"))
    return user_model.objects.filter(Exists(owns)).order_by("username")


def planner_choices() -> QuerySet:
    """Users who may plan orders (the role's group or their own permission)."""
    user_model = get_user_model()
    may_plan = Q(groups__permissions__codename="plan_salesorder") | Q(
        user_permissions__codename="plan_salesorder"
    )
    planners = user_model.objects.filter(may_plan).values("pk")
    return user_model.objects.filter(pk__in=planners).order_by("username")


# --------------------------------------------------------------------------------------------
# Drill-downs.


def drill_orders(*, key: str, filters: Filters, which: str = "all", q: str = "") -> QuerySet:
    """The orders behind figure ``key`` under ``filters``, newest delivery first."""
    definition = kpis.DEFINITIONS[key]
    orders = filtered_orders(filters)
    if definition.cohort == "entered":
        cohort = kpis.entered_in(orders, start=filters.start, end=filters.end)
        ordering = ("-submitted_at", "-pk")
    else:
        cohort = kpis.delivered_in(orders, start=filters.start, end=filters.end)
        ordering = ("-actual_delivery_date", "-pk")
    result = kpis.orders_behind(key, cohort, which=which)
    q = q.strip()
    if q:
        result = result.filter(
            Q(number__icontains=q) | Q(customer__name__icontains=q) | Q(customer_po__icontains=q)
        )
    return result.select_related("customer", "owner").order_by(*ordering)


def _days(later: date | None, earlier: date | None) -> int | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).days


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _told(order) -> str:
    if order.first_notice_at is None:
        return ""
    return timezone.localdate(order.first_notice_at).isoformat()


# (header, value of one drilled order) for the table and the CSV export alike.
DELIVERED_COLUMNS: list[tuple[str, Callable]] = [
    ("Order", lambda o: o.number),
    ("Customer", lambda o: o.customer.name),
    ("Type", lambda o: o.get_order_type_display()),
    ("Family", lambda o: o.family or ""),
    ("Sales owner", lambda o: o.owner.username if o.owner_id else ""),
    ("Requested", lambda o: o.requested_date),
    ("First promised", lambda o: o.first_promise),
    ("Promised", lambda o: o.promised_date),
    ("Delivered", lambda o: o.actual_delivery_date),
    ("Days late (first)", lambda o: _days(o.actual_delivery_date, o.first_promise)),
    ("Days late (current)", lambda o: _days(o.actual_delivery_date, o.promised_date)),
    ("Re-promises", lambda o: o.repromise_count),
    (
        "Complete",
        lambda o: _yes(not (o.has_backorder or o.has_shortage)),
    ),
    ("Damage-free", lambda o: _yes(not o.has_damage)),
    ("Documents right", lambda o: _yes(not o.has_doc_issue)),
    ("No quality escape or complaint", lambda o: _yes(not o.has_quality_issue)),
    ("Delay notice sent", _told),
    ("Change requests", lambda o: o.change_request_count),
    (
        "Cycle days",
        lambda o: _days(o.actual_delivery_date, timezone.localdate(o.submitted_at or o.created_at)),
    ),
]
ENTERED_COLUMNS: list[tuple[str, Callable]] = [
    ("Order", lambda o: o.number),
    ("Customer", lambda o: o.customer.name),
    ("Type", lambda o: o.get_order_type_display()),
    ("Family", lambda o: o.family or ""),
    ("Sales owner", lambda o: o.owner.username if o.owner_id else ""),
    ("Entered", lambda o: timezone.localdate(o.submitted_at)),
    ("Repeat order", lambda o: _yes(o.is_repeat)),
]


def drill_columns(key: str) -> list[tuple[str, Callable]]:
    if kpis.DEFINITIONS[key].cohort == "entered":
        return ENTERED_COLUMNS
    return DELIVERED_COLUMNS


def drill_rows(orders: QuerySet, key: str) -> Iterator[list]:
    """Rows of cells for the CSV export, read in chunks so memory stays flat."""
    columns = drill_columns(key)
    for order in orders.iterator(chunk_size=2000):
        yield [value(order) for _header, value in columns]
