"""Order entry: create and edit an order from the entry screen, one transaction each.

A draft may be incomplete but never malformed: quantities are positive, units are the
product's, spec values that were entered make sense. Completeness is checked when the order
is submitted (``order_transition(..., "submit")``).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q

from core import clock
from orders.errors import OrderChangedError, OrderError
from orders.models import (
    Address,
    AddressKind,
    BlanketAgreement,
    Customer,
    OrderEventKind,
    Product,
    SalesOrder,
    SalesOrderLine,
)
from orders.services.lifecycle import order_create, order_event_record, order_readiness_errors
from orders.specs import spec_errors
from orders.states import OrderStatus, OrderType, PaymentTerms, Priority

# Orders whose header and lines the entry screen may still change.
EDITABLE = (OrderStatus.DRAFT, OrderStatus.ENTERED)
SEARCH_LIMIT = 10
QUANTITY_STEP = Decimal("0.001")
MAX_QUANTITY = Decimal("1e9")


class EntryError(OrderError):
    """A refusal that belongs beside one field of the entry form (``line``: 0-based index)."""

    def __init__(self, message: str, *, field: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.line = line


@dataclass(frozen=True)
class NewShipTo:
    name: str
    line1: str
    city: str
    region: str
    country: str = "US"
    postal_code: str = ""


@dataclass(frozen=True)
class EntryLine:
    """One line as entered; ``quantity`` is in ``unit`` (the product's unit when empty)."""

    product: Product
    quantity: Decimal
    unit: str = ""
    unit_price: Decimal | None = None
    specs: dict = field(default_factory=dict)
    line_id: int | None = None  # an existing line being edited


@dataclass(frozen=True)
class OrderEntry:
    """The order header and lines as the entry screen sends them."""

    customer: Customer
    lines: tuple[EntryLine, ...] = ()
    order_type: str = OrderType.STANDARD
    ship_to: Address | None = None
    new_ship_to: NewShipTo | None = None
    customer_po: str = ""
    requested_date: date | None = None
    payment_terms: str = ""  # empty: the customer's terms
    blanket: BlanketAgreement | None = None  # for a blanket release


# Reads for the entry screen.
def customer_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[Customer]:
    """Customers whose code starts with, or whose name contains, ``query`` (2+ characters)."""
    query = query.strip()
    if len(query) < 2:
        return []
    matches = Customer.objects.filter(Q(code__istartswith=query) | Q(name__icontains=query))
    return list(matches.order_by("name", "code")[:limit])


def blanket_agreements_open(*, customer: Customer | None) -> list[BlanketAgreement]:
    """The customer's agreements still valid today or later, for a blanket release."""
    if customer is None:
        return []
    return list(
        customer.blankets.filter(valid_to__gte=clock.today())
        .select_related("product")
        .order_by("valid_to", "number")
    )


def _apply_blanket(order: SalesOrder, blanket: BlanketAgreement | None) -> None:
    """A release is priced as its agreement says."""
    order.blanket = blanket
    order.save(update_fields=["blanket", "updated_at"])
    if blanket is not None:
        order.lines.filter(product_id=blanket.product_id).update(unit_price=blanket.unit_price)


def ship_to_addresses(*, customer: Customer | None) -> list[Address]:
    if customer is None:
        return []
    return list(customer.addresses.filter(kind=AddressKind.SHIP_TO).order_by("name", "pk"))


def entry_products(*, include_ids=()) -> list[Product]:
    """Products a line may choose, by family: the active ones and any already on the order."""
    return list(
        Product.objects.filter(Q(active=True) | Q(pk__in=list(include_ids))).order_by(
            "family", "sku"
        )
    )


def allowed_payment_terms(*, customer: Customer, order: SalesOrder | None = None) -> set[str]:
    """Terms anyone entering the order may keep: the customer's, or the order's current."""
    allowed = {customer.payment_terms}
    if order is not None and order.customer_id == customer.pk:
        allowed.add(order.payment_terms)
    return allowed


# Checks shared by create and update.
def _check_terms(actor: AbstractBaseUser, entry: OrderEntry, order: SalesOrder | None) -> str:
    terms = entry.payment_terms or (
        order.payment_terms
        if order is not None and order.customer_id == entry.customer.pk
        else entry.customer.payment_terms
    )
    if terms not in PaymentTerms.values:
        raise EntryError("Choose payment terms from the list.", field="payment_terms")
    allowed = allowed_payment_terms(customer=entry.customer, order=order)
    if terms not in allowed and not actor.has_perm("orders.change_payment_terms"):
        default = PaymentTerms(entry.customer.payment_terms).label
        raise EntryError(
            f"Only credit or a manager may change the payment terms from the customer's {default}.",
            field="payment_terms",
        )
    return terms


def _base_quantity(line: EntryLine, index: int) -> tuple[Decimal, str, Decimal | None]:
    """(quantity in the base unit, entered unit or "", entered quantity or None)."""
    product, unit = line.product, line.unit or line.product.unit
    if line.quantity is None or line.quantity <= 0:
        raise EntryError("Enter a quantity above zero.", field="quantity", line=index)
    if unit not in product.units:
        raise EntryError(
            f"{product.sku} is sold in {', '.join(product.units)}.", field="unit", line=index
        )
    base = product.to_base_quantity(line.quantity, unit).quantize(QUANTITY_STEP, ROUND_HALF_UP)
    if base <= 0 or base >= MAX_QUANTITY:
        raise EntryError("That quantity cannot be stored.", field="quantity", line=index)
    if unit == product.unit:
        return base, "", None
    return base, unit, line.quantity


def _line_fields(line: EntryLine, index: int) -> dict:
    quantity, entered_unit, entered_quantity = _base_quantity(line, index)
    errors = spec_errors(
        line.product.spec_template,
        line.specs,
        require_all=line.product.is_configurable,
        enforce_required=False,
    )
    if errors:
        raise EntryError(" ".join(errors.values()), field="specs", line=index)
    price = line.product.price if line.unit_price is None else line.unit_price
    if price < 0:
        raise EntryError("A price cannot be negative.", field="unit_price", line=index)
    return {
        "product": line.product,
        "quantity": quantity,
        "unit": line.product.unit,
        "entered_quantity": entered_quantity,
        "entered_unit": entered_unit,
        "unit_price": price,
        "specs": line.specs or {},
    }


def _ship_to(entry: OrderEntry) -> Address | None:
    if entry.new_ship_to is not None:
        new = entry.new_ship_to
        address = Address(
            customer=entry.customer,
            kind=AddressKind.SHIP_TO,
            name=new.name.strip(),
            line1=new.line1.strip(),
            city=new.city.strip(),
            postal_code=new.postal_code.strip(),
            region=new.region.strip(),
            country=new.country.strip().upper(),
        )
        if not address.is_complete:
            raise EntryError("Enter name, street, city, region and country.", field="ship_to")
        address.save()
        return address
    if entry.ship_to is not None and (
        entry.ship_to.customer_id != entry.customer.pk or entry.ship_to.kind != AddressKind.SHIP_TO
    ):
        raise EntryError("That ship-to address is not one of this customer's.", field="ship_to")
    return entry.ship_to


def _priority(order_type: str, current: int = Priority.NORMAL) -> int:
    if order_type == OrderType.RUSH:
        return Priority.RUSH
    return Priority.NORMAL if current == Priority.RUSH else current


@transaction.atomic
def _create(actor: AbstractBaseUser, entry: OrderEntry, token: uuid.UUID | None) -> SalesOrder:
    terms = _check_terms(actor, entry, None)
    lines = [_line_fields(line, index) for index, line in enumerate(entry.lines)]
    order = order_create(
        customer=entry.customer,
        actor=actor,
        order_type=entry.order_type,
        ship_to=_ship_to(entry),
        customer_po=entry.customer_po.strip(),
        requested_date=entry.requested_date,
        priority=_priority(entry.order_type),
    )
    order.payment_terms, order.entry_token = terms, token
    order.save(update_fields=["payment_terms", "entry_token", "updated_at"])
    SalesOrderLine.objects.bulk_create(
        SalesOrderLine(order=order, line_no=line_no, **fields)
        for line_no, fields in enumerate(lines, start=1)
    )
    _apply_blanket(order, entry.blanket)
    return order


def order_entry_create(
    *, actor: AbstractBaseUser, entry: OrderEntry, entry_token: uuid.UUID | None = None
) -> tuple[SalesOrder, bool]:
    """Save a new draft order with its lines; returns ``(order, created)``.

    ``entry_token`` is the entry form's one-time token: a second submit of the same form
    (a double click, a reload) returns the order the first one created.
    """
    if not actor.has_perm("orders.add_salesorder"):
        raise PermissionDenied
    if entry_token and (existing := SalesOrder.objects.filter(entry_token=entry_token).first()):
        return existing, False
    try:
        return _create(actor, entry, entry_token), True
    except IntegrityError:
        # The same form was submitted twice at once: the unique token let one through.
        existing = entry_token and SalesOrder.objects.filter(entry_token=entry_token).first()
        if not existing:
            raise
        return existing, False


@transaction.atomic
def order_entry_update(
    *,
    order_id: int,
    actor: AbstractBaseUser,
    entry: OrderEntry,
    loaded_at: datetime | None = None,
) -> SalesOrder:
    """Change a draft (or entered) order's header and lines as the entry screen sends them.

    Lines not sent are removed; kept lines keep their numbers, new ones are numbered after
    the last. ``loaded_at`` is the order's ``updated_at`` when the form was opened: if someone
    saved it since, the user is told to reload instead of overwriting their change. An
    entered order must stay complete, and the change is recorded on its timeline.
    """
    if not actor.has_perm("orders.change_salesorder"):
        raise PermissionDenied
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if order.status not in EDITABLE:
        raise OrderError(
            f"{order.number} can no longer be changed here: it is "
            f"{order.get_status_display().lower()}."
        )
    if loaded_at is not None and order.updated_at != loaded_at:
        raise OrderChangedError
    terms = _check_terms(actor, entry, order)
    lines = [_line_fields(line, index) for index, line in enumerate(entry.lines)]
    existing = {line.pk: line for line in order.lines.all()}
    for index, line in enumerate(entry.lines):
        if line.line_id is not None and line.line_id not in existing:
            raise EntryError("This line is no longer on the order; reload it.", line=index)
    order.customer = entry.customer
    order.ship_to = _ship_to(entry)
    order.order_type = entry.order_type
    order.priority = _priority(entry.order_type, order.priority)
    order.customer_po = entry.customer_po.strip()
    order.requested_date = entry.requested_date
    order.payment_terms = terms
    order.save()
    kept = {line.line_id for line in entry.lines if line.line_id is not None}
    order.lines.exclude(pk__in=kept).delete()
    next_no = max((line.line_no for line in existing.values()), default=0) + 1
    for line, fields in zip(entry.lines, lines, strict=True):
        if line.line_id is None:
            SalesOrderLine.objects.create(order=order, line_no=next_no, **fields)
            next_no += 1
        else:
            SalesOrderLine.objects.filter(pk=line.line_id).update(**fields)
    _apply_blanket(order, entry.blanket)
    if order.status == OrderStatus.ENTERED:
        if problems := order_readiness_errors(order=order):
            raise OrderError("An entered order must stay complete: " + " ".join(problems))
        order_event_record(
            order=order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note="Order details changed after it was entered.",
            data={"edited": True},
        )
    return order
