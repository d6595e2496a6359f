"""The KPI definitions: the one place that says what each dashboard number means.

Every figure is computed from *counts* over a cohort of orders:

- the **delivered cohort**: orders delivered (or closed after delivery) with their actual
  delivery date in the period. Perfect order, on time, fill rate, OTIF, cycle time, lead-time
  accuracy, customer voice, process stability and proactive communication are measured on it.
- the **entered cohort**: orders entered (submitted by sales) in the period, for the
  repeat-order rate.

``with_facts`` annotates an order queryset with what each definition looks at (one SQL
query); ``tally`` turns those rows into counts; ``figures`` turns counts into the numbers on
the dashboard. The nightly snapshot stores the same counts per day (``metrics.services``), the
dashboard sums them, and each drill-down lists ``orders_behind`` a figure with the same
conditions, so the dashboard, the drill-down and the CSV export always agree.

The KPI functions at the end (``perfect_order_rate`` ...) compute one figure live from any
order queryset, with the orders behind it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from fulfillment.models import Backorder, DeliveryReport, Nonconformance, PackageContent, Shipment
from orders.models import (
    ChangeRequest,
    Complaint,
    MessageKind,
    MessageStatus,
    OrderEvent,
    OrderEventKind,
    OrderRevision,
    OutboxMessage,
    SalesOrder,
    SalesOrderLine,
    SurveyAnswer,
)
from orders.models.orders import LINE_AMOUNT
from orders.states import OrderStatus

# Perfect-order benchmarks quoted by the founding document.
WORLD_CLASS_LOW = 95.0
WORLD_CLASS_HIGH = 98.0
ALARM_LINE = 90.0

DELIVERED_STATUSES = (OrderStatus.DELIVERED, OrderStatus.CLOSED)
# Delivery reports that mean the order did not arrive complete / with the right documents.
INCOMPLETE_REPORTS = ("shortage", "wrong_item")
# Complaints that count against the last perfect-order component (damage and documentation
# complaints count against their own components).
OTHER_COMPLAINTS = ("quality", "late", "other")

# The integer counts of one snapshot row (``DailyFigures``); units are decimals.
COUNT_NAMES = (
    "delivered",
    "on_time_first",
    "on_time_current",
    "repromised",
    "repromises",
    "complete",
    "damage_free",
    "documentation_ok",
    "quality_ok",
    "perfect",
    "otif",
    "shipped_first",
    "lines",
    "lines_complete_first",
    "cycle_days",
    "quoted",
    "quoted_lead_days",
    "requested_lead_days",
    "promised_by_request",
    "late_first",
    "late_told",
    "notice_days",
    "change_requests",
    "changed",
    "slips",
    "slip_days",
    "change_slips",
    "complained",
    "complaints",
    "surveyed",
    "survey_answers",
    "survey_points",
    "entered",
    "repeat_orders",
)
UNIT_NAMES = ("units", "units_first")
# Histograms: measure -> what one bar counts.
MEASURES = {
    "cycle": "delivered orders by days from entry to delivery",
    "delta_current": "delivered orders by days late (+) or early (-) against the current promise",
    "delta_first": "delivered orders by days late (+) or early (-) against the first promise",
    "survey": "survey answers by score",
    "complaint": "delivered orders with a complaint of each type",
    "slip": "date slips by cause",
    "slip_days": "days of slip by cause",
}
# Histogram measures whose values are whole numbers (sorted numerically).
NUMERIC_MEASURES = ("cycle", "delta_current", "delta_first", "survey")
SLIP_FROM_CHANGE = {
    "lines": "Quantity or spec change",
    "requested_date": "Requested date change",
    "ship_to": "Ship-to change",
}
SLIP_OTHER = "Re-promise by the plant"


# --------------------------------------------------------------------------------------------
# Cohorts and the facts each definition looks at.


def delivered_in(orders: QuerySet[SalesOrder], *, start: date, end: date) -> QuerySet:
    """The delivered cohort: orders with their actual delivery date in [start, end]."""
    return orders.filter(
        status__in=DELIVERED_STATUSES,
        actual_delivery_date__gte=start,
        actual_delivery_date__lte=end,
    )


def entered_in(orders: QuerySet[SalesOrder], *, start: date, end: date) -> QuerySet:
    """The entered cohort: orders submitted by sales with the plant's date in [start, end]."""
    # Bounds in the plant's time zone rather than ``__date``, so an index on the column serves.
    return orders.filter(submitted_at__gte=day_start(start), submitted_at__lt=day_start(end, 1))


def day_start(day: date, later: int = 0) -> datetime:
    """Midnight in the plant's time zone at the start of ``day`` (plus ``later`` days)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=later), time.min))


def _exists(model, **filters) -> Exists:
    return Exists(model.objects.filter(order=OuterRef("pk"), **filters))


def _count(model, **filters) -> Coalesce:
    rows = (
        model.objects.filter(order=OuterRef("pk"), **filters)
        .order_by()
        .values("order")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def planner_subquery() -> Subquery:
    """The accountable planner: who fired the order's (last) plan transition."""
    return Subquery(
        OrderEvent.objects.filter(
            order=OuterRef("pk"), kind=OrderEventKind.TRANSITION, transition="plan"
        )
        .order_by("-at", "-pk")
        .values("actor_id")[:1]
    )


def family_subquery() -> Subquery:
    """An order's product family: the family of its largest line by value (then line 1)."""
    return Subquery(
        SalesOrderLine.objects.filter(order=OuterRef("pk"))
        .annotate(amount=LINE_AMOUNT)
        .order_by("-amount", "line_no")
        .values("product__family")[:1]
    )


def with_dimensions(orders: QuerySet[SalesOrder]) -> QuerySet:
    """Annotate ``planner_id`` and ``family``: the two filters not stored on the order."""
    if "family" in orders.query.annotations:
        return orders
    return orders.annotate(planner_id=planner_subquery(), family=family_subquery())


def _short_on_first_shipment() -> Exists:
    shipped = (
        PackageContent.objects.filter(line=OuterRef("pk"), package__shipment__sequence=1)
        .order_by()
        .values("line")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    lines = SalesOrderLine.objects.filter(order=OuterRef("pk")).annotate(
        shipped=Coalesce(Subquery(shipped), Value(Decimal("0")))
    )
    return Exists(lines.filter(quantity__gt=F("shipped")))


def with_facts(orders: QuerySet[SalesOrder]) -> QuerySet:
    """Annotate every fact a definition looks at, in SQL, so drill-downs can filter on them."""
    notices = OutboxMessage.objects.filter(
        order=OuterRef("pk"),
        kind=MessageKind.DELAY_NOTICE,
        status=MessageStatus.SENT,
        sent_at__isnull=False,
    )
    first_notice = notices.order_by().values("order").annotate(first=Min("sent_at"))
    return with_dimensions(orders).annotate(
        first_promise=Coalesce("first_promised_date", "promised_date"),
        repromise_count=_count(OrderEvent, kind=OrderEventKind.REPROMISE),
        has_backorder=_exists(Backorder),
        has_shortage=_exists(DeliveryReport, kind__in=INCOMPLETE_REPORTS),
        has_damage=_exists(DeliveryReport, kind="damage")
        | _exists(Complaint, complaint_type="damage"),
        has_doc_issue=_exists(DeliveryReport, kind="documentation")
        | _exists(Complaint, complaint_type="documentation"),
        has_quality_issue=_exists(Nonconformance)
        | _exists(Complaint, complaint_type__in=OTHER_COMPLAINTS),
        has_complaint=_exists(Complaint),
        has_survey=_exists(SurveyAnswer),
        has_first_shipment=_exists(Shipment, sequence=1),
        short_first=_short_on_first_shipment(),
        first_notice_at=Subquery(first_notice.values("first")),
        change_request_count=_count(ChangeRequest),
    )


def with_entry_facts(orders: QuerySet[SalesOrder]) -> QuerySet:
    """Annotate ``is_repeat``: the customer had entered an order before this one."""
    earlier = SalesOrder.objects.filter(
        customer=OuterRef("customer"), submitted_at__lt=OuterRef("submitted_at")
    )
    return with_dimensions(orders).annotate(is_repeat=Exists(earlier))


# The SQL conditions of the drill-downs; ``tally`` applies the same rules in Python.
ON_TIME_FIRST = Q(actual_delivery_date__lte=F("first_promise"))
ON_TIME_CURRENT = Q(actual_delivery_date__lte=F("promised_date"))
COMPLETE = Q(has_backorder=False, has_shortage=False)
DAMAGE_FREE = Q(has_damage=False)
DOCUMENTATION_OK = Q(has_doc_issue=False)
QUALITY_OK = Q(has_quality_issue=False)
PERFECT = ON_TIME_FIRST & COMPLETE & DAMAGE_FREE & DOCUMENTATION_OK & QUALITY_OK
OTIF = ON_TIME_FIRST & COMPLETE
LATE_FIRST = Q(actual_delivery_date__gt=F("first_promise"))
TOLD_BEFORE = Q(first_notice_at__date__lt=F("first_promise"))


# --------------------------------------------------------------------------------------------
# Counts.


@dataclass
class Counts:
    """Counts of one cohort slice: the integer and unit counts, and histogram bars."""

    n: Counter = field(default_factory=Counter)
    units: dict = field(default_factory=lambda: dict.fromkeys(UNIT_NAMES, Decimal("0")))
    bars: Counter = field(default_factory=Counter)  # (measure, value) -> count

    def add(self, other: Counts) -> Counts:
        self.n.update(other.n)
        for name in UNIT_NAMES:
            self.units[name] += other.units[name]
        self.bars.update(other.bars)
        return self

    def histogram(self, measure: str) -> list[tuple[str | int, int]]:
        """The bars of one measure, sorted by value."""
        bars = [(value, n) for (m, value), n in self.bars.items() if m == measure and n]
        if measure in NUMERIC_MEASURES:
            return sorted(((int(value), n) for value, n in bars))
        return sorted(bars, key=lambda bar: (-bar[1], bar[0]))

    def get(self, name: str):
        """One count or unit total by name."""
        return self.units[name] if name in self.units else self.n[name]


FACT_FIELDS = (
    "pk",
    "customer_id",
    "order_type",
    "owner_id",
    "planner_id",
    "family",
    "actual_delivery_date",
    "first_promise",
    "promised_date",
    "requested_date",
    "submitted_at",
    "created_at",
    "repromise_count",
    "has_backorder",
    "has_shortage",
    "has_damage",
    "has_doc_issue",
    "has_quality_issue",
    "has_first_shipment",
    "short_first",
    "first_notice_at",
    "change_request_count",
)
ENTRY_FIELDS = (
    "pk",
    "customer_id",
    "order_type",
    "owner_id",
    "planner_id",
    "family",
    "submitted_at",
    "is_repeat",
)


def entry_day(row: dict) -> date:
    return timezone.localdate(row["submitted_at"] or row["created_at"])


def _later(change: list) -> int:
    """Days a [from, to] pair of ISO dates moved later (0 if earlier or unreadable)."""
    try:
        old, new = (date.fromisoformat(value) for value in change)
    except (TypeError, ValueError):
        return 0
    return max((new - old).days, 0)


def _slip_cause(diff: dict) -> str:
    for key, cause in SLIP_FROM_CHANGE.items():
        if key in diff:
            return cause
    return "Date change asked by the customer"


def tally(
    delivered: QuerySet[SalesOrder],
    *,
    key: Callable[[dict], Hashable] = lambda row: None,
) -> dict[Hashable, Counts]:
    """Counts of a delivered cohort, grouped by ``key(row)`` (a fixed number of queries).

    ``delivered`` is a plain order queryset; the facts are annotated here.
    """
    rows = list(with_facts(delivered).values(*FACT_FIELDS))
    ids = [row["pk"] for row in rows]
    lines = _lines_first_shipment(ids)
    slips = _slips(ids)
    complaints: dict[int, Counter] = {}
    for order_id, kind in Complaint.objects.filter(order_id__in=ids).values_list(
        "order_id", "complaint_type"
    ):
        complaints.setdefault(order_id, Counter())[kind] += 1
    scores: dict[int, list[int]] = {}
    for order_id, score in SurveyAnswer.objects.filter(order_id__in=ids).values_list(
        "order_id", "score"
    ):
        scores.setdefault(order_id, []).append(score)
    result: dict[Hashable, Counts] = {}
    for row in rows:
        counts = result.setdefault(key(row), Counts())
        _tally_order(counts, row, lines, slips, complaints, scores)
    return result


def _lines_first_shipment(ids: list[int]) -> dict[int, list[tuple[Decimal, Decimal]]]:
    """Per order: (ordered, shipped on the first shipment) per line."""
    shipped = dict(
        PackageContent.objects.filter(
            package__shipment__sequence=1, package__shipment__order_id__in=ids
        )
        .order_by()
        .values("line_id")
        .annotate(total=Sum("quantity"))
        .values_list("line_id", "total")
    )
    lines: dict[int, list] = {}
    for line_id, order_id, quantity in SalesOrderLine.objects.filter(order_id__in=ids).values_list(
        "pk", "order_id", "quantity"
    ):
        lines.setdefault(order_id, []).append((quantity, shipped.get(line_id, Decimal("0"))))
    return lines


def _slips(ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """Per order: (cause, days) of each promise that moved later."""
    by_order: dict[int, list[tuple[str, int]]] = {}
    total_days: Counter = Counter()
    total_count: Counter = Counter()
    for order_id, data in OrderEvent.objects.filter(
        order_id__in=ids, kind=OrderEventKind.REPROMISE
    ).values_list("order_id", "data"):
        days = _later([(data or {}).get("from"), (data or {}).get("to")])
        if days:
            total_days[order_id] += days
            total_count[order_id] += 1
    for order_id, diff in OrderRevision.objects.filter(order_id__in=ids).values_list(
        "order_id", "diff"
    ):
        days = _later((diff or {}).get("promised_date") or [None, None])
        if days and total_count[order_id]:
            by_order.setdefault(order_id, []).append((_slip_cause(diff), days))
            total_count[order_id] -= 1
            total_days[order_id] -= days
    # What no accepted change explains was moved by the plant (material, capacity, quality).
    for order_id, count in total_count.items():
        for index in range(count):
            days = total_days[order_id] if index == count - 1 else 0
            by_order.setdefault(order_id, []).append((SLIP_OTHER, max(days, 0)))
    return by_order


def _tally_order(counts: Counts, row: dict, lines, slips, complaints, scores) -> None:
    n, bars = counts.n, counts.bars
    actual = row["actual_delivery_date"]
    first = row["first_promise"]
    current = row["promised_date"]
    entry = entry_day(row)
    on_time_first = first is not None and actual <= first
    on_time_current = current is not None and actual <= current
    complete = not (row["has_backorder"] or row["has_shortage"])
    components = (
        on_time_first,
        complete,
        not row["has_damage"],
        not row["has_doc_issue"],
        not row["has_quality_issue"],
    )
    n["delivered"] += 1
    n["on_time_first"] += on_time_first
    n["on_time_current"] += on_time_current
    n["repromised"] += row["repromise_count"] > 0
    n["repromises"] += row["repromise_count"]
    n["complete"] += complete
    n["damage_free"] += components[2]
    n["documentation_ok"] += components[3]
    n["quality_ok"] += components[4]
    n["perfect"] += all(components)
    n["otif"] += on_time_first and complete
    if row["has_first_shipment"]:
        n["shipped_first"] += 1
        for ordered, shipped in lines.get(row["pk"], ()):
            n["lines"] += 1
            n["lines_complete_first"] += shipped >= ordered
            counts.units["units"] += ordered
            counts.units["units_first"] += min(shipped, ordered)
    cycle = max((actual - entry).days, 0)
    n["cycle_days"] += cycle
    bars["cycle", str(cycle)] += 1
    if current is not None:
        bars["delta_current", str((actual - current).days)] += 1
    if first is not None:
        bars["delta_first", str((actual - first).days)] += 1
    if first is not None and row["requested_date"] is not None:
        n["quoted"] += 1
        n["quoted_lead_days"] += (first - entry).days
        n["requested_lead_days"] += (row["requested_date"] - entry).days
        n["promised_by_request"] += first <= row["requested_date"]
    if first is not None and not on_time_first:
        n["late_first"] += 1
        notice = row["first_notice_at"]
        if notice is not None and timezone.localdate(notice) < first:
            n["late_told"] += 1
            n["notice_days"] += (first - timezone.localdate(notice)).days
    n["change_requests"] += row["change_request_count"]
    n["changed"] += row["change_request_count"] > 0
    for cause, days in slips.get(row["pk"], ()):
        n["slips"] += 1
        n["slip_days"] += days
        n["change_slips"] += cause != SLIP_OTHER
        bars["slip", cause] += 1
        bars["slip_days", cause] += days
    kinds = complaints.get(row["pk"])
    if kinds:
        n["complained"] += 1
        n["complaints"] += sum(kinds.values())
        for kind in kinds:
            bars["complaint", kind] += 1
    answers = scores.get(row["pk"])
    if answers:
        n["surveyed"] += 1
        n["survey_answers"] += len(answers)
        n["survey_points"] += sum(answers)
        for score in answers:
            bars["survey", str(score)] += 1


def tally_entered(
    entered: QuerySet[SalesOrder], *, key: Callable[[dict], Hashable] = lambda row: None
) -> dict[Hashable, Counts]:
    """Counts of an entered cohort (orders entered, repeat orders), grouped by ``key(row)``."""
    result: dict[Hashable, Counts] = {}
    for row in with_entry_facts(entered).values(*ENTRY_FIELDS, "created_at"):
        counts = result.setdefault(key(row), Counts())
        counts.n["entered"] += 1
        counts.n["repeat_orders"] += row["is_repeat"]
    return result


def merge(parts: Iterable[Counts]) -> Counts:
    total = Counts()
    for part in parts:
        total.add(part)
    return total


# --------------------------------------------------------------------------------------------
# Figures.


def percentile(histogram: list[tuple[int, int]], share: float) -> int | None:
    """Nearest-rank percentile of a sorted histogram: the smallest value reaching ``share``."""
    total = sum(n for _value, n in histogram)
    if not total:
        return None
    rank = max(math.ceil(share * total), 1)
    seen = 0
    for value, n in histogram:
        seen += n
        if seen >= rank:
            return value
    return histogram[-1][0]


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    value: float | None  # None when there is nothing to measure
    numerator: float | int | Decimal | None
    denominator: float | int | Decimal | None
    unit: str  # "%", "days", "per order", "/ 5"
    definition: str
    drill: str | None = None  # the drill-down showing the orders behind it
    detail: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.unit == "%":
            return f"{self.value:.1f}%"
        if self.unit == "days":
            return f"{self.value:g} d" if float(self.value).is_integer() else f"{self.value:.1f} d"
        return f"{self.value:.2f}"


@dataclass(frozen=True)
class Definition:
    """One figure: what it means, how it is computed from counts, and its drill-down."""

    title: str
    definition: str
    unit: str
    compute: Callable[[Counts], tuple]  # -> (value, numerator, denominator)
    cohort: str = "delivered"
    # Drill-down: the orders counted in the denominator (``base``) and in the numerator.
    base: Q = field(default_factory=Q)
    hit: Q | None = None


def _rate(numerator: str, denominator: str) -> Callable:
    def compute(counts: Counts) -> tuple:
        num, den = counts.get(numerator), counts.get(denominator)
        return (float(num) * 100 / float(den) if den else None, num, den)

    return compute


def _failed(ok: str) -> Callable:
    def compute(counts: Counts) -> tuple:
        den = counts.get("delivered")
        num = den - counts.get(ok)
        return (num * 100 / den if den else None, num, den)

    return compute


def _mean(total: str, count: str) -> Callable:
    def compute(counts: Counts) -> tuple:
        num, den = counts.get(total), counts.get(count)
        return (round(num / den, 1) if den else None, num, den)

    return compute


def _pct(share: float) -> Callable:
    def compute(counts: Counts) -> tuple:
        histogram = counts.histogram("cycle")
        return (percentile(histogram, share), None, sum(n for _v, n in histogram))

    return compute


DELIVERED_DEF = "Measured over the orders delivered in the period."
DEFINITIONS: dict[str, Definition] = {
    "perfect": Definition(
        "Perfect order rate",
        "Share of delivered orders that were on time against the first promised date, "
        "complete (no backorder, no shortage or wrong-item report), damage-free (no damage "
        "report or complaint), with correct documentation (no documentation report or "
        "complaint), and with no quality escape or complaint (no nonconformance; no quality, "
        "late or other complaint). World class is 95-98%; below 90% signals systemic problems.",
        "%",
        _rate("perfect", "delivered"),
        hit=PERFECT,
    ),
    "on_time_first": Definition(
        "On time to first promise",
        "Share of delivered orders delivered on or before the first date promised at "
        "acknowledgment. Re-promising cannot improve this figure.",
        "%",
        _rate("on_time_first", "delivered"),
        hit=ON_TIME_FIRST,
    ),
    "on_time_current": Definition(
        "On time to current promise",
        "Share of delivered orders delivered on or before the promised date in force at "
        "delivery (after any re-promise).",
        "%",
        _rate("on_time_current", "delivered"),
        hit=ON_TIME_CURRENT,
    ),
    "repromised": Definition(
        "Orders re-promised",
        "Share of delivered orders whose promised date was changed at least once (a recorded "
        "re-promise).",
        "%",
        _rate("repromised", "delivered"),
        hit=Q(repromise_count__gt=0),
    ),
    "failed_on_time": Definition(
        "Failed: late",
        "Share of delivered orders delivered after the first promised date.",
        "%",
        _failed("on_time_first"),
        hit=~ON_TIME_FIRST,
    ),
    "failed_complete": Definition(
        "Failed: incomplete",
        "Share of delivered orders with a backorder, or a shortage or wrong-item report.",
        "%",
        _failed("complete"),
        hit=~COMPLETE,
    ),
    "failed_damage": Definition(
        "Failed: damaged",
        "Share of delivered orders with a damage delivery report or a damage complaint.",
        "%",
        _failed("damage_free"),
        hit=~DAMAGE_FREE,
    ),
    "failed_documentation": Definition(
        "Failed: documentation",
        "Share of delivered orders with a documentation delivery report or complaint.",
        "%",
        _failed("documentation_ok"),
        hit=~DOCUMENTATION_OK,
    ),
    "failed_quality": Definition(
        "Failed: quality escape or complaint",
        "Share of delivered orders with a nonconformance, or a quality, late or other complaint.",
        "%",
        _failed("quality_ok"),
        hit=~QUALITY_OK,
    ),
    "otif": Definition(
        "OTIF",
        "On time and in full: share of delivered orders on time against the first promise and "
        "complete.",
        "%",
        _rate("otif", "delivered"),
        hit=OTIF,
    ),
    "fill_lines": Definition(
        "Fill rate, lines",
        "Share of order lines shipped complete on the order's first shipment, over the "
        "delivered orders that have shipment records. The drill-down marks the orders whose "
        "every line was complete on the first shipment.",
        "%",
        _rate("lines_complete_first", "lines"),
        base=Q(has_first_shipment=True),
        hit=Q(short_first=False),
    ),
    "fill_units": Definition(
        "Fill rate, units",
        "Units shipped on the first shipment (at most the quantity ordered per line) over units "
        "ordered, for the delivered orders that have shipment records.",
        "%",
        _rate("units_first", "units"),
        base=Q(has_first_shipment=True),
        hit=Q(short_first=False),
    ),
    "cycle_median": Definition(
        "Order cycle time, median",
        "Days from entry (submitted by sales) to delivery, median of the delivered orders "
        "(nearest rank).",
        "days",
        _pct(0.5),
    ),
    "cycle_p90": Definition(
        "Order cycle time, 90th percentile",
        "Days from entry to delivery that 90% of the delivered orders did not exceed.",
        "days",
        _pct(0.9),
    ),
    "quoted_lead": Definition(
        "Quoted lead time",
        "Average days from entry to the first promised date, over delivered orders with a "
        "requested date.",
        "days",
        _mean("quoted_lead_days", "quoted"),
    ),
    "requested_lead": Definition(
        "Requested lead time",
        "Average days from entry to the date the customer asked for, over the same orders.",
        "days",
        _mean("requested_lead_days", "quoted"),
    ),
    "promised_by_request": Definition(
        "Promised by the requested date",
        "Share of delivered orders with a requested date whose first promise was on or before it.",
        "%",
        _rate("promised_by_request", "quoted"),
        base=Q(requested_date__isnull=False, first_promise__isnull=False),
        hit=Q(first_promise__lte=F("requested_date")),
    ),
    "complaint_rate": Definition(
        "Complaint rate",
        "Share of delivered orders with at least one customer complaint (any type).",
        "%",
        _rate("complained", "delivered"),
        hit=Q(has_complaint=True),
    ),
    "satisfaction": Definition(
        "Satisfaction",
        "Average survey score (1-5) given for the delivered orders.",
        "/ 5",
        _mean("survey_points", "survey_answers"),
        hit=Q(has_survey=True),
    ),
    "survey_response": Definition(
        "Survey response",
        "Share of delivered orders with at least one survey answer.",
        "%",
        _rate("surveyed", "delivered"),
        hit=Q(has_survey=True),
    ),
    "repeat_rate": Definition(
        "Repeat-order rate",
        "Share of the orders entered in the period whose customer had entered an order before.",
        "%",
        _rate("repeat_orders", "entered"),
        cohort="entered",
        hit=Q(is_repeat=True),
    ),
    "changes_per_order": Definition(
        "Change requests per order",
        "Change requests recorded on the delivered orders, per order.",
        "per order",
        _mean("change_requests", "delivered"),
        hit=Q(change_request_count__gt=0),
    ),
    "changed_share": Definition(
        "Orders changed",
        "Share of delivered orders with at least one change request.",
        "%",
        _rate("changed", "delivered"),
        hit=Q(change_request_count__gt=0),
    ),
    "change_slips": Definition(
        "Date slips caused by changes",
        "Share of the promise slips (a promised date moved later) on the delivered orders "
        "that came with an accepted change request; the rest were the plant's re-promises.",
        "%",
        _rate("change_slips", "slips"),
        hit=Q(repromise_count__gt=0),
    ),
    "proactive": Definition(
        "Told before the promised date",
        "Share of the orders delivered late against the first promise whose customer was "
        "sent a delay notice before that date. The seed's promise: the customer hears about "
        "a problem from us first.",
        "%",
        _rate("late_told", "late_first"),
        base=LATE_FIRST,
        hit=TOLD_BEFORE,
    ),
    "notice_days": Definition(
        "Average notice",
        "Average days between the first delay notice and the first promised date, over the "
        "late orders whose customer was told in time.",
        "days",
        _mean("notice_days", "late_told"),
        base=LATE_FIRST,
        hit=TOLD_BEFORE,
    ),
}


def figure(key: str, counts: Counts) -> Figure:
    definition = DEFINITIONS[key]
    value, numerator, denominator = definition.compute(counts)
    return Figure(
        key=key,
        title=definition.title,
        value=value,
        numerator=numerator,
        denominator=denominator,
        unit=definition.unit,
        definition=definition.definition,
        drill=key,
    )


def figures(counts: Counts) -> dict[str, Figure]:
    """Every dashboard figure from one set of counts."""
    return {key: figure(key, counts) for key in DEFINITIONS}


# --------------------------------------------------------------------------------------------
# Drill-downs: the orders behind a figure.


def orders_behind(key: str, cohort: QuerySet[SalesOrder], *, which: str = "all") -> QuerySet:
    """The orders of ``cohort`` behind figure ``key``, with their facts annotated.

    ``which``: "all" (the orders the figure is measured over), "counted" (those in its
    numerator) or "other" (the rest).
    """
    definition = DEFINITIONS[key]
    annotate = with_entry_facts if definition.cohort == "entered" else with_facts
    orders = annotate(cohort).filter(definition.base)
    if definition.hit is not None and which == "counted":
        orders = orders.filter(definition.hit)
    elif definition.hit is not None and which == "other":
        orders = orders.exclude(definition.hit)
    return orders


# --------------------------------------------------------------------------------------------
# One function per KPI, live over any queryset of orders: the figure and the orders behind it.


@dataclass(frozen=True)
class Result:
    figure: Figure
    orders: QuerySet  # the orders counted in the figure's numerator (or measured, if none)


def _live(key: str, orders: QuerySet[SalesOrder], *, start: date, end: date) -> Result:
    definition = DEFINITIONS[key]
    if definition.cohort == "entered":
        cohort = entered_in(orders, start=start, end=end)
        counts = merge(tally_entered(cohort).values())
    else:
        cohort = delivered_in(orders, start=start, end=end)
        counts = merge(tally(cohort).values())
    which = "counted" if definition.hit is not None else "all"
    return Result(figure(key, counts), orders_behind(key, cohort, which=which))


def perfect_order_rate(orders: QuerySet, *, start: date, end: date) -> Result:
    """Perfect orders over orders delivered in [start, end] (see ``DEFINITIONS``)."""
    return _live("perfect", orders, start=start, end=end)


def on_time_first_promise(orders: QuerySet, *, start: date, end: date) -> Result:
    """Orders delivered by their first promised date, over orders delivered in the period."""
    return _live("on_time_first", orders, start=start, end=end)


def on_time_current_promise(orders: QuerySet, *, start: date, end: date) -> Result:
    """Orders delivered by their current promised date, over orders delivered in the period."""
    return _live("on_time_current", orders, start=start, end=end)


def otif_rate(orders: QuerySet, *, start: date, end: date) -> Result:
    """On time (first promise) and complete, over orders delivered in the period."""
    return _live("otif", orders, start=start, end=end)


def fill_rate_lines(orders: QuerySet, *, start: date, end: date) -> Result:
    """Lines shipped complete on the first shipment over lines of shipped orders."""
    return _live("fill_lines", orders, start=start, end=end)


def fill_rate_units(orders: QuerySet, *, start: date, end: date) -> Result:
    """Units shipped on the first shipment over units ordered, for shipped orders."""
    return _live("fill_units", orders, start=start, end=end)


def cycle_time_median(orders: QuerySet, *, start: date, end: date) -> Result:
    """Median days from entry to delivery of orders delivered in the period."""
    return _live("cycle_median", orders, start=start, end=end)


def cycle_time_p90(orders: QuerySet, *, start: date, end: date) -> Result:
    """90th percentile of days from entry to delivery."""
    return _live("cycle_p90", orders, start=start, end=end)


def complaint_rate(orders: QuerySet, *, start: date, end: date) -> Result:
    """Delivered orders with a complaint over orders delivered in the period."""
    return _live("complaint_rate", orders, start=start, end=end)


def satisfaction_score(orders: QuerySet, *, start: date, end: date) -> Result:
    """Average survey score of the orders delivered in the period."""
    return _live("satisfaction", orders, start=start, end=end)


def repeat_order_rate(orders: QuerySet, *, start: date, end: date) -> Result:
    """Orders entered in the period by customers who had ordered before."""
    return _live("repeat_rate", orders, start=start, end=end)


def change_requests_per_order(orders: QuerySet, *, start: date, end: date) -> Result:
    """Change requests per order delivered in the period."""
    return _live("changes_per_order", orders, start=start, end=end)


def proactive_notice_rate(orders: QuerySet, *, start: date, end: date) -> Result:
    """Late orders (first promise) whose customer got a delay notice before the date."""
    return _live("proactive", orders, start=start, end=end)


def average_notice_days(orders: QuerySet, *, start: date, end: date) -> Result:
    """Average days of notice given on late orders whose customer was told in time."""
    return _live("notice_days", orders, start=start, end=end)
