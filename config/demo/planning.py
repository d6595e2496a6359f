"""The plant's planning state behind the demo orders: demands, work in progress, purchase
orders, a maintenance day, holidays and a couple of planner pins, then a first plan."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F

from core import clock
from orders.models import SalesOrder, TransitLane
from orders.services.demands import transit_days_to
from orders.states import OrderStatus as S
from orders.states import OrderType
from scheduling.models import (
    Allocation,
    BomLine,
    Demand,
    Downtime,
    Holiday,
    Item,
    OperationStatus,
    PlanRun,
    PlanTrigger,
    PurchaseEventKind,
    PurchaseOrder,
    PurchaseOrderEvent,
    PurchaseOrderLine,
    RoutingOperation,
    WorkCenter,
    WorkOrder,
    WorkOrderOperation,
    WorkOrderStatus,
)
from scheduling.numbering import number_next
from scheduling.services import purchase_line_confirm

# Calendar days on the road (or sea) from the plant to each region.
TRANSIT_DAYS = {
    "Midwest": 2,
    "Northeast": 3,
    "South": 3,
    "West": 4,
    "Canada-East": 4,
    "Mexico": 6,
    "Europe": 14,
}
# Orders whose goods are already made: the demand is met from reserved stock.
MADE = (S.PRODUCED, S.QUALITY_HOLD, S.QUALITY_RELEASED, S.PACKED)
WORK_IN_PROGRESS = (S.RELEASED, S.IN_PRODUCTION)
PLANNED = (S.ACKNOWLEDGED, S.PLANNED, *WORK_IN_PROGRESS, *MADE)


def seed_transit_lanes() -> None:
    for region, days in TRANSIT_DAYS.items():
        TransitLane.objects.get_or_create(region=region, defaults={"transit_days": days})


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def _holidays(today: date) -> None:
    for month, day, name in [
        (12, 24, "Christmas Eve"),
        (12, 25, "Christmas Day"),
        (1, 1, "New Year's Day"),
    ]:
        year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
        Holiday.objects.get_or_create(date=date(year, month, day), defaults={"name": name})


def _demands(orders: list[SalesOrder]) -> list[Demand]:
    demands = []
    for order in orders:
        for line in order.lines.all():
            if line.product.item_id is None:
                continue
            demands.append(
                Demand(
                    reference=f"{order.number}/{line.line_no}",
                    item_id=line.product.item_id,
                    quantity=line.quantity,
                    due_date=order.promised_date,
                    priority=order.priority,
                    inspection_days=2 if order.order_type == OrderType.CUSTOM else 1,
                    transit_days=transit_days_to(order.ship_to),
                    customer=order.customer.name,
                )
            )
    return Demand.objects.bulk_create(demands)


def _made(demands: list[Demand]) -> None:
    """Goods of orders past production sit in stock, reserved for their order."""
    for demand in demands:
        Item.objects.filter(pk=demand.item_id).update(on_hand=F("on_hand") + demand.quantity)
        Allocation.objects.create(item_id=demand.item_id, demand=demand, quantity=demand.quantity)


def _work_order(demand: Demand, *, started: bool, now) -> WorkOrder:
    work_order = WorkOrder.objects.create(
        number=number_next(prefix="WO"),
        item_id=demand.item_id,
        quantity=demand.quantity,
        due_date=demand.due_date,
        priority=demand.priority,
        status=WorkOrderStatus.IN_PROGRESS if started else WorkOrderStatus.RELEASED,
        demand_refs=[demand.reference],
        released_at=now - timedelta(days=3),
    )
    steps = list(RoutingOperation.objects.filter(item_id=demand.item_id).order_by("sequence"))
    # Work in production has its first operation done and the second running.
    for index, step in enumerate(steps):
        done = started and index == 0
        running = started and index == 1
        WorkOrderOperation.objects.create(
            work_order=work_order,
            sequence=step.sequence,
            work_center_id=step.work_center_id,
            description=step.description,
            setup_minutes=step.setup_minutes,
            run_minutes_per_unit=step.run_minutes_per_unit,
            setup_family=step.setup_family,
            status=OperationStatus.DONE
            if done
            else (OperationStatus.IN_PROGRESS if running else OperationStatus.PLANNED),
            good_quantity=demand.quantity if done else Decimal(0),
            actual_start=now - timedelta(days=2) if (done or running) else None,
            actual_end=now - timedelta(days=1) if done else None,
        )
    # Released work has its components issued from stock.
    for line in BomLine.objects.filter(parent_id=demand.item_id):
        need = demand.quantity * line.quantity_per * (1 + line.scrap_pct / Decimal(100))
        Item.objects.filter(pk=line.component_id).update(on_hand=F("on_hand") - need)
    return work_order


def _purchase_orders(rng: random.Random, today: date, buyer) -> None:
    """Six open purchase orders; the suppliers confirmed about half of them."""
    bought = list(Item.objects.filter(make=False).order_by("code"))
    for item in rng.sample(bought, k=min(6, len(bought))):
        created = clock.now() - timedelta(days=rng.randint(2, 9))
        order = PurchaseOrder.objects.create(
            number=number_next(prefix="PO"),
            supplier=item.preferred_supplier or "Metals Depot",
            created_by=buyer,
            created_at=created,
        )
        quantity = max(Decimal(10), (item.lot_quantity or item.lot_multiple or Decimal(50)))
        due = _weekday_on_or_after(today + timedelta(days=rng.randint(3, 18)))
        line = PurchaseOrderLine.objects.create(
            purchase_order=order, item=item, quantity=quantity, due_date=due
        )
        PurchaseOrderEvent.objects.create(
            purchase_order=order,
            line=line,
            kind=PurchaseEventKind.CREATED,
            actor=buyer,
            at=created,
            to_date=due,
            quantity=quantity,
            note=f"Ordered {quantity.normalize():f} {item.unit} {item.name}.",
        )
        if rng.random() < 0.5:
            purchase_line_confirm(
                line_id=line.pk,
                actor=buyer,
                confirmed_date=due,
                supplier_reference=f"OC-{rng.randint(10000, 99999)}",
            )


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _stock_up_and_squeeze() -> None:
    """Stores carry a few weeks of material, except two specialised items that ran out: the
    plan then shows a handful of real shortages to act on, not a plant in chaos."""
    Item.objects.filter(make=False).update(on_hand=F("on_hand") * 4)
    rare = (
        Item.objects.filter(make=False)
        .annotate(uses=Count("used_in"))
        .filter(uses__gt=0)
        .order_by("uses", "code")[:2]
    )
    Item.objects.filter(pk__in=[item.pk for item in rare]).update(on_hand=Decimal(0))


@transaction.atomic
def seed_planning(*, seed: int, planner, buyer) -> bool:
    """Hand the demo's promised orders to planning. Returns False if that was done before."""
    seed_transit_lanes()
    if Demand.objects.exists():
        return False
    rng = random.Random(seed)
    now = clock.now()
    today = clock.today()
    WorkCenter.objects.filter(capability="").update(capability=F("code"))
    _holidays(today)
    paint = WorkCenter.objects.filter(code="PAINT").first()
    if paint is not None:
        Downtime.objects.get_or_create(
            work_center=paint,
            date=_next_weekday(today, 2),
            defaults={"minutes_lost": None, "reason": "Oven maintenance"},
        )
    _stock_up_and_squeeze()
    orders = list(
        SalesOrder.objects.filter(status__in=PLANNED, promised_date__isnull=False)
        .select_related("customer", "ship_to")
        .prefetch_related("lines__product")
        .order_by("promised_date", "number")
    )
    for order in orders:
        made = _demands([order])
        if order.status in MADE:
            _made(made)
        elif order.status in WORK_IN_PROGRESS:
            for demand in made:
                _work_order(demand, started=order.status == S.IN_PRODUCTION, now=now)
    _purchase_orders(rng, today, buyer)
    return True


def pin_two_jobs_on_one_day(*, planner) -> int:
    """The planner pinned two paint jobs onto one day: the board shows that day overloaded."""
    ops = list(
        WorkOrderOperation.objects.filter(
            work_center__code="PAINT",
            status=OperationStatus.PLANNED,
            work_order__status=WorkOrderStatus.RELEASED,
        ).order_by("-run_minutes_per_unit")[:3]
    )
    day = _next_weekday(clock.today(), 1)
    for op in ops:
        op.pinned, op.pin_day = True, day
        op.save(update_fields=["pinned", "pin_day"])
    return len(ops)


def first_plan(*, planner) -> PlanRun:
    """Run the plan now, so the board is populated when the server starts."""
    from scheduling.services import regenerate_plan, request_replan

    run = request_replan(trigger=PlanTrigger.MANUAL, actor=planner, delay=0)
    return regenerate_plan(run_id=run.pk)
