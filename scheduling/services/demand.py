"""What orders hands to planning: demands in, quotes and projections out."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from scheduling import engine
from scheduling.models import Demand, DemandStatus, Item
from scheduling.services.planning import request_replan


@transaction.atomic
def plan_demand(
    *,
    reference: str,
    item_id: int,
    quantity: Decimal,
    due_date: date,
    priority: int = 2,
    inspection_days: int = 1,
    transit_days: int = 0,
    customer: str = "",
) -> Demand:
    """Put a demand into the master schedule (or update it) and ask for a re-plan."""
    demand, _created = Demand.objects.update_or_create(
        reference=reference,
        defaults={
            "item_id": item_id,
            "quantity": quantity,
            "due_date": due_date,
            "priority": priority,
            "inspection_days": inspection_days,
            "transit_days": transit_days,
            "customer": customer,
            "status": DemandStatus.OPEN,
        },
    )
    request_replan()
    return demand


@transaction.atomic
def cancel_demand(*, reference: str) -> None:
    """Take a demand out of the plan; its reserved stock is released with it."""
    demand = Demand.objects.filter(reference=reference).first()
    if demand is None or demand.status == DemandStatus.CANCELLED:
        return
    demand.status = DemandStatus.CANCELLED
    demand.save(update_fields=["status", "updated_at"])
    demand.allocations.all().delete()
    request_replan()


def quote(
    *,
    item_id: int,
    quantity: Decimal,
    due_date: date,
    priority: int = 2,
    inspection_days: int = 1,
    transit_days: int = 0,
    reference: str = "QUOTE",
) -> engine.Quote:
    """Earliest ship and delivery date for a hypothetical demand, with the binding reason.

    Read-only: the current plan is not changed.
    """
    from scheduling.selectors import plan_state_cache

    if not Item.objects.filter(pk=item_id).exists():
        raise Item.DoesNotExist(f"No item {item_id}")
    state = plan_state_cache.current()
    return state.quote(
        engine.Demand(
            ref=reference,
            item=item_id,
            qty=float(quantity),
            due=due_date,
            priority=priority,
            inspection_days=inspection_days,
            transit_days=transit_days,
        )
    )
