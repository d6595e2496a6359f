"""Fulfillment use cases: completion verification and final inspection with quality release.

The order's late transitions are fired through ``orders.services``; the cross-app checks
(work orders done, inspection passed, nonconformance dispositioned) live here.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import can_proceed, has_transition_perm

from core import clock
from fulfillment.models import (
    Disposition,
    Inspection,
    InspectionItem,
    InspectionResult,
    Nonconformance,
    NonconformanceStatus,
)
from fulfillment.selectors import ChecklistEntry, inspection_checklist, work_orders_for_order
from fulfillment.services.backorders import backorders_create
from orders.errors import OrderError, OrderTransitionError
from orders.models import OrderEventKind, SalesOrder
from orders.services.demands import demand_reference
from orders.services.lifecycle import order_event_record, order_transition
from scheduling.models import OperationStatus, WorkOrderStatus

FINISHED_WORK = (WorkOrderStatus.DONE, WorkOrderStatus.CLOSED)


class CompletionError(OrderError):
    """The order is not finished on the shop floor; ``problems`` says what is left."""

    def __init__(self, *, order: SalesOrder, problems: list[str]) -> None:
        super().__init__(f"{order.number} cannot be completed yet: " + "; ".join(problems) + ".")
        self.problems = problems


def _quantity(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _completion(order: SalesOrder) -> tuple[list[tuple], list[str]]:
    """``(shortages, work problems)``: lines made short as ``(line, made)``, and the
    unfinished work orders and operations, in plain words."""
    by_reference = work_orders_for_order(order=order)
    shortages = []
    work_orders = {}
    for line in order.lines.select_related("product").order_by("line_no"):
        if line.product.item_id is None:
            continue
        pegged = by_reference.get(demand_reference(order, line), [])
        made = sum((wo.good_quantity for wo in pegged if wo.status in FINISHED_WORK), Decimal(0))
        if made < line.quantity:
            shortages.append((line, made))
        work_orders.update((wo.pk, wo) for wo in pegged)
    problems = []
    for work_order in sorted(work_orders.values(), key=lambda wo: wo.number):
        if work_order.status not in FINISHED_WORK:
            status = work_order.get_status_display().lower()
            problems.append(f"{work_order.number} is still {status}")
        for operation in work_order.operations.all():
            if operation.status != OperationStatus.DONE:
                problems.append(
                    f"{work_order.number} still has operation {operation.sequence} "
                    f"({operation.work_center.name}) open"
                )
    return shortages, problems


def _shortage_text(line, made: Decimal) -> str:
    return f"Line {line.line_no}: {_quantity(made)} of {_quantity(line.quantity)} made"


def completion_check(*, order: SalesOrder) -> list[str]:
    """What still keeps the order from being produced, in plain words (empty: complete).

    Lines of bought-in products (no plant item) have nothing to make and count as complete.
    """
    shortages, problems = _completion(order)
    return [_shortage_text(line, made) for line, made in shortages] + problems


def partial_completion_possible(*, order: SalesOrder) -> bool:
    """The customer takes partial shipments, something is short and something is made."""
    if not order.partial_shipments_allowed:
        return False
    shortages, _problems = _completion(order)
    return bool(shortages) and _something_made(order, shortages)


def _something_made(order: SalesOrder, shortages: list[tuple]) -> bool:
    short_lines = {line.pk for line, _made in shortages}
    if any(made > 0 for _line, made in shortages):
        return True
    return order.lines.exclude(pk__in=short_lines).exists()


@transaction.atomic
def order_complete(
    *, order_id: int, actor: AbstractBaseUser, note: str = "", partial: bool = False
) -> SalesOrder:
    """Mark the order produced, only when every line is made and every work order done.

    ``partial``: for a customer who takes partial shipments, complete with what is made and
    keep each short line's remainder open as a backorder; the work still running makes it.
    """
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if not can_proceed(order.complete):
        raise OrderTransitionError(order=order, transition="complete")
    if not has_transition_perm(order.complete, actor):
        raise PermissionDenied
    shortages, problems = _completion(order)
    if not partial or not shortages:
        if shortages or problems:
            texts = [_shortage_text(line, made) for line, made in shortages] + problems
            raise CompletionError(order=order, problems=texts)
        return order_transition(order_id=order.pk, transition="complete", actor=actor, note=note)
    if not order.partial_shipments_allowed:
        raise OrderError(
            f"{order.customer.name} does not take partial shipments on {order.number}: "
            "complete it when every line is made."
        )
    if not _something_made(order, shortages):
        raise OrderError(f"Nothing of {order.number} is made yet: there is nothing to ship.")
    backorders_create(
        order=order,
        shortages=[(line, line.quantity - min(made, line.quantity)) for line, made in shortages],
        actor=actor,
    )
    return order_transition(
        order_id=order.pk,
        transition="complete",
        actor=actor,
        note=note.strip() or "Completed with what is made; the rest is backordered.",
    )


@dataclass(frozen=True)
class ItemResult:
    """What the inspector entered for one checklist entry."""

    measured: Decimal | None = None
    passed: bool | None = None  # for checks; dimensions are computed from ``measured``
    remark: str = ""


def inspection_evaluate(
    *, checklist: list[ChecklistEntry], results: dict[str, ItemResult]
) -> list[tuple[ChecklistEntry, ItemResult, bool]]:
    """Pass/fail per checklist entry; a missing or empty answer is an error, never a pass."""
    evaluated = []
    for entry in checklist:
        result = results.get(entry.key)
        if entry.kind == "dimension":
            if result is None or result.measured is None:
                raise OrderError(f"{entry.label}: enter the measured value.")
            passed = entry.accepts(result.measured)
        else:
            if result is None or result.passed is None:
                raise OrderError(f"{entry.label}: choose pass or fail.")
            passed = result.passed
        evaluated.append((entry, result, passed))
    return evaluated


def _failure_text(entry: ChecklistEntry, result: ItemResult) -> str:
    if entry.kind == "dimension":
        unit = f" {entry.unit}" if entry.unit else ""
        text = (
            f"{entry.label} measured {_quantity(result.measured)}{unit}, allowed "
            f"{_quantity(entry.lower)} to {_quantity(entry.upper)}{unit}"
        )
    else:
        text = f"{entry.label} failed"
    return f"{text} ({result.remark})" if result.remark else text


@transaction.atomic
def inspection_record(
    *,
    order_id: int,
    actor: AbstractBaseUser,
    results: dict[str, ItemResult],
    note: str = "",
    started_at: datetime | None = None,
) -> Inspection:
    """Record the final inspection of a produced order and act on its result.

    Pass: the order is quality released, signed by the inspector now. Fail: the order goes on
    quality hold with a nonconformance describing every failed item.
    """
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if not can_proceed(order.inspect_pass):
        raise OrderTransitionError(order=order, transition="inspect")
    if not (
        has_transition_perm(order.inspect_pass, actor)
        and has_transition_perm(order.inspect_fail, actor)
    ):
        raise PermissionDenied
    evaluated = inspection_evaluate(checklist=inspection_checklist(order=order), results=results)
    failures = [_failure_text(entry, result) for entry, result, passed in evaluated if not passed]
    now = clock.now()
    inspection = Inspection.objects.create(
        order=order,
        inspector=actor,
        started_at=min(started_at or now, now),
        finished_at=now,
        result=InspectionResult.FAIL if failures else InspectionResult.PASS,
        note=note.strip(),
        signed_by=None if failures else actor,
        signed_at=None if failures else now,
    )
    InspectionItem.objects.bulk_create(
        InspectionItem(
            inspection=inspection,
            line_id=entry.line_id,
            position=position,
            kind=entry.kind,
            key=entry.key,
            label=entry.label,
            unit=entry.unit,
            nominal=entry.nominal,
            tol_plus=entry.tol_plus,
            tol_minus=entry.tol_minus,
            measured=result.measured if entry.kind == "dimension" else None,
            passed=passed,
            remark=result.remark.strip()[:200],
        )
        for position, (entry, result, passed) in enumerate(evaluated, start=1)
    )
    if failures:
        description = "; ".join(failures) + "."
        if inspection.note:
            description += f" {inspection.note}"
        Nonconformance.objects.create(order=order, inspection=inspection, description=description)
        order_transition(
            order_id=order.pk, transition="inspect_fail", actor=actor, note=description[:1000]
        )
    else:
        order_transition(
            order_id=order.pk,
            transition="inspect_pass",
            actor=actor,
            note=inspection.note or "Final inspection passed.",
        )
    return inspection


@transaction.atomic
def nonconformance_disposition(
    *,
    nonconformance_id: int,
    actor: AbstractBaseUser,
    disposition: str,
    deviation_reference: str = "",
    note: str = "",
) -> Nonconformance:
    """Decide what happens to nonconforming goods; use-as-is needs the customer's deviation."""
    nonconformance = Nonconformance.objects.select_for_update().get(pk=nonconformance_id)
    if not actor.has_perm("fulfillment.change_nonconformance"):
        raise PermissionDenied
    if not nonconformance.is_open:
        raise OrderError(f"{nonconformance} is already dispositioned.")
    if disposition not in Disposition.values:
        raise OrderError("Choose a disposition: rework, scrap or use as is.")
    deviation_reference = deviation_reference.strip()
    if disposition == Disposition.USE_AS_IS and not deviation_reference:
        raise OrderError("Using it as is needs the customer's deviation approval reference.")
    nonconformance.disposition = disposition
    nonconformance.deviation_reference = deviation_reference[:60]
    nonconformance.decision_note = note.strip()
    nonconformance.status = NonconformanceStatus.CLOSED
    nonconformance.decided_by = actor
    nonconformance.decided_at = clock.now()
    nonconformance.save()
    text = f"{nonconformance}: {nonconformance.get_disposition_display().lower()}"
    if deviation_reference:
        text += f", customer deviation {deviation_reference}"
    order_event_record(
        order=nonconformance.order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"{text}. {nonconformance.decision_note}".strip(),
        data={"nonconformance": nonconformance.pk, "disposition": disposition},
    )
    return nonconformance


@transaction.atomic
def order_quality_release(*, order_id: int, actor: AbstractBaseUser, note: str = "") -> SalesOrder:
    """Release an order from quality hold once every nonconformance is dispositioned."""
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if not can_proceed(order.quality_release):
        raise OrderTransitionError(order=order, transition="quality_release")
    if not has_transition_perm(order.quality_release, actor):
        raise PermissionDenied
    if open_count := order.nonconformances.filter(status=NonconformanceStatus.OPEN).count():
        raise OrderError(
            f"{open_count} nonconformance{'s' if open_count > 1 else ''} still "
            "need a disposition before release."
        )
    order = order_transition(
        order_id=order.pk,
        transition="quality_release",
        actor=actor,
        note=note.strip() or "Released after disposition.",
    )
    # The release is signed on the inspection that put the order on hold.
    latest = order.inspections.order_by("-finished_at", "-pk").first()
    if latest is not None:
        latest.signed_by = actor
        latest.signed_at = clock.now()
        latest.save(update_fields=["signed_by", "signed_at"])
    return order


@transaction.atomic
def order_quality_hold(
    *, order_id: int, actor: AbstractBaseUser, description: str
) -> Nonconformance:
    """Stop a quality released order before packing, with a nonconformance saying why."""
    description = description.strip()
    if not description:
        raise OrderError("Describe the nonconformance that stops the order.")
    order = order_transition(
        order_id=order_id, transition="quality_hold", actor=actor, note=description[:1000]
    )
    return Nonconformance.objects.create(order=order, description=description)
