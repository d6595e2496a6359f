"""Promise dates: quote an order's lines against today's plan and say why, in plain words.

Read-only: a quote inserts nothing into the plan. A product the plant does not plan (no item
behind it) is quoted on its standard lead time, and the answer says so.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core import clock
from orders.models import Address, Product, SalesOrder
from orders.services.demands import transit_days_to
from orders.states import Priority
from scheduling import services as scheduling_services
from scheduling.engine.calendar import add_working_days, receiving_day
from scheduling.models import Holiday

# A quote without a requested date queues behind all work of its priority: a safe answer.
NO_REQUEST_HORIZON_DAYS = 365
STANDARD_LEAD_TIME = "standard_lead_time"


@dataclass(frozen=True)
class QuoteLine:
    """One line to quote, saved or still on the entry form; ``quantity`` in the base unit."""

    line_no: int
    product: Product
    quantity: Decimal


@dataclass(frozen=True)
class LineQuote:
    line_no: int
    product: Product
    quantity: Decimal
    earliest_completion: date
    earliest_ship: date
    earliest_delivery: date
    reason: str  # the binding constraint, e.g. "Paint line is full until Tue 15 Dec"
    reason_kind: str  # capacity, material, lead_time, inspection, transit, standard_lead_time
    steps: tuple[str, ...]
    requested_date: date | None

    @property
    def in_time(self) -> bool:
        return self.requested_date is None or self.earliest_delivery <= self.requested_date


@dataclass(frozen=True)
class OrderQuote:
    lines: tuple[LineQuote, ...]
    requested_date: date | None
    priority: int
    transit_days: int
    # Quoted again as a rush order, when the requested date cannot be met otherwise.
    rush: "OrderQuote | None" = None

    @property
    def binding(self) -> LineQuote | None:
        """The line that delivers last: its reason is the order's reason."""
        return max(self.lines, key=lambda q: (q.earliest_delivery, -q.line_no), default=None)

    @property
    def earliest_ship(self) -> date | None:
        return max((q.earliest_ship for q in self.lines), default=None)

    @property
    def earliest_delivery(self) -> date | None:
        return max((q.earliest_delivery for q in self.lines), default=None)

    @property
    def too_early(self) -> bool:
        """The customer asks for a date we cannot deliver by."""
        return bool(self.lines) and not all(q.in_time for q in self.lines)

    @property
    def lines_in_time(self) -> tuple[LineQuote, ...]:
        return tuple(q for q in self.lines if q.in_time)

    @property
    def lines_late(self) -> tuple[LineQuote, ...]:
        return tuple(q for q in self.lines if not q.in_time)

    @property
    def is_rush(self) -> bool:
        return self.priority == Priority.RUSH


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


class _StandardLeadTime:
    """Dates from a product's standard lead time, for products the plant does not plan."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._holidays: frozenset[date] | None = None

    @property
    def holidays(self) -> frozenset[date]:
        if self._holidays is None:
            self._holidays = frozenset(
                Holiday.objects.filter(date__gte=self.today).values_list("date", flat=True)
            )
        return self._holidays

    def quote(self, line: QuoteLine, transit: int, requested: date | None) -> LineQuote:
        product = line.product
        lead, inspection = product.lead_time_days, product.inspection_days
        completion = add_working_days(self.today, lead, self.holidays)
        ship = add_working_days(completion, inspection, self.holidays)
        delivery = receiving_day(ship + timedelta(days=transit))
        reason = f"Standard lead time {_days(lead)}: this product is not planned in the plant"
        steps = [f"Standard lead time {_days(lead)} (working days)"]
        if inspection:
            steps.append(f"{_days(inspection)} final inspection")
        if transit:
            steps.append(f"{_days(transit)} transit")
        return LineQuote(
            line.line_no,
            product,
            line.quantity,
            completion,
            ship,
            delivery,
            reason,
            STANDARD_LEAD_TIME,
            tuple(steps),
            requested,
        )


def order_quote(
    *,
    lines: Iterable[QuoteLine],
    ship_to: Address | None,
    requested_date: date | None,
    priority: int = Priority.NORMAL,
    offer_rush: bool = True,
) -> OrderQuote:
    """Earliest ship and delivery date of every line, and of the order (its latest line).

    When the requested date is earlier than that, the order is quoted again as a rush order
    (``rush``) so that sales can offer it beside a partial shipment.
    """
    lines = [line for line in lines if line.quantity > 0]
    transit = transit_days_to(ship_to)
    today = clock.today()
    due = requested_date or today + timedelta(days=NO_REQUEST_HORIZON_DAYS)
    standard = _StandardLeadTime(today)
    quotes = []
    for line in lines:
        product = line.product
        if product.item_id is None:
            quotes.append(standard.quote(line, transit, requested_date))
            continue
        try:
            answer = scheduling_services.quote(
                item_id=product.item_id,
                quantity=line.quantity,
                due_date=due,
                priority=priority,
                inspection_days=product.inspection_days,
                transit_days=transit,
                reference=f"QUOTE/{line.line_no}",
            )
        except ValueError:
            # The item is newer than the plan; the next plan run will know it.
            quotes.append(standard.quote(line, transit, requested_date))
            continue
        quotes.append(
            LineQuote(
                line.line_no,
                product,
                line.quantity,
                answer.earliest_completion,
                answer.earliest_ship,
                answer.earliest_delivery,
                answer.binding.message,
                answer.binding.kind,
                tuple(answer.steps),
                requested_date,
            )
        )
    result = OrderQuote(tuple(quotes), requested_date, priority, transit)
    if offer_rush and result.too_early and priority != Priority.RUSH:
        rush = order_quote(
            lines=lines,
            ship_to=ship_to,
            requested_date=requested_date,
            priority=Priority.RUSH,
            offer_rush=False,
        )
        result = OrderQuote(result.lines, requested_date, priority, transit, rush)
    return result


def order_quote_for(*, order: SalesOrder) -> OrderQuote:
    """Quote a saved order as it stands (lines, ship-to, requested date, priority)."""
    lines = [
        QuoteLine(line.line_no, line.product, line.quantity)
        for line in order.lines.select_related("product")
    ]
    return order_quote(
        lines=lines,
        ship_to=order.ship_to,
        requested_date=order.requested_date,
        priority=order.priority,
    )
