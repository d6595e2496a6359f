"""Ghost demand: work the plan holds for an order the plant no longer owes anything on."""

from fulfillment.models import Backorder, BackorderStatus
from orders.models import SalesOrder
from orders.states import OrderStatus
from scheduling import selectors as plan

# An order in one of these owes nothing; a shipped or delivered one only its open backorders.
SETTLED = (OrderStatus.CANCELLED, OrderStatus.CLOSED)
SHIPPED = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def ghost_demands() -> list[str]:
    """Open demands whose order is cancelled or closed, or shipped or delivered with nothing
    left on the line (no open backorder). Ordercraft keeps this empty."""
    references = plan.open_demand_references()
    numbers = {reference.rpartition("/")[0] for reference in references}
    status = dict(
        SalesOrder.objects.filter(number__in=numbers, status__in=(*SETTLED, *SHIPPED)).values_list(
            "number", "status"
        )
    )
    backordered = {
        f"{number}/{line_no}"
        for number, line_no in Backorder.objects.filter(
            status=BackorderStatus.OPEN, order__number__in=list(status)
        ).values_list("order__number", "line__line_no")
    }
    return [
        reference
        for reference in references
        if status.get(reference.rpartition("/")[0]) in SETTLED
        or (status.get(reference.rpartition("/")[0]) in SHIPPED and reference not in backordered)
    ]
