"""Work on the shop floor: firming and releasing work orders, planner moves, progress."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.dates import weekday_date
from core import clock
from scheduling.models import (
    Allocation,
    BomLine,
    Demand,
    DemandStatus,
    Downtime,
    Holiday,
    LoadBucket,
    OperationStatus,
    PlannedOperation,
    PlannedWorkOrder,
    PlanRun,
    PlanTrigger,
    RoutingOperation,
    WorkCenter,
    WorkOrder,
    WorkOrderOperation,
    WorkOrderStatus,
)
from scheduling.numbering import number_next
from scheduling.services.planning import request_replan


class SchedulingError(Exception):
    """A planner's or operator's request that cannot be done, in words they understand."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _current_run() -> PlanRun:
    run = PlanRun.objects.filter(is_current=True).first()
    if run is None:
        raise SchedulingError("There is no plan yet; run the plan first.")
    return run


def _work_order_from_plan(planned: PlannedWorkOrder, status: str) -> WorkOrder:
    work_order = WorkOrder.objects.create(
        number=number_next(prefix="WO"),
        item_id=planned.item_id,
        quantity=planned.quantity,
        due_date=planned.due,
        priority=planned.priority,
        status=status,
        demand_refs=planned.demand_refs,
    )
    WorkOrderOperation.objects.bulk_create(
        WorkOrderOperation(
            work_order=work_order,
            sequence=step.sequence,
            work_center_id=step.work_center_id,
            description=step.description,
            setup_minutes=step.setup_minutes,
            run_minutes_per_unit=step.run_minutes_per_unit,
            setup_family=step.setup_family,
        )
        for step in RoutingOperation.objects.filter(item_id=planned.item_id)
    )
    PlannedWorkOrder.objects.filter(pk=planned.pk).update(work_order=work_order)
    return work_order


def _planned(key: str) -> PlannedWorkOrder:
    planned = (
        PlannedWorkOrder.objects.select_for_update()
        .filter(plan_run=_current_run(), key=key)
        .first()
    )
    if planned is None:
        raise SchedulingError(f"{key} is no longer in the plan; reload the page.")
    if planned.work_order_id:
        raise SchedulingError(f"{key} is already work order {planned.work_order.number}.")
    return planned


def _issue_components(work_order: WorkOrder) -> None:
    """Take the components out of stock: they are at the work center from now on.

    Stock may go negative; MRP then buys or makes the difference.
    """
    from scheduling.models import Item

    for line in BomLine.objects.filter(parent_id=work_order.item_id):
        need = work_order.quantity * line.quantity_per * (1 + line.scrap_pct / Decimal(100))
        Item.objects.filter(pk=line.component_id).update(on_hand=F("on_hand") - need)


@transaction.atomic
def release_work_order(
    *, actor, planned_key: str | None = None, work_order_id: int | None = None
) -> WorkOrder:
    """Release planned (or firm) work to the shop floor and issue its components."""
    if planned_key:
        work_order = _work_order_from_plan(_planned(planned_key), WorkOrderStatus.RELEASED)
    else:
        work_order = WorkOrder.objects.select_for_update().get(pk=work_order_id)
        if work_order.status != WorkOrderStatus.FIRM:
            raise SchedulingError(
                f"{work_order.number} is {work_order.get_status_display().lower()}; "
                "only planned work can be released."
            )
        work_order.status = WorkOrderStatus.RELEASED
    work_order.released_at = clock.now()
    work_order.save(update_fields=["status", "released_at"])
    _issue_components(work_order)
    request_replan(actor=actor)
    return work_order


MOVED_MEANWHILE = "{job} was moved by someone else since your board was drawn; reload the board."


def _operation(key: str, expected_version: int | None) -> WorkOrderOperation:
    """The operation behind a board card, locked; planned work is firmed so the pin can stick.

    ``expected_version`` is the version the planner's board showed (0 for planned work not
    yet firmed): if someone changed the job since, the move is refused rather than undoing
    theirs. Locks are taken in one order, the planned work order first, then the operation.
    """
    number, _slash, sequence = key.rpartition("/")
    if not sequence.isdigit():
        raise SchedulingError("That job is not on the board any more; reload the page.")
    if number.startswith("PWO-"):
        # No join here: under the lock PostgreSQL re-reads this row, not a joined one.
        planned = (
            PlannedWorkOrder.objects.select_for_update()
            .filter(plan_run=_current_run(), key=number)
            .first()
        )
        if planned is None:
            raise SchedulingError(f"{number} is no longer in the plan; reload the page.")
        if planned.work_order_id:
            work_order = WorkOrder.objects.get(pk=planned.work_order_id)
        else:
            work_order = _work_order_from_plan(planned, WorkOrderStatus.FIRM)
    else:
        work_order = WorkOrder.objects.filter(number=number).first()
        if work_order is None:
            raise SchedulingError("That job is not on the board any more; reload the page.")
    operation = (
        WorkOrderOperation.objects.select_for_update(of=("self",))
        .select_related("work_order", "work_center")
        .filter(work_order=work_order, sequence=int(sequence))
        .first()
    )
    if operation is None:
        raise SchedulingError("That job is not on the board any more; reload the page.")
    if expected_version is not None and operation.version != expected_version:
        raise SchedulingError(MOVED_MEANWHILE.format(job=key))
    return operation


def _day_capacity(work_center: WorkCenter, day: date) -> int:
    if Holiday.objects.filter(date=day).exists():
        return 0
    minutes = int(work_center.minutes_per_weekday[day.weekday()])
    down = Downtime.objects.filter(work_center=work_center, date=day).first()
    if down is not None:
        minutes = 0 if down.minutes_lost is None else max(0, minutes - down.minutes_lost)
    return int(minutes * float(work_center.efficiency))


@transaction.atomic
def move_operation(
    *,
    operation_key: str,
    work_center_id: int,
    day: date,
    actor,
    expected_version: int | None = None,
) -> WorkOrderOperation:
    """A planner drags a job: check order, calendar and capacity; pin it; re-plan what follows.

    ``expected_version`` is the job's version on the planner's board; a move made by someone
    else since refuses this one (the board passes it; a caller acting on the latest state may
    leave it out).
    """
    run = _current_run()
    target = WorkCenter.objects.get(pk=work_center_id)
    placed = PlannedOperation.objects.filter(plan_run=run, key=operation_key).first()
    if placed is None:
        raise SchedulingError("That job is not on the board any more; reload the page.")
    source = placed.work_center
    if target.pk != source.pk and (not source.capability or source.capability != target.capability):
        raise SchedulingError(
            f"{target.name} cannot do this job: it needs a {source.name} "
            f"({source.capability or 'no alternative work center'})."
        )
    if day < clock.today():
        raise SchedulingError(f"{weekday_date(day)} is in the past.")
    capacity = _day_capacity(target, day)
    if capacity == 0:
        raise SchedulingError(f"{target.name} does not work on {weekday_date(day)}.")
    predecessor = (
        PlannedOperation.objects.filter(
            plan_run=run, work_order_key=placed.work_order_key, sequence__lt=placed.sequence
        )
        .order_by("-sequence")
        .select_related("work_center")
        .first()
    )
    if predecessor is not None and timezone.localdate(predecessor.end) > day:
        raise SchedulingError(
            f"Operation {placed.sequence} cannot start before operation {predecessor.sequence} "
            f"({predecessor.work_center.name}) ends on "
            f"{weekday_date(timezone.localdate(predecessor.end))}."
        )
    needed = placed.setup_minutes + placed.run_minutes
    bucket = LoadBucket.objects.filter(plan_run=run, work_center=target, day=day).first()
    load = bucket.load_minutes if bucket else 0
    if target.pk == source.pk and timezone.localdate(placed.start) == day:
        load -= needed
    if load + needed > capacity:
        raise SchedulingError(
            f"{target.name} has {max(capacity - load, 0)} of {capacity} minutes free on "
            f"{weekday_date(day)}; this job needs {needed}."
        )
    operation = _operation(operation_key, expected_version)
    if operation.status != OperationStatus.PLANNED:
        raise SchedulingError(
            f"{operation.key} is {operation.get_status_display().lower()}; it cannot be moved."
        )
    operation.work_center = target
    operation.pinned = True
    operation.pin_day = day
    operation.version = F("version") + 1
    operation.save(update_fields=["work_center", "pinned", "pin_day", "version"])
    operation.refresh_from_db(fields=["version"])
    request_replan(trigger=PlanTrigger.MANUAL, actor=actor, delay=0)
    return operation


@transaction.atomic
def unpin_operation(
    *, operation_id: int, actor, expected_version: int | None = None
) -> WorkOrderOperation:
    """Let the plan place the operation again (refused if it was moved since the board)."""
    operation = (
        WorkOrderOperation.objects.select_for_update(of=("self",))
        .select_related("work_order")
        .get(pk=operation_id)
    )
    if expected_version is not None and operation.version != expected_version:
        raise SchedulingError(MOVED_MEANWHILE.format(job=operation.key))
    operation.pinned = False
    operation.pin_day = None
    operation.version = F("version") + 1
    operation.save(update_fields=["pinned", "pin_day", "version"])
    operation.refresh_from_db(fields=["version"])
    request_replan(trigger=PlanTrigger.MANUAL, actor=actor, delay=0)
    return operation


@transaction.atomic
def report_progress(
    *,
    operation_id: int,
    actor,
    action: str,
    good_quantity: Decimal | None = None,
    scrap_quantity: Decimal | None = None,
) -> WorkOrderOperation:
    """Production starts or finishes an operation, reporting good and scrapped quantities."""
    operation = (
        WorkOrderOperation.objects.select_for_update()
        .select_related("work_order")
        .get(pk=operation_id)
    )
    work_order = WorkOrder.objects.select_for_update().get(pk=operation.work_order_id)
    if work_order.status not in (WorkOrderStatus.RELEASED, WorkOrderStatus.IN_PROGRESS):
        raise SchedulingError(f"{work_order.number} is not released to the shop floor.")
    now = clock.now()
    if action == "start":
        if operation.status != OperationStatus.PLANNED:
            raise SchedulingError(f"{operation.key} has already started.")
        earlier = work_order.operations.filter(sequence__lt=operation.sequence).exclude(
            status=OperationStatus.DONE
        )
        if earlier.exists():
            raise SchedulingError(
                f"Finish operation {earlier.first().sequence} of {work_order.number} first."
            )
        operation.status = OperationStatus.IN_PROGRESS
        operation.actual_start = now
        operation.save(update_fields=["status", "actual_start"])
        if work_order.status == WorkOrderStatus.RELEASED:
            work_order.status = WorkOrderStatus.IN_PROGRESS
            work_order.save(update_fields=["status"])
    elif action == "finish":
        if operation.status != OperationStatus.IN_PROGRESS:
            raise SchedulingError(f"{operation.key} is not running.")
        good = good_quantity if good_quantity is not None else Decimal(0)
        scrap = scrap_quantity if scrap_quantity is not None else Decimal(0)
        if good < 0 or scrap < 0 or good + scrap == 0:
            raise SchedulingError("Report how many good and how many scrapped pieces.")
        previous = (
            work_order.operations.filter(sequence__lt=operation.sequence)
            .order_by("-sequence")
            .first()
        )
        arrived = previous.good_quantity if previous else work_order.quantity
        if good + scrap > arrived:
            raise SchedulingError(
                f"Only {arrived.normalize():f} pieces came to this operation; "
                f"{(good + scrap).normalize():f} were reported."
            )
        operation.good_quantity = good
        operation.scrap_quantity = scrap
        operation.status = OperationStatus.DONE
        operation.actual_end = now
        operation.save(update_fields=["good_quantity", "scrap_quantity", "status", "actual_end"])
        if not work_order.operations.exclude(status=OperationStatus.DONE).exists():
            _complete(work_order, good, now)
    else:
        raise SchedulingError(f"Unknown action '{action}'.")
    request_replan(actor=actor)
    return operation


def _complete(work_order: WorkOrder, good: Decimal, now) -> None:
    """Last operation done: the good pieces go to stock, reserved for the demands served."""
    from scheduling.models import Item

    work_order.status = WorkOrderStatus.DONE
    work_order.good_quantity = good
    work_order.scrap_quantity = sum(
        (op.scrap_quantity for op in work_order.operations.all()), Decimal(0)
    )
    work_order.completed_at = now
    work_order.save(update_fields=["status", "good_quantity", "scrap_quantity", "completed_at"])
    Item.objects.filter(pk=work_order.item_id).update(on_hand=F("on_hand") + good)
    remaining = good
    for demand in Demand.objects.filter(
        reference__in=work_order.demand_refs, status=DemandStatus.OPEN
    ).order_by("due_date", "reference"):
        if remaining <= 0:
            break
        take = min(remaining, demand.open_quantity)
        allocation, created = Allocation.objects.get_or_create(
            item_id=work_order.item_id, demand=demand, defaults={"quantity": take}
        )
        if not created:
            allocation.quantity = F("quantity") + take
            allocation.save(update_fields=["quantity"])
        remaining -= take
