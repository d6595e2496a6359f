"""The only place that turns ORM rows into planning-engine input and results back into rows."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core import clock
from scheduling import engine
from scheduling.models import (
    ACTIVE_WORK,
    Allocation,
    BomLine,
    Demand,
    DemandProjection,
    DemandStatus,
    Downtime,
    Holiday,
    Item,
    LoadBucket,
    OperationStatus,
    PlannedOperation,
    PlannedReceipt,
    PlannedWorkOrder,
    PlanRun,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    PurchaseSuggestion,
    RoutingOperation,
    Shortage,
    WorkCenter,
    WorkOrder,
    WorkOrderOperation,
    WorkOrderStatus,
)

BATCH = 2000
# Engine statuses of a work order's operations, by our status.
OPERATION_STATUS = {
    OperationStatus.PLANNED: "released",
    OperationStatus.IN_PROGRESS: "in_progress",
    OperationStatus.DONE: "done",
}


def shift_start() -> time:
    """Wall-clock start of minute 0 of every working day, in the plant's time zone."""
    hour, minute = (int(part) for part in settings.ORDERCRAFT_SHIFT_START.split(":"))
    return time(hour, minute, tzinfo=ZoneInfo(settings.TIME_ZONE))


def plan_clock(now: datetime | None = None) -> tuple[date, int]:
    """Today's date and the minutes of today's shift already gone, on the plant's clock."""
    local = timezone.localtime(now) if now is not None else clock.localtime()
    start = datetime.combine(local.date(), shift_start())
    return local.date(), max(0, int((local - start).total_seconds() // 60))


def _f(value: Decimal | int | None) -> float:
    return float(value or 0)


def demand_to_engine(demand: Demand) -> engine.Demand:
    return engine.Demand(
        ref=demand.reference,
        item=demand.item_id,
        qty=_f(demand.open_quantity),
        due=demand.due_date,
        priority=demand.priority,
        inspection_days=demand.inspection_days,
        transit_days=demand.transit_days,
    )


def problem_from_db(*, now: datetime | None = None) -> engine.PlanningProblem:
    """Everything the engine needs, read in a fixed number of queries."""
    today, start_minute = plan_clock(now)
    items = tuple(
        engine.Item(
            id=item.pk,
            make=item.make,
            lead_time_days=item.lead_time_days,
            on_hand=_f(item.on_hand),
            safety_stock=_f(item.safety_stock),
            lot_rule=item.lot_rule,
            lot_qty=_f(item.lot_quantity),
            lot_min=_f(item.lot_minimum),
            lot_multiple=_f(item.lot_multiple),
            period_days=item.lot_period_days,
            description=item.name,
        )
        for item in Item.objects.all()
    )
    bom = tuple(
        engine.BomLine(
            parent_item=line.parent_id,
            component_item=line.component_id,
            qty_per=_f(line.quantity_per),
            scrap_pct=_f(line.scrap_pct),
        )
        for line in BomLine.objects.all()
    )
    routings = tuple(
        engine.RoutingOp(
            item=op.item_id,
            sequence=op.sequence,
            work_center=op.work_center_id,
            setup_minutes=op.setup_minutes,
            run_minutes_per_unit=_f(op.run_minutes_per_unit),
            setup_family=op.setup_family or None,
        )
        for op in RoutingOperation.objects.all()
    )
    closed: dict[int, set[date]] = {}
    lost: dict[int, list[tuple[date, int]]] = {}
    for down in Downtime.objects.filter(date__gte=today):
        if down.minutes_lost is None:
            closed.setdefault(down.work_center_id, set()).add(down.date)
        else:
            lost.setdefault(down.work_center_id, []).append((down.date, down.minutes_lost))
    work_centers = tuple(
        engine.WorkCenter(
            id=wc.pk,
            name=wc.name,
            minutes_per_weekday=tuple(int(m) for m in wc.minutes_per_weekday),
            efficiency=_f(wc.efficiency),
            closed_dates=frozenset(closed.get(wc.pk, ())),
            downtime=tuple(sorted(lost.get(wc.pk, ()))),
        )
        for wc in WorkCenter.objects.all()
    )
    receipts = tuple(
        engine.ScheduledReceipt(
            item=line.item_id,
            qty=_f(line.open_quantity),
            due=line.due_date,
            reference=line.purchase_order.number,
        )
        for line in PurchaseOrderLine.objects.filter(
            purchase_order__status=PurchaseOrderStatus.OPEN
        ).select_related("purchase_order")
        if line.open_quantity > 0
    )
    open_demands = Demand.objects.filter(status=DemandStatus.OPEN)
    allocations = tuple(
        engine.Allocation(item=a.item_id, qty=_f(a.quantity), demand_ref=a.demand.reference)
        for a in Allocation.objects.filter(demand__status=DemandStatus.OPEN).select_related(
            "demand"
        )
    )
    work_orders, pins = _existing_work(today)
    return engine.PlanningProblem(
        today=today,
        horizon_days=settings.ORDERCRAFT_PLAN_HORIZON_DAYS,
        items=items,
        bom_lines=bom,
        routings=routings,
        work_centers=work_centers,
        receipts=receipts,
        allocations=allocations,
        demands=tuple(demand_to_engine(d) for d in open_demands),
        existing_work_orders=work_orders,
        pins=pins,
        holidays=frozenset(Holiday.objects.filter(date__gte=today).values_list("date", flat=True)),
        shift_start=shift_start(),
        start_minute=start_minute,
    )


def _existing_work(today: date):
    work_orders, pins = [], []
    operations: dict[int, list[WorkOrderOperation]] = {}
    for op in WorkOrderOperation.objects.filter(work_order__status__in=ACTIVE_WORK):
        operations.setdefault(op.work_order_id, []).append(op)
    for wo in WorkOrder.objects.filter(status__in=ACTIVE_WORK):
        ops = []
        for op in operations.get(wo.pk, []):
            key = f"{wo.number}/{op.sequence}"
            ops.append(
                engine.ExistingOperation(
                    key=key,
                    sequence=op.sequence,
                    work_center=op.work_center_id,
                    setup_minutes=op.setup_minutes,
                    run_minutes_per_unit=_f(op.run_minutes_per_unit),
                    remaining_qty=_f(max(wo.quantity - op.good_quantity, 0)),
                    status=OPERATION_STATUS[op.status],
                    setup_family=op.setup_family or None,
                )
            )
            if op.pinned and op.status == OperationStatus.PLANNED:
                pins.append(
                    engine.Pin(
                        operation_key=key,
                        work_center=op.work_center_id,
                        start=max(op.pin_day, today),
                    )
                )
        work_orders.append(
            engine.ExistingWorkOrder(
                key=wo.number,
                item=wo.item_id,
                qty=_f(wo.quantity),
                due=wo.due_date,
                operations=tuple(ops),
                status="planned" if wo.status == WorkOrderStatus.FIRM else "released",
                priority=wo.priority,
                demand_refs=tuple(wo.demand_refs),
            )
        )
    return tuple(work_orders), tuple(pins)


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 3)))


def result_to_rows(*, run: PlanRun, result: engine.PlanResult, problem) -> None:
    """Write a run's result under ``run``; nobody reads these rows until the run is current."""
    demands = {d.ref: d for d in problem.demands}
    late_refs = {p.ref for p in result.projections if p.late_days > 0}
    quantities = {wo.key: wo.qty for wo in result.work_orders}
    completions = {wo.key: wo.completion for wo in result.work_orders}
    numbers = dict(WorkOrder.objects.filter(status__in=ACTIVE_WORK).values_list("number", "pk"))

    def urgency(refs) -> tuple[date | None, int]:
        served = [demands[r] for r in refs if r in demands]
        if not served:
            return None, 2
        return min(d.due for d in served), min(d.priority for d in served)

    rows = []
    for op in result.operations:
        due, priority = urgency(op.demand_refs)
        rows.append(
            PlannedOperation(
                plan_run=run,
                key=op.key,
                work_order_key=op.work_order_key,
                work_order_id=numbers.get(op.work_order_key),
                item_id=op.item,
                work_center_id=op.work_center,
                sequence=op.sequence,
                quantity=_dec(quantities.get(op.work_order_key, 0)),
                start=op.start,
                end=op.end,
                setup_minutes=op.setup_minutes_applied,
                run_minutes=op.run_minutes,
                pinned=op.pinned,
                demand_refs=list(op.demand_refs),
                due_date=due,
                priority=priority,
                late=bool(late_refs.intersection(op.demand_refs)),
            )
        )
    PlannedOperation.objects.bulk_create(rows, batch_size=BATCH)
    planned = []
    for order in result.planned_orders:
        _due, priority = urgency(order.demand_refs)
        planned.append(
            PlannedWorkOrder(
                plan_run=run,
                key=order.key,
                item_id=order.item,
                quantity=_dec(order.qty),
                start=order.start,
                due=order.due,
                completion=completions.get(order.key),
                demand_refs=list(order.demand_refs),
                priority=priority,
            )
        )
    PlannedWorkOrder.objects.bulk_create(planned, batch_size=BATCH)
    PurchaseSuggestion.objects.bulk_create(
        [
            PurchaseSuggestion(
                plan_run=run,
                key=s.key,
                item_id=s.item,
                quantity=_dec(s.qty),
                order_by=s.order_by,
                needed=s.needed,
                arrival=s.arrival,
                demand_refs=list(s.demand_refs),
            )
            for s in result.purchase_suggestions
        ],
        batch_size=BATCH,
    )
    Shortage.objects.bulk_create(
        [
            Shortage(
                plan_run=run,
                item_id=s.item,
                quantity=_dec(s.qty),
                date_needed=s.date_needed,
                available_date=s.available_date,
                demand_refs=list(s.demand_refs),
                reference=s.reference,
            )
            for s in result.shortages
        ],
        batch_size=BATCH,
    )
    LoadBucket.objects.bulk_create(
        [
            LoadBucket(
                plan_run=run,
                work_center_id=b.work_center,
                day=b.day,
                capacity_minutes=b.capacity_minutes,
                load_minutes=b.load_minutes,
            )
            for b in result.load
            if b.capacity_minutes or b.load_minutes
        ],
        batch_size=BATCH,
    )
    DemandProjection.objects.bulk_create(
        [
            DemandProjection(
                plan_run=run,
                reference=p.ref,
                item_id=p.item,
                quantity=_dec(p.qty),
                due=p.due,
                projected_completion=p.projected_completion,
                projected_ship=p.projected_ship,
                projected_delivery=p.projected_delivery,
                late_days=p.late_days,
                binding_kind=p.binding_constraint.kind,
                binding_message=p.binding_constraint.message[:300],
                binding_item_id=p.binding_constraint.item,
                binding_work_center_id=p.binding_constraint.work_center,
                binding_date=p.binding_constraint.date,
                binding_reference=(p.binding_constraint.reference or "")[:60],
            )
            for p in result.projections
        ],
        batch_size=BATCH,
    )
    PlannedReceipt.objects.bulk_create(
        [
            PlannedReceipt(
                plan_run=run, reference=r.reference, item_id=r.item, demand_refs=list(r.demand_refs)
            )
            for r in result.receipt_uses
        ],
        batch_size=BATCH,
    )
