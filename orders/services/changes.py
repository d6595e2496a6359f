"""Change requests: record what the customer asks to change, show its impact, then decide.

The impact (a what-if plan, the price difference, the work already done) is worked out by a
task after the request is saved; accepting applies the change as a new revision of the order,
re-plans it and sends the customer a revised acknowledgment through the outbox.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from config.celery import enqueue_or_leave
from config.dates import weekday_date
from core import clock
from orders import specs as order_specs
from orders.errors import OrderError
from orders.models import (
    Address,
    ChangeRequest,
    ChangeRequestSource,
    ChangeRequestStatus,
    Contact,
    MessageKind,
    OrderEventKind,
    OrderRevision,
    SalesOrder,
    SalesOrderLine,
)
from orders.models.changes import CHANGEABLE
from orders.services.demands import demand_reference, order_demands_plan, transit_days_to
from orders.services.lifecycle import order_event_record, order_repromise
from orders.services.outbox import outbox_enqueue
from scheduling import engine
from scheduling import services as scheduling_services
from scheduling.models import (
    BomLine,
    OperationStatus,
    WorkOrder,
    WorkOrderOperation,
    WorkOrderStatus,
)

logger = logging.getLogger(__name__)
S = ChangeRequestStatus
# An analysis that has not finished after this long died with its worker: it may be restarted.
ANALYSIS_STUCK_AFTER = timedelta(minutes=5)
# Work that has reached the floor: its material is issued and its hours are spent.
STARTED_WORK = (
    WorkOrderStatus.RELEASED,
    WorkOrderStatus.IN_PROGRESS,
    WorkOrderStatus.DONE,
    WorkOrderStatus.CLOSED,
)
CENT = Decimal("0.01")


class ChangeRequestError(OrderError):
    """A refused change request, each problem keyed by the field it is about."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def _day(value: date | None) -> str:
    return weekday_date(value, year=True) if value else "none"


def _qty(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _address(address: Address | None) -> str:
    return str(address) if address else ""


def _lines(order: SalesOrder) -> dict[int, SalesOrderLine]:
    return {line.line_no: line for line in order.lines.select_related("product")}


# --- recording a request ---------------------------------------------------------------------


def _check_requester(*, order: SalesOrder, actor: AbstractBaseUser, source: str) -> None:
    if source == ChangeRequestSource.PORTAL:
        # A customer contact asks for a change of one of their own company's orders.
        own = Contact.objects.filter(user_id=actor.pk, customer_id=order.customer_id).exists()
        if not (actor.has_perm("orders.access_portal") and own):
            raise PermissionDenied
    elif source == ChangeRequestSource.SALES:
        if not actor.has_perm("orders.add_changerequest"):
            raise PermissionDenied
    else:
        raise OrderError(f"Unknown source of a change request: '{source}'.")


def _clean_changes(
    *,
    order: SalesOrder,
    lines: dict[int, SalesOrderLine],
    quantities: dict | None,
    new_date: date | None,
    specs: dict | None,
    ship_to_id: int | None,
) -> tuple[dict[int, Decimal], date | None, dict[int, dict], Address | None, dict[str, str]]:
    """Only what really changes, checked; plus field -> message for what is wrong."""
    errors: dict[str, str] = {}
    new_quantities: dict[int, Decimal] = {}
    for key, raw in (quantities or {}).items():
        line = lines.get(int(key)) if str(key).isdigit() else None
        if line is None:
            errors[f"quantity_{key}"] = f"Line {key} is not on {order.number}."
            continue
        if raw in (None, ""):
            continue
        try:
            quantity = Decimal(str(raw).replace(",", "").strip())
        except InvalidOperation:
            errors[f"quantity_{key}"] = f"Line {key}: enter a number, e.g. 20."
            continue
        if not quantity.is_finite() or quantity <= 0:
            errors[f"quantity_{key}"] = f"Line {key}: the quantity must be more than zero."
        elif quantity.as_tuple().exponent < -3 or quantity >= Decimal("1e9"):
            errors[f"quantity_{key}"] = f"Line {key}: at most 3 decimals and below a billion."
        elif quantity != line.quantity:
            new_quantities[line.line_no] = quantity
    new_specs: dict[int, dict] = {}
    for key, values in (specs or {}).items():
        line = lines.get(int(key)) if str(key).isdigit() else None
        if line is None:
            errors[f"specs_{key}"] = f"Line {key} is not on {order.number}."
            continue
        if not isinstance(values, dict):
            errors[f"specs_{key}"] = f"Line {key}: the specifications must be field -> value."
            continue
        problems = order_specs.spec_errors(
            line.product.spec_template, values, require_all=line.product.is_configurable
        )
        if problems:
            errors[f"specs_{key}"] = f"Line {key}: " + " ".join(problems.values())
        elif values != line.specs:
            new_specs[line.line_no] = values
    if new_date is not None:
        if new_date < clock.today():
            errors["new_date"] = f"{_day(new_date)} is in the past."
        elif new_date == order.requested_date:
            new_date = None
    ship_to = None
    if ship_to_id:
        ship_to = Address.objects.filter(pk=ship_to_id, customer_id=order.customer_id).first()
        if ship_to is None:
            errors["ship_to"] = f"That address is not one of {order.customer.name}'s."
        elif not ship_to.is_complete:
            errors["ship_to"] = "That address is incomplete; complete it first."
        elif ship_to.pk == order.ship_to_id:
            ship_to = None
    return new_quantities, new_date, new_specs, ship_to, errors


def _describe(
    *,
    order: SalesOrder,
    lines: dict[int, SalesOrderLine],
    quantities: dict[int, Decimal],
    new_date: date | None,
    specs: dict[int, dict],
    ship_to: Address | None,
) -> list[str]:
    """The change in the words the customer used, one sentence per changed thing."""
    parts = []
    for line_no in sorted(quantities):
        line = lines[line_no]
        parts.append(
            f"Line {line_no} ({line.product.sku}): quantity {_qty(line.quantity)} → "
            f"{_qty(quantities[line_no])} {line.unit}"
        )
    for line_no in sorted(specs):
        line = lines[line_no]
        rows = order_specs.describe(line.product.spec_template, specs[line_no])
        text = ", ".join(f"{label} {value}" for label, value in rows) or "none"
        parts.append(f"Line {line_no} ({line.product.sku}): specifications → {text}")
    if new_date is not None:
        parts.append(f"Requested date {_day(order.requested_date)} → {_day(new_date)}")
    if ship_to is not None:
        parts.append(f"Ship-to → {ship_to.name}, {ship_to.city} ({ship_to.region})")
    return parts


def _enqueue_analysis(change_request_id: int) -> None:
    from orders.tasks import change_request_analyse_task

    enqueue_or_leave(
        change_request_analyse_task,
        change_request_id=change_request_id,
        when_down=f"Could not enqueue the analysis of change request {change_request_id}; "
        "the change-request sweep will start it.",
    )


@transaction.atomic
def change_request_create(
    *,
    order_id: int,
    actor: AbstractBaseUser,
    reason: str,
    quantities: dict | None = None,
    new_date: date | None = None,
    specs: dict | None = None,
    ship_to_id: int | None = None,
    source: str = ChangeRequestSource.SALES,
) -> ChangeRequest:
    """Record a change the customer asks for; its impact is analysed by a task after commit.

    ``quantities`` and ``specs`` are keyed by line number. Values equal to the order's are
    not changes; at least one real change and a reason are required.
    """
    order = SalesOrder.objects.select_for_update().select_related("customer").get(pk=order_id)
    _check_requester(order=order, actor=actor, source=source)
    if order.status not in CHANGEABLE:
        raise OrderError(
            f"{order.number} is {order.get_status_display().lower()}: "
            "changes are taken from acknowledgment until it ships."
        )
    open_request = order.change_requests.filter(status__in=[S.ANALYSING, S.READY, S.FAILED])
    if (pending := open_request.first()) is not None:
        raise OrderError(
            f"Change request #{pending.pk} on {order.number} is not decided yet; "
            "decide it first, or add this change to it."
        )
    lines = _lines(order)
    new_quantities, new_date, new_specs, ship_to, errors = _clean_changes(
        order=order,
        lines=lines,
        quantities=quantities,
        new_date=new_date,
        specs=specs,
        ship_to_id=ship_to_id,
    )
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Say why the customer asks for the change."
    if not errors and not (new_quantities or new_date or new_specs or ship_to):
        errors["__all__"] = (
            "Nothing would change: enter a new quantity, date, specification or ship-to."
        )
    if errors:
        raise ChangeRequestError(errors)
    summary = _describe(
        order=order,
        lines=lines,
        quantities=new_quantities,
        new_date=new_date,
        specs=new_specs,
        ship_to=ship_to,
    )
    change_request = ChangeRequest.objects.create(
        order=order,
        requested_by=actor if actor.is_authenticated else None,
        source=source,
        reason=reason,
        quantities={str(n): str(q) for n, q in sorted(new_quantities.items())},
        new_date=new_date,
        specs={str(n): v for n, v in sorted(new_specs.items())},
        ship_to=ship_to,
        summary="\n".join(summary),
    )
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Change request #{change_request.pk} ({change_request.get_source_display()}): "
        f"{'; '.join(summary)}. Reason: {reason}",
        data={"change_request": change_request.pk, "change": "requested"},
    )
    transaction.on_commit(lambda: _enqueue_analysis(change_request.pk))
    return change_request


@transaction.atomic
def change_request_reanalyse(*, change_request_id: int, actor: AbstractBaseUser) -> ChangeRequest:
    """Work the impact out again (the plan moved on, or the analysis failed or got stuck)."""
    change_request = (
        ChangeRequest.objects.select_for_update().select_related("order").get(pk=change_request_id)
    )
    if not (
        actor.has_perm("orders.add_changerequest") or actor.has_perm("orders.decide_changerequest")
    ):
        raise PermissionDenied
    if change_request.is_decided:
        raise _decided_error(change_request)
    stuck = change_request.analysis_started_at < clock.now() - ANALYSIS_STUCK_AFTER
    if change_request.status == S.ANALYSING and not stuck:
        raise OrderError("The impact is being analysed right now; the page shows it when done.")
    change_request.status = S.ANALYSING
    change_request.impact = {}
    change_request.error = ""
    change_request.analysis_started_at = clock.now()
    change_request.analysed_at = None
    change_request.save(
        update_fields=["status", "impact", "error", "analysis_started_at", "analysed_at"]
    )
    transaction.on_commit(lambda: _enqueue_analysis(change_request.pk))
    return change_request


# --- the impact ------------------------------------------------------------------------------


def _order_number(reference: str) -> str:
    return reference.rpartition("/")[0] or reference


def _changed_demands(
    change_request: ChangeRequest, order: SalesOrder, lines: dict[int, SalesOrderLine]
) -> dict[str, engine.Demand]:
    """This order's demands as they would be after the change (planned lines only)."""
    transit = transit_days_to(change_request.ship_to or order.ship_to)
    quantities = {int(n): Decimal(q) for n, q in change_request.quantities.items()}
    demands = {}
    for line in lines.values():
        if line.product.item_id is None:
            continue
        due = change_request.new_date or line.promised_date or order.promised_date
        ref = demand_reference(order, line)
        demands[ref] = engine.Demand(
            ref=ref,
            item=line.product.item_id,
            qty=float(quantities.get(line.line_no, line.quantity)),
            due=due or clock.today(),
            priority=order.priority,
            inspection_days=line.product.inspection_days,
            transit_days=transit,
        )
    return demands


def _plan_impact(
    change_request: ChangeRequest, order: SalesOrder, lines: dict[int, SalesOrderLine]
) -> tuple[dict, list[dict], dict[str, tuple]]:
    """This order's new quote, and the other orders whose delivery would move."""
    changed = _changed_demands(change_request, order, lines)
    # The baseline is the same snapshot without the change, so that drift the next plan run
    # would bring anyway is not blamed on this change.
    before = scheduling_services.what_if(replace={})
    after = scheduling_services.what_if(replace=changed)
    own = {ref: (before.get(ref), after.get(ref)) for ref in changed}
    old_delivery = max((b for b, _a in own.values() if b), default=None)
    new_delivery = max((a for _b, a in own.values() if a), default=None)
    promised = order.promised_date
    wanted = change_request.new_date
    if new_delivery is None:
        suggested = wanted or promised
    elif wanted is not None:
        suggested = max(wanted, new_delivery)
    elif promised is not None and new_delivery <= promised:
        suggested = promised
    else:
        suggested = new_delivery
    quote = {
        "old_delivery": _iso(old_delivery),
        "new_delivery": _iso(new_delivery),
        "promised": _iso(promised),
        "requested": _iso(wanted or order.requested_date),
        "holds": new_delivery is None or (promised is not None and new_delivery <= promised),
        "days_late": max(0, (new_delivery - promised).days) if new_delivery and promised else 0,
        "suggested_promise": _iso(suggested),
    }
    # Other orders: an order delivers when its last line does.
    per_order: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for ref, new in after.items():
        if ref in changed or _order_number(ref) == order.number:
            continue
        old = before.get(ref)
        if old is not None and new is not None:
            per_order[_order_number(ref)].append((old, new))
    moved = {}
    for number, pairs in per_order.items():
        old, new = max(p[0] for p in pairs), max(p[1] for p in pairs)
        if old != new:
            moved[number] = (old, new)
    others = {
        o.number: o
        for o in SalesOrder.objects.filter(number__in=list(moved)).select_related("customer")
    }
    moves = []
    for number, (old, new) in moved.items():
        other = others.get(number)
        other_promise = other.promised_date if other else None
        moves.append(
            {
                "number": number,
                "order_id": other.pk if other else None,
                "customer": other.customer.name if other else "",
                "from": old.isoformat(),
                "to": new.isoformat(),
                "days": (new - old).days,
                "promised": _iso(other_promise),
                "late": bool(other_promise and new > other_promise),
            }
        )
    moves.sort(key=lambda m: (-abs(m["days"]), m["number"]))
    return quote, moves, own


def _price_impact(change_request: ChangeRequest, lines: dict[int, SalesOrderLine]):
    quantities = {int(n): Decimal(q) for n, q in change_request.quantities.items()}
    rows, old_total, difference = [], Decimal(0), Decimal(0)
    for line in lines.values():
        new_quantity = quantities.get(line.line_no, line.quantity)
        line_difference = ((new_quantity - line.quantity) * line.unit_price).quantize(CENT)
        new_amount = (new_quantity * line.unit_price).quantize(CENT)
        old_total += line.amount
        difference += line_difference
        rows.append(
            {
                "line_no": line.line_no,
                "sku": line.product.sku,
                "name": line.product.name,
                "unit": line.unit,
                "old_quantity": _qty(line.quantity),
                "new_quantity": _qty(new_quantity),
                "unit_price": _money(line.unit_price),
                "old_amount": _money(line.amount),
                "new_amount": _money(new_amount),
                "difference": _money(line_difference),
                "specs_change": str(line.line_no) in change_request.specs,
            }
        )
    price = {
        "old_total": _money(old_total),
        "new_total": _money(old_total + difference),
        "difference": _money(difference),
    }
    return rows, price


def _consumed(
    change_request: ChangeRequest, order: SalesOrder, lines: dict[int, SalesOrderLine]
) -> dict:
    """Work orders on the floor for this order, their progress, and material issued to them."""
    refs = {demand_reference(order, line) for line in lines.values()}
    # A text match narrows the rows on any database; the exact pegging is checked below.
    candidates = (
        WorkOrder.objects.filter(status__in=STARTED_WORK)
        .filter(Q(demand_refs__icontains=f'"{order.number}/'))
        .select_related("item")
        .annotate(
            ops_total=Count("operations"),
            ops_done=Count("operations", filter=Q(operations__status=OperationStatus.DONE)),
        )
        .order_by("number")
    )
    work_orders = [wo for wo in candidates if refs.intersection(wo.demand_refs or [])]
    made_so_far = {}
    for op in (
        WorkOrderOperation.objects.filter(work_order__in=work_orders, status=OperationStatus.DONE)
        .order_by("work_order_id", "sequence")
        .values("work_order_id", "good_quantity")
    ):
        made_so_far[op["work_order_id"]] = op["good_quantity"]  # the last done step wins
    bom = defaultdict(list)
    for line in BomLine.objects.filter(
        parent_id__in={wo.item_id for wo in work_orders}
    ).select_related("component"):
        bom[line.parent_id].append(line)
    issued: dict[int, dict] = {}
    rows = []
    for wo in work_orders:
        made = made_so_far.get(wo.pk, Decimal(0))
        if wo.status in (WorkOrderStatus.DONE, WorkOrderStatus.CLOSED):
            made = wo.good_quantity
        rows.append(
            {
                "number": wo.number,
                "item": f"{wo.item.code} {wo.item.name}",
                "status": wo.get_status_display(),
                "quantity": _qty(wo.quantity),
                "unit": wo.item.unit,
                "ops_done": wo.ops_done,
                "ops_total": wo.ops_total,
                "made": _qty(made),
                "text": (
                    f"{wo.number} ({wo.get_status_display().lower()}): {_qty(wo.quantity)} "
                    f"{wo.item.unit} of {wo.item.name}, {wo.ops_done} of {wo.ops_total} "
                    f"operations done, {_qty(made)} good so far."
                ),
            }
        )
        for bom_line in bom[wo.item_id]:
            entry = issued.setdefault(
                bom_line.component_id,
                {
                    "item": f"{bom_line.component.code} {bom_line.component.name}",
                    "unit": bom_line.component.unit,
                    "quantity": Decimal(0),
                },
            )
            entry["quantity"] += bom_line.quantity_per * wo.quantity
    components = [
        {**entry, "quantity": _qty(entry["quantity"])}
        for entry in sorted(issued.values(), key=lambda e: e["item"])
    ]
    if not rows:
        summary = "Nothing has reached the shop floor yet: no material or work is spent."
    else:
        started = sum(1 for row in rows if row["ops_done"])
        material = ", ".join(f"{c['quantity']} {c['unit']} {c['item']}" for c in components)
        summary = (
            f"{len(rows)} work order{'s' if len(rows) != 1 else ''} released to the floor, "
            f"{started} with operations done; material issued: {material or 'none'}."
        )
    # A smaller quantity than the work already on the floor leaves surplus pieces.
    quantities = {int(n): Decimal(q) for n, q in change_request.quantities.items()}
    warnings = []
    for line_no, new_quantity in sorted(quantities.items()):
        line = lines[line_no]
        ref = demand_reference(order, line)
        on_floor = sum((wo.quantity for wo in work_orders if wo.demand_refs == [ref]), Decimal(0))
        if new_quantity < on_floor:
            warnings.append(
                f"Line {line_no}: {_qty(on_floor)} {line.unit} are already released to the "
                f"floor; {_qty(on_floor - new_quantity)} would be surplus."
            )
    return {"work_orders": rows, "components": components, "summary": summary, "warnings": warnings}


def _impact(change_request: ChangeRequest) -> dict:
    order = change_request.order
    lines = _lines(order)
    quote, moves, own = _plan_impact(change_request, order, lines)
    rows, price = _price_impact(change_request, lines)
    delivery_by_line = {int(ref.rpartition("/")[2]): pair for ref, pair in own.items()}
    for row in rows:
        old, new = delivery_by_line.get(row["line_no"], (None, None))
        row["old_delivery"], row["new_delivery"] = _iso(old), _iso(new)
    consumed = _consumed(change_request, order, lines)
    late = [m for m in moves if m["late"]]
    summary = []
    if quote["new_delivery"]:
        new_delivery = date.fromisoformat(quote["new_delivery"])
        summary.append(
            f"With the change, {order.number} can be delivered {_day(new_delivery)}"
            + (
                f" — {quote['days_late']} days after the promised {_day(order.promised_date)}."
                if quote["days_late"]
                else f", within the promised {_day(order.promised_date)}."
            )
        )
    if moves:
        summary.append(
            f"{len(moves)} other order{'s' if len(moves) != 1 else ''} would move"
            + (f", {len(late)} past their promise." if late else ", all within their promise.")
        )
    else:
        summary.append("No other order's delivery would move.")
    difference = Decimal(price["difference"])
    if difference:
        summary.append(
            f"The order value changes by {'+' if difference > 0 else '-'}"
            f"{abs(difference):,.2f} to {Decimal(price['new_total']):,.2f}."
        )
    summary.append(consumed["summary"])
    return {
        "quote": quote,
        "moves": moves,
        "lines": rows,
        "price": price,
        "consumed": consumed,
        "summary": summary,
    }


def change_request_analyse(*, change_request_id: int) -> ChangeRequest:
    """Work out a request's impact and make it ready to decide; a second call does nothing.

    Heavy (two full plans), so it runs in a task. The current plan is not changed.
    """
    change_request = ChangeRequest.objects.select_related(
        "order", "order__customer", "order__ship_to", "ship_to"
    ).get(pk=change_request_id)
    if change_request.status != S.ANALYSING:
        return change_request
    started = change_request.analysis_started_at
    try:
        impact = _impact(change_request)
    except Exception as error:
        logger.exception("Change request %s: the analysis failed", change_request_id)
        ChangeRequest.objects.filter(
            pk=change_request_id, status=S.ANALYSING, analysis_started_at=started
        ).update(status=S.FAILED, error=f"The what-if plan could not be made: {error}"[:2000])
    else:
        # Only the analysis that was asked for last may finish it (not a stale second task).
        ChangeRequest.objects.filter(
            pk=change_request_id, status=S.ANALYSING, analysis_started_at=started
        ).update(status=S.READY, impact=impact, analysed_at=clock.now(), error="")
    change_request.refresh_from_db()
    return change_request


# --- deciding --------------------------------------------------------------------------------


def _decided_error(change_request: ChangeRequest) -> OrderError:
    return OrderError(
        f"Change request #{change_request.pk} was already "
        f"{change_request.get_status_display().lower()} on "
        f"{_day(timezone.localdate(change_request.decided_at))}."
    )


def _lock(change_request_id: int, actor: AbstractBaseUser) -> tuple[ChangeRequest, SalesOrder]:
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request_id)
    if not actor.has_perm("orders.decide_changerequest"):
        raise PermissionDenied
    order = (
        SalesOrder.objects.select_for_update(of=("self",))
        .select_related("customer", "ship_to")
        .get(pk=change_request.order_id)
    )
    if change_request.is_decided:
        raise _decided_error(change_request)
    return change_request, order


def _apply(
    change_request: ChangeRequest, order: SalesOrder, lines: dict[int, SalesOrderLine]
) -> tuple[dict, list[str], dict[int, list[str]]]:
    """Set the requested values on the order and its lines (unsaved); return the diff."""
    diff: dict = {}
    order_fields: list[str] = []
    line_fields: dict[int, list[str]] = defaultdict(list)
    if change_request.new_date and change_request.new_date != order.requested_date:
        diff["requested_date"] = [_iso(order.requested_date), _iso(change_request.new_date)]
        order.requested_date = change_request.new_date
        order_fields.append("requested_date")
    if change_request.ship_to_id and change_request.ship_to_id != order.ship_to_id:
        if change_request.ship_to.customer_id != order.customer_id:
            raise OrderError("The new ship-to address belongs to another customer.")
        diff["ship_to"] = [_address(order.ship_to), _address(change_request.ship_to)]
        order.ship_to = change_request.ship_to
        order_fields.append("ship_to")
    line_diffs: dict[str, dict] = {}
    for key in sorted({*change_request.quantities, *change_request.specs}, key=int):
        line = lines.get(int(key))
        if line is None:
            raise OrderError(f"Line {key} is no longer on {order.number}; reject the request.")
        changes = {}
        if key in change_request.quantities:
            quantity = Decimal(change_request.quantities[key])
            if quantity != line.quantity:
                changes["quantity"] = [_qty(line.quantity), _qty(quantity)]
                line.quantity = quantity
                line_fields[line.line_no].append("quantity")
                if line.entered_unit:
                    # What the customer ordered in another unit no longer matches.
                    changes["entered"] = [line.ordered_as, f"{_qty(quantity)} {line.unit}"]
                    line.entered_quantity, line.entered_unit = None, ""
                    line_fields[line.line_no] += ["entered_quantity", "entered_unit"]
        if key in change_request.specs and change_request.specs[key] != line.specs:
            changes["specs"] = [line.specs, change_request.specs[key]]
            line.specs = change_request.specs[key]
            line_fields[line.line_no].append("specs")
        if changes:
            line_diffs[key] = changes
    if line_diffs:
        diff["lines"] = line_diffs
    return diff, order_fields, line_fields


@transaction.atomic
def change_request_accept(
    *,
    change_request_id: int,
    actor: AbstractBaseUser,
    promised_date: date | None = None,
    note: str = "",
) -> ChangeRequest:
    """Apply a ready request as the order's next revision, re-plan it and tell the customer.

    ``promised_date`` is the delivery date now promised (default: the current promise); a
    different one is recorded as a re-promise with the request's reason.
    """
    change_request, order = _lock(change_request_id, actor)
    if change_request.status == S.ANALYSING:
        raise OrderError("The impact is still being analysed; accept once you have seen it.")
    if change_request.status == S.FAILED:
        raise OrderError("The impact analysis failed; analyse again before accepting.")
    if order.status not in CHANGEABLE:
        raise OrderError(
            f"{order.number} is {order.get_status_display().lower()}: "
            "it can no longer be changed; reject the request."
        )
    new_promise = promised_date or order.promised_date
    if new_promise is None:
        raise OrderError("Enter the delivery date you promise with the change.")
    if new_promise != order.promised_date and new_promise < clock.today():
        raise OrderError(f"{_day(new_promise)} is in the past.")
    lines = _lines(order)
    diff, order_fields, line_fields = _apply(change_request, order, lines)
    repromise = new_promise != order.promised_date
    if repromise:
        diff["promised_date"] = [_iso(order.promised_date), _iso(new_promise)]
    if not diff:
        raise OrderError("The order already is as the request asks; reject it instead.")
    if repromise:
        # Saves the date itself, with its own timeline event; keep our locked copy in step.
        order_repromise(
            order_id=order.pk,
            actor=actor,
            new_date=new_promise,
            reason=f"Change request #{change_request.pk}: {change_request.reason}",
            customer_told=True,
        )
        order.promised_date = new_promise
    if order_fields:
        order.save(update_fields=[*order_fields, "updated_at"])
    for line_no, fields in line_fields.items():
        lines[line_no].save(update_fields=fields)
    number = (order.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    revision = OrderRevision.objects.create(
        order=order, number=number, change_request=change_request, actor=actor, diff=diff
    )
    # Planning takes the order as it now is: quantities, dates, transit to the new ship-to.
    order_demands_plan(order=order)
    note = (note or "").strip()
    change_request.status = S.ACCEPTED
    change_request.decided_by = actor
    change_request.decided_at = clock.now()
    change_request.decision_note = note
    change_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Change request #{change_request.pk} accepted as revision {number}: "
        f"{'; '.join(change_request.summary_parts)}." + (f" {note}" if note else ""),
        data={"change_request": change_request.pk, "change": "accepted", "revision": number},
    )
    # The original acknowledgment is document revision 1; revision n of the order is n + 1.
    outbox_enqueue(
        order=order,
        kind=MessageKind.REVISED_ACKNOWLEDGMENT,
        attachment_revision=revision.number + 1,
        context={
            "changes": change_request.summary_parts,
            "document_revision": revision.number + 1,
            "promise_moved": repromise,
        },
    )
    return change_request


@transaction.atomic
def change_request_reject(
    *, change_request_id: int, actor: AbstractBaseUser, note: str
) -> ChangeRequest:
    """Turn a request down, with the reason on record; the order stays as it is."""
    change_request, order = _lock(change_request_id, actor)
    note = (note or "").strip()
    if not note:
        raise ChangeRequestError({"note": "Say why the change is rejected; the customer will ask."})
    change_request.status = S.REJECTED
    change_request.decided_by = actor
    change_request.decided_at = clock.now()
    change_request.decision_note = note
    change_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Change request #{change_request.pk} rejected: {note}",
        data={"change_request": change_request.pk, "change": "rejected"},
    )
    return change_request


def change_request_counts(*, since: date | None = None) -> dict[str, int]:
    """How many change requests there were, by status (for the metrics)."""
    requests = ChangeRequest.objects.all()
    if since is not None:
        requests = requests.filter(requested_at__date__gte=since)
    counts = dict(requests.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in S.values} | {"total": sum(counts.values())}
