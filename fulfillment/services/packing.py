"""Packing: start a shipment, build its packages, pack it (exact quantities), re-open it.

Packing the order's first shipment fires the order's ``pack`` transition; later shipments
carry released backorders and leave the order's status alone. Every pack renders a new
revision of the packing list after commit.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string

from core import clock
from fulfillment.models import Backorder, Package, PackageContent, Shipment, ShipmentStatus
from fulfillment.selectors import (
    UNSHIPPED,
    backorder_ready_to_ship,
    pack_lines,
    shipment_get,
)
from orders.errors import OrderError
from orders.models import Document, DocumentKind, OrderEventKind, SalesOrder
from orders.services.documents import document_store
from orders.services.lifecycle import order_event_record, order_transition
from orders.states import OrderStatus
from scheduling.numbering import number_next

# The order statuses from which a first shipment's packages may be built or changed.
FIRST_PACKABLE = (OrderStatus.QUALITY_RELEASED, OrderStatus.PACKED)
SHIPPED_ORDER = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CLOSED)


class PackingError(OrderError):
    """A packing rule was broken; ``field`` names the form field it belongs next to."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _quantity(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


@dataclass(frozen=True)
class PackageInput:
    packaging: str
    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    weight_kg: Decimal
    marks: str = ""
    contents: tuple[tuple[int, Decimal], ...] = ()  # (order line id, quantity)


@transaction.atomic
def shipment_start(*, order_id: int, actor: AbstractBaseUser) -> Shipment:
    """Open the order's next shipment: its first, or one carrying released backorders.

    An order has one shipment open at a time; starting again returns that one.
    """
    if not actor.has_perm("fulfillment.add_shipment"):
        raise PermissionDenied
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    current = order.shipments.filter(status__in=UNSHIPPED).first()
    if current is not None:
        return current
    last = order.shipments.aggregate(last=Max("sequence"))["last"] or 0
    ready = []
    if last == 0:
        if order.status != OrderStatus.QUALITY_RELEASED:
            raise OrderError(
                f"{order.number} is {order.get_status_display().lower()}: only a quality "
                "released order is packed."
            )
    else:
        ready = [
            backorder
            for backorder in order.backorders.select_for_update().all()
            if backorder_ready_to_ship(backorder)
        ]
        if not ready:
            raise OrderError(
                f"{order.number} has no backorder released by quality waiting to be packed."
            )
    shipment = Shipment.objects.create(
        number=number_next(prefix="SH"),
        order=order,
        sequence=last + 1,
        created_by=actor,
    )
    if ready:
        Backorder.objects.filter(pk__in=[b.pk for b in ready]).update(shipment=shipment)
    what = "backorder shipment" if shipment.is_backorder else "shipment"
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Packing started: {what} {shipment.number}.",
        data={"shipment": shipment.pk},
    )
    return shipment


def _packing_shipment(shipment_id: int) -> Shipment:
    shipment = Shipment.objects.select_for_update().select_related("order").get(pk=shipment_id)
    if shipment.status != ShipmentStatus.PACKING:
        raise PackingError(
            f"{shipment.number} is {shipment.get_status_display().lower()}; re-open it to "
            "change its packages."
        )
    if shipment.sequence == 1 and shipment.order.status not in FIRST_PACKABLE:
        raise PackingError(
            f"{shipment.order.number} is {shipment.order.get_status_display().lower()} and "
            "cannot be packed."
        )
    return shipment


def _positive(value, label: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        raise PackingError(f"{label} must be more than zero.", field=field)
    return number


@transaction.atomic
def package_add(*, shipment_id: int, actor: AbstractBaseUser, package: PackageInput) -> Package:
    """Add a package with its contents; no line may be packed beyond what the shipment carries."""
    if not actor.has_perm("fulfillment.add_package"):
        raise PermissionDenied
    shipment = _packing_shipment(shipment_id)
    packaging = package.packaging.strip()[:40]
    if not packaging:
        raise PackingError(
            "Say what the packaging is (carton, pallet, crate ...).", field="packaging"
        )
    sizes = {
        name: _positive(getattr(package, name), label, name)
        for name, label in [
            ("length_cm", "Length"),
            ("width_cm", "Width"),
            ("height_cm", "Height"),
            ("weight_kg", "Weight"),
        ]
    }
    rows = {row.line.pk: row for row in pack_lines(order=shipment.order, shipment=shipment)}
    contents: dict[int, Decimal] = {}
    for line_id, quantity in package.contents:
        field = f"line_{line_id}"
        row = rows.get(line_id)
        if row is None:
            raise PackingError("That line is not on this order.", field=field)
        if quantity is None or quantity == 0:
            continue
        if quantity < 0:
            raise PackingError("A quantity cannot be negative.", field=field)
        contents[line_id] = contents.get(line_id, Decimal(0)) + quantity
        if contents[line_id] > row.left:
            raise PackingError(
                f"Line {row.line.line_no}: only {_quantity(row.left)} {row.line.unit} left to "
                f"pack in this shipment.",
                field=field,
            )
    if not contents:
        raise PackingError("Put at least one line's quantity in the package.", field="contents")
    number = (shipment.packages.aggregate(last=Max("number"))["last"] or 0) + 1
    created = Package.objects.create(
        shipment=shipment,
        number=number,
        packaging=packaging,
        marks=package.marks.strip()[:200],
        **sizes,
    )
    PackageContent.objects.bulk_create(
        PackageContent(package=created, line_id=line_id, quantity=quantity)
        for line_id, quantity in contents.items()
    )
    return created


@transaction.atomic
def package_remove(*, package_id: int, actor: AbstractBaseUser) -> Shipment:
    """Take a package (and its contents) out of a shipment being packed."""
    if not actor.has_perm("fulfillment.delete_package"):
        raise PermissionDenied
    package = Package.objects.select_related("shipment").get(pk=package_id)
    shipment = _packing_shipment(package.shipment_id)
    package.delete()
    return shipment


def pack_problems(*, shipment: Shipment) -> list[str]:
    """What keeps the shipment from being packed, in plain words (empty: ready)."""
    if not shipment.packages.exists():
        return ["Add at least one package."]
    problems = []
    for row in pack_lines(order=shipment.order, shipment=shipment):
        unit = row.line.unit
        if row.packed > row.to_ship:
            problems.append(
                f"Line {row.line.line_no}: {_quantity(row.packed)} {unit} packed, only "
                f"{_quantity(row.to_ship)} to ship"
            )
        elif row.packed < row.to_ship:
            problems.append(
                f"Line {row.line.line_no}: {_quantity(row.packed)} of {_quantity(row.to_ship)} "
                f"{unit} packed"
            )
    return problems


@transaction.atomic
def shipment_pack(*, shipment_id: int, actor: AbstractBaseUser, note: str = "") -> Shipment:
    """Close the shipment's packages once every quantity to ship is packed exactly.

    The first shipment fires the order's ``pack`` transition (unless it was packed before
    and re-opened); the packing list is rendered after commit.
    """
    if not actor.has_perm("fulfillment.change_shipment"):
        raise PermissionDenied
    shipment = _packing_shipment(shipment_id)
    order = shipment.order
    if problems := pack_problems(shipment=shipment):
        raise PackingError(f"{shipment.number} cannot be packed yet: " + "; ".join(problems) + ".")
    shipment.status = ShipmentStatus.PACKED
    shipment.packed_at = clock.now()
    shipment.save(update_fields=["status", "packed_at"])
    count = shipment.packages.count()
    text = f"{shipment.number} packed in {count} package{'s' if count != 1 else ''}."
    if note.strip():
        text += f" {note.strip()}"
    if shipment.sequence == 1 and order.status == OrderStatus.QUALITY_RELEASED:
        order_transition(order_id=order.pk, transition="pack", actor=actor, note=text)
    else:
        order_event_record(
            order=order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note=text,
            data={"shipment": shipment.pk},
        )
    from config.celery import enqueue_or_leave
    from fulfillment import tasks

    transaction.on_commit(
        lambda: enqueue_or_leave(
            tasks.packing_list_render_task,
            when_down=f"Broker down: packing list of {shipment.number} waits for a retry.",
            shipment_id=shipment.pk,
        )
    )
    return shipment


@transaction.atomic
def shipment_reopen(*, shipment_id: int, actor: AbstractBaseUser, reason: str = "") -> Shipment:
    """Take a packed (not shipped) shipment back to packing to change its packages."""
    if not actor.has_perm("fulfillment.change_shipment"):
        raise PermissionDenied
    shipment = Shipment.objects.select_for_update().select_related("order").get(pk=shipment_id)
    if shipment.status != ShipmentStatus.PACKED:
        raise PackingError(
            f"{shipment.number} is {shipment.get_status_display().lower()}: only a packed "
            "shipment that has not left is re-opened."
        )
    shipment.status = ShipmentStatus.PACKING
    shipment.packed_at = None
    shipment.save(update_fields=["status", "packed_at"])
    why = f": {reason.strip()}" if reason.strip() else "."
    order_event_record(
        order=shipment.order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"{shipment.number} re-opened for packing{why}"[:1000],
        data={"shipment": shipment.pk},
    )
    return shipment


def packing_list_context(*, shipment: Shipment) -> dict:
    """Everything the packing list shows: packages with contents by line, and totals."""
    order = shipment.order
    rows = pack_lines(order=order, shipment=shipment)
    packages = list(shipment.packages.all())
    return {
        "company": settings.ORDERCRAFT_COMPANY,
        "shipment": shipment,
        "order": order,
        "rows": [row for row in rows if row.to_ship > 0],
        "backordered": [row for row in rows if row.backordered > 0],
        "packages": packages,
        "total_weight": sum((p.weight_kg for p in packages), Decimal(0)),
        "total_packages": len(packages),
    }


def packing_list_render(*, shipment_id: int) -> Document | None:
    """Render the packing list of a packed shipment as the order's next revision (once).

    A shipment re-opened since it was packed renders nothing; it renders at its next pack.
    """
    shipment = shipment_get(pk=shipment_id)
    if shipment.status == ShipmentStatus.PACKING or shipment.packed_at is None:
        return None
    order = shipment.order
    done = Document.objects.filter(
        order=order,
        kind=DocumentKind.PACKING_LIST,
        reference=shipment.number,
        created_at__gte=shipment.packed_at,
    ).first()
    if done is not None:
        return done
    last = Document.objects.filter(order=order, kind=DocumentKind.PACKING_LIST).aggregate(
        last=Max("revision")
    )["last"]
    context = packing_list_context(shipment=shipment)
    context["revision"] = (last or 0) + 1
    html = render_to_string("fulfillment/documents/packing_list.html", context)
    return document_store(
        order=order,
        kind=DocumentKind.PACKING_LIST,
        revision=context["revision"],
        html=html,
        reference=shipment.number,
    )
