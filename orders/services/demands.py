"""The demands an order hands to planning, kept in step with the order.

One demand per line whose product is made or stocked (``SO-000123/1``). It is planned at
acknowledgment, changed with the order's promise and accepted changes, reduced by what ships,
fulfilled when the order closes and cancelled with the order. Planning is reached only
through ``scheduling.services``.
"""

from collections.abc import Mapping
from decimal import Decimal

from orders.models import DEFAULT_TRANSIT_DAYS, Address, SalesOrder, SalesOrderLine, TransitLane
from scheduling import services as scheduling_services


def demand_reference(order: SalesOrder, line: SalesOrderLine) -> str:
    return f"{order.number}/{line.line_no}"


def transit_days_to(address: Address | None) -> int:
    if address is None:
        return DEFAULT_TRANSIT_DAYS
    lane = TransitLane.objects.filter(region=address.region).first()
    return lane.transit_days if lane else DEFAULT_TRANSIT_DAYS


def _planned_lines(order: SalesOrder) -> list[SalesOrderLine]:
    return [line for line in order.lines.select_related("product") if line.product.item_id]


def order_demands_plan(*, order: SalesOrder) -> None:
    """Hand every planned line to planning as it is now: quantity, due date (the line's own
    promise, else the order's), priority, inspection and transit days (call inside the
    transaction of the change)."""
    transit = transit_days_to(order.ship_to)
    for line in _planned_lines(order):
        scheduling_services.demand_plan(
            reference=demand_reference(order, line),
            item_id=line.product.item_id,
            quantity=line.quantity,
            due_date=line.promised_date or order.promised_date,
            priority=order.priority,
            inspection_days=line.product.inspection_days,
            transit_days=transit,
            customer=order.customer.name,
        )


def order_demands_cancel(*, order: SalesOrder) -> list[str]:
    """The order is cancelled: its demands leave the plan; returns the work orders cancelled
    with them."""
    return scheduling_services.demand_cancel(
        references=[demand_reference(order, line) for line in order.lines.all()]
    )


def order_demands_ship(*, order: SalesOrder, shipped: Mapping[int, Decimal]) -> None:
    """Goods left: ``shipped`` maps each line's id to the quantity in this shipment."""
    for line in _planned_lines(order):
        quantity = shipped.get(line.pk, Decimal(0))
        if quantity > 0:
            scheduling_services.demand_ship(
                reference=demand_reference(order, line), quantity=quantity
            )


def order_demands_fulfil(*, order: SalesOrder, lines: list[SalesOrderLine] | None = None) -> int:
    """Nothing more is owed on ``lines`` (default: the whole order, as it closes)."""
    lines = list(order.lines.all()) if lines is None else lines
    return scheduling_services.demand_fulfil(
        references=[demand_reference(order, line) for line in lines]
    )


def order_demands_reprioritise(*, order: SalesOrder, actor=None) -> int:
    """The order's priority changed (an expedite): planning takes it at once."""
    return scheduling_services.demand_reprioritise(
        references=[demand_reference(order, line) for line in order.lines.all()],
        priority=order.priority,
        actor=actor,
    )
