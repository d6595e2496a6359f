"""Purchase orders, from MRP's suggestion to the goods on the shelf.

The buyer orders what MRP suggests, records the supplier's confirmation, moves a due date
the supplier slipped (with the reason), receives goods in part or in full, and cancels what
is no longer expected. Every change is kept as history and asks for a re-plan, so the orders
it helps or hurts are re-projected and the at-risk scan tells their customers.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import F

from config.dates import weekday_date
from core import clock
from scheduling.models import (
    Item,
    PurchaseEventKind,
    PurchaseOrder,
    PurchaseOrderEvent,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    PurchaseReceipt,
    PurchaseSuggestion,
)
from scheduling.numbering import number_next
from scheduling.services.floor import SchedulingError
from scheduling.services.planning import request_replan


class PurchasingError(SchedulingError):
    """A refused purchasing action; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def create_purchase_order_from_suggestion(*, suggestion_id: int, actor) -> PurchaseOrder:
    """Turn MRP's purchase suggestion into an open purchase order (one click; safe twice)."""
    suggestion = (
        PurchaseSuggestion.objects.select_for_update().select_related("item").get(pk=suggestion_id)
    )
    if suggestion.purchase_order_id:
        return suggestion.purchase_order
    item = suggestion.item
    order = PurchaseOrder.objects.create(
        number=number_next(prefix="PO"),
        supplier=item.preferred_supplier or "Supplier to be chosen",
        created_by=actor,
    )
    line = PurchaseOrderLine.objects.create(
        purchase_order=order, item=item, quantity=suggestion.quantity, due_date=suggestion.arrival
    )
    PurchaseOrderEvent.objects.create(
        purchase_order=order,
        line=line,
        kind=PurchaseEventKind.CREATED,
        actor=actor,
        to_date=line.due_date,
        quantity=line.quantity,
        note=f"Ordered {_qty(line.quantity)} {item.unit} {item.name} from MRP's suggestion.",
    )
    suggestion.purchase_order = order
    suggestion.save(update_fields=["purchase_order"])
    request_replan(actor=actor)
    return order


def _line(line_id: int, expected_version: int | None) -> PurchaseOrderLine:
    """The line, locked with its order (order first, then line, everywhere)."""
    order_id = PurchaseOrderLine.objects.filter(pk=line_id).values_list(
        "purchase_order_id", flat=True
    )
    order = PurchaseOrder.objects.select_for_update().filter(pk__in=order_id).first()
    if order is None:
        raise PurchaseOrderLine.DoesNotExist(f"No purchase order line {line_id}")
    line = PurchaseOrderLine.objects.select_for_update().select_related("item").get(pk=line_id)
    line.purchase_order = order
    if expected_version is not None and line.version != expected_version:
        raise PurchasingError(
            f"{order.number} was changed by someone else since you opened it; "
            "reload the page and try again."
        )
    return line


def _open_line(line_id: int, expected_version: int | None) -> PurchaseOrderLine:
    line = _line(line_id, expected_version)
    order = line.purchase_order
    if order.status != PurchaseOrderStatus.OPEN:
        raise PurchasingError(f"{order.number} is {order.get_status_display().lower()}.")
    if line.cancelled_quantity and line.open_quantity == 0:
        raise PurchasingError("This line is cancelled; nothing more is expected on it.")
    if line.open_quantity == 0:
        raise PurchasingError("Everything ordered on this line has been received.")
    return line


def _future(day: date | None, field: str) -> date:
    if day is None:
        raise PurchasingError("Enter a date.", field=field)
    if day < clock.today():
        raise PurchasingError(f"{weekday_date(day, year=True)} is in the past.", field=field)
    return day


def _changed(line: PurchaseOrderLine, actor, kind: str, **event) -> None:
    """Save the line's new state, keep the history row, settle the order, re-plan."""
    line.version = F("version") + 1
    line.save()
    line.refresh_from_db(fields=["version"])
    PurchaseOrderEvent.objects.create(
        purchase_order=line.purchase_order, line=line, kind=kind, actor=actor, **event
    )
    order = line.purchase_order
    lines = list(order.lines.all())
    if all(other.open_quantity == 0 for other in lines):
        received = any(other.received_quantity > 0 for other in lines)
        order.status = PurchaseOrderStatus.RECEIVED if received else PurchaseOrderStatus.CANCELLED
        order.save(update_fields=["status"])
    request_replan(actor=actor)


@transaction.atomic
def purchase_line_confirm(
    *,
    line_id: int,
    actor,
    confirmed_date: date | None,
    supplier_reference: str = "",
    expected_version: int | None = None,
) -> PurchaseOrderLine:
    """The supplier confirmed the line for ``confirmed_date``: the plan uses that date."""
    line = _open_line(line_id, expected_version)
    confirmed_date = _future(confirmed_date, "confirmed_date")
    supplier_reference = (supplier_reference or "").strip()
    if len(supplier_reference) > PurchaseOrder._meta.get_field("supplier_reference").max_length:
        raise PurchasingError("That confirmation number is too long.", field="supplier_reference")
    order = line.purchase_order
    previous = line.due_date
    line.confirmed_date = line.due_date = confirmed_date
    order.confirmed_at, order.confirmed_by = clock.now(), actor
    if supplier_reference:
        order.supplier_reference = supplier_reference
    order.save(update_fields=["confirmed_at", "confirmed_by", "supplier_reference"])
    note = f"Confirmed for {weekday_date(confirmed_date)}"
    note += f" (their reference {supplier_reference})." if supplier_reference else "."
    _changed(
        line,
        actor,
        PurchaseEventKind.CONFIRMED,
        from_date=previous,
        to_date=confirmed_date,
        note=note,
    )
    return line


@transaction.atomic
def purchase_line_reschedule(
    *,
    line_id: int,
    actor,
    due_date: date | None,
    reason: str,
    expected_version: int | None = None,
) -> PurchaseOrderLine:
    """The supplier moved the delivery (a slip, or sooner): the new date, with why."""
    line = _open_line(line_id, expected_version)
    due_date = _future(due_date, "due_date")
    reason = (reason or "").strip()
    if not reason:
        raise PurchasingError(
            "Say why the date moves; planning and sales will ask.", field="reason"
        )
    if due_date == line.due_date:
        raise PurchasingError("That is the due date already.", field="due_date")
    previous = line.due_date
    line.due_date = due_date
    if line.confirmed_date:
        line.confirmed_date = due_date
    _changed(
        line,
        actor,
        PurchaseEventKind.RESCHEDULED,
        from_date=previous,
        to_date=due_date,
        note=reason[:300],
    )
    return line


def parse_quantity(raw) -> Decimal:
    """A quantity as typed (``12``, ``1,200``, ``7.5``), or a refusal beside the field."""
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise PurchasingError("Enter a number, e.g. 120.", field="quantity") from None
    if not value.is_finite() or value <= 0:
        raise PurchasingError("Enter how many arrived: more than zero.", field="quantity")
    if value.as_tuple().exponent < -3 or value >= Decimal("1e9"):
        raise PurchasingError("At most 3 decimals and below a billion.", field="quantity")
    return value


@transaction.atomic
def purchase_line_receive(
    *,
    line_id: int,
    actor,
    quantity,
    delivery_note: str = "",
    received_at: datetime | None = None,
    expected_version: int | None = None,
) -> PurchaseReceipt:
    """Goods arrived: a receipt row (who, when, how much, the supplier's delivery note) and
    the stock on hand rises. A delivery may exceed what is open by the receiving tolerance."""
    line = _open_line(line_id, expected_version)
    quantity = parse_quantity(quantity)
    tolerance = Decimal(settings.ORDERCRAFT_RECEIPT_TOLERANCE_PERCENT) / 100
    limit = (line.open_quantity * (1 + tolerance)).quantize(Decimal("0.001"))
    unit = line.item.unit
    if quantity > limit:
        raise PurchasingError(
            f"Only {_qty(line.open_quantity)} {unit} are still due on this line; at most "
            f"{_qty(limit)} {unit} can be received "
            f"({settings.ORDERCRAFT_RECEIPT_TOLERANCE_PERCENT}% over-delivery allowed).",
            field="quantity",
        )
    delivery_note = (delivery_note or "").strip()
    if len(delivery_note) > PurchaseReceipt._meta.get_field("delivery_note").max_length:
        raise PurchasingError("That delivery note number is too long.", field="delivery_note")
    now = clock.now()
    received_at = received_at or now
    if received_at > now:
        raise PurchasingError("Goods cannot be received in the future.", field="received_at")
    receipt = PurchaseReceipt.objects.create(
        line=line,
        quantity=quantity,
        received_at=received_at,
        received_by=actor,
        delivery_note=delivery_note,
    )
    Item.objects.filter(pk=line.item_id).update(on_hand=F("on_hand") + quantity)
    line.received_quantity += quantity
    note = f"{_qty(quantity)} {unit} received"
    note += f", delivery note {delivery_note}." if delivery_note else "."
    _changed(line, actor, PurchaseEventKind.RECEIVED, quantity=quantity, note=note)
    return receipt


@transaction.atomic
def purchase_line_cancel(
    *, line_id: int, actor, reason: str, expected_version: int | None = None
) -> PurchaseOrderLine:
    """Nothing more is expected on the line: its open rest is cancelled, with why."""
    line = _open_line(line_id, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise PurchasingError("Say why the rest is cancelled.", field="reason")
    rest = line.open_quantity
    line.cancelled_quantity += rest
    _changed(
        line,
        actor,
        PurchaseEventKind.CANCELLED,
        quantity=rest,
        note=f"{_qty(rest)} {line.item.unit} cancelled: {reason}"[:300],
    )
    return line
