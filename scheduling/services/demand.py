"""What orders hands to planning: demands in, quotes and projections out.

A demand follows its order: planned at acknowledgment and changed with it, reduced by what
ships, fulfilled when nothing is owed and cancelled with the order. The plan holds only what
is still owed, so a cancelled or shipped order never books capacity or material again.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from scheduling import engine
from scheduling.models import (
    BomLine,
    Demand,
    DemandStatus,
    Item,
    OperationStatus,
    WorkOrder,
    WorkOrderStatus,
)
from scheduling.services.planning import request_replan


@transaction.atomic
def demand_plan(
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
    """Put a demand into the master schedule (or update it) and ask for a re-plan.

    ``quantity`` is what the customer ordered; what already shipped stays shipped, and the
    demand is open while anything is still owed.
    """
    demand = Demand.objects.select_for_update().filter(reference=reference).first()
    if demand is not None and demand.status == DemandStatus.CANCELLED:
        raise ValueError(f"Demand {reference} was cancelled with its order.")
    if demand is None:
        demand = Demand(reference=reference)
    demand.item_id = item_id
    demand.quantity = quantity
    demand.due_date = due_date
    demand.priority = priority
    demand.inspection_days = inspection_days
    demand.transit_days = transit_days
    demand.customer = customer
    demand.status = DemandStatus.OPEN if demand.open_quantity > 0 else DemandStatus.FULFILLED
    demand.save()
    request_replan()
    return demand


def _locked(references: Iterable[str]) -> list[Demand]:
    return list(
        Demand.objects.select_for_update().filter(reference__in=list(references)).order_by("pk")
    )


def _close(demand: Demand, status: str) -> None:
    """Nothing more is owed: the demand leaves the plan and its reserved stock is free."""
    demand.status = status
    demand.save(update_fields=["status", "updated_at"])
    demand.allocations.all().delete()


def _return_components(work_order: WorkOrder) -> None:
    """Released work that never started gives its issued components back to stores."""
    for line in BomLine.objects.filter(parent_id=work_order.item_id):
        issued = work_order.quantity * line.quantity_per * (1 + line.scrap_pct / Decimal(100))
        Item.objects.filter(pk=line.component_id).update(on_hand=F("on_hand") + issued)


def _cancel_unstarted_work(closed: set[str]) -> list[str]:
    """Firm or released work orders that now serve no open demand and have not started are
    cancelled; work already running stays on the floor (it finishes into free stock)."""
    candidates = [
        work_order
        for work_order in WorkOrder.objects.select_for_update()
        .filter(status__in=(WorkOrderStatus.FIRM, WorkOrderStatus.RELEASED))
        .order_by("pk")
        if closed & set(work_order.demand_refs or ())
    ]
    pegged = {ref for work_order in candidates for ref in work_order.demand_refs}
    still_open = set(
        Demand.objects.filter(reference__in=pegged, status=DemandStatus.OPEN).values_list(
            "reference", flat=True
        )
    )
    started = set(
        WorkOrder.objects.filter(
            pk__in=[wo.pk for wo in candidates],
            operations__status__in=(OperationStatus.IN_PROGRESS, OperationStatus.DONE),
        ).values_list("pk", flat=True)
    )
    cancelled = []
    for work_order in candidates:
        if still_open & set(work_order.demand_refs) or work_order.pk in started:
            continue
        if work_order.status == WorkOrderStatus.RELEASED:
            _return_components(work_order)
        work_order.status = WorkOrderStatus.CANCELLED
        work_order.save(update_fields=["status"])
        cancelled.append(work_order.number)
    return cancelled


@transaction.atomic
def demand_cancel(*, references: Iterable[str]) -> list[str]:
    """Take an order's demands out of the plan: their reserved stock is released and work
    that served only them, not yet started, is cancelled. Returns those work orders."""
    closed = set()
    for demand in _locked(references):
        if demand.status == DemandStatus.OPEN:
            _close(demand, DemandStatus.CANCELLED)
            closed.add(demand.reference)
    if not closed:
        return []
    work = _cancel_unstarted_work(closed)
    request_replan()
    return work


@transaction.atomic
def demand_ship(*, reference: str, quantity: Decimal) -> Demand | None:
    """Goods of this demand left the plant: they leave stock (the reservation first), and the
    demand is fulfilled once everything ordered has shipped. Safe for a demand-less line."""
    demand = next(iter(_locked([reference])), None)
    if demand is None or quantity <= 0 or demand.status != DemandStatus.OPEN:
        return demand
    demand.shipped_quantity = F("shipped_quantity") + quantity
    demand.save(update_fields=["shipped_quantity", "updated_at"])
    demand.refresh_from_db(fields=["shipped_quantity"])
    allocation = demand.allocations.filter(item_id=demand.item_id).first()
    if allocation is not None:
        if allocation.quantity <= quantity:
            allocation.delete()
        else:
            allocation.quantity = F("quantity") - quantity
            allocation.save(update_fields=["quantity"])
    # What left was there, whatever the books said: stock never goes below zero by a shipment.
    Item.objects.filter(pk=demand.item_id).update(on_hand=Greatest(F("on_hand") - quantity, 0))
    if demand.open_quantity <= 0:
        _close(demand, DemandStatus.FULFILLED)
    request_replan()
    return demand


@transaction.atomic
def demand_fulfil(*, references: Iterable[str]) -> int:
    """Nothing more is owed on these demands (the order closed, a backorder was cancelled):
    they leave the plan, and any stock still reserved for them is free again."""
    closed = 0
    for demand in _locked(references):
        if demand.status == DemandStatus.OPEN:
            _close(demand, DemandStatus.FULFILLED)
            closed += 1
    if closed:
        request_replan()
    return closed


@transaction.atomic
def demand_reprioritise(*, references: Iterable[str], priority: int, actor=None) -> int:
    """Change the priority of open demands (an expedite) and re-plan at once."""
    changed = 0
    for demand in _locked(references):
        if demand.status == DemandStatus.OPEN and demand.priority != priority:
            demand.priority = priority
            demand.save(update_fields=["priority", "updated_at"])
            changed += 1
    request_replan(actor=actor, delay=0)
    return changed


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
