"""Shipping documents: which a shipment needs, and rendering them as PDFs on the order.

Every document of a shipment carries the shipment number as its ``reference``; its revision
is the next one of that kind on the order, so a second shipment's certificate is revision 2.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch
from django.template.loader import render_to_string

from core import clock
from fulfillment.models import (
    Backorder,
    Inspection,
    InspectionItem,
    PackageContent,
    Shipment,
    ShipmentStatus,
)
from orders.errors import OrderError
from orders.models import Document, DocumentKind, Invoice, SalesOrderLine
from orders.services.billing import invoice_create
from orders.services.documents import document_store
from orders.states import PaymentTerms

CENT = Decimal("0.01")
GRAM = Decimal("0.001")

# The documents rendered here; the packing list belongs to packing.
TEMPLATES = {
    DocumentKind.CERTIFICATE: "fulfillment/documents/certificate.html",
    DocumentKind.TEST_REPORT: "fulfillment/documents/test_report.html",
    DocumentKind.INVOICE: "fulfillment/documents/invoice.html",
    DocumentKind.COMMERCIAL_INVOICE: "fulfillment/documents/commercial_invoice.html",
}
# The order documents are listed in on the ship page.
DOCUMENT_ORDER = [
    DocumentKind.PACKING_LIST,
    DocumentKind.COMMERCIAL_INVOICE,
    DocumentKind.CERTIFICATE,
    DocumentKind.TEST_REPORT,
    DocumentKind.INVOICE,
]
# Incoterm printed on export documents: the buyer takes over at our dock.
INCOTERM = "FCA"


@dataclass(frozen=True)
class ShippedLine:
    """One order line as it leaves in a shipment: the quantity packed for it."""

    line: SalesOrderLine
    quantity: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.line.unit_price).quantize(CENT)

    @property
    def net_weight_kg(self) -> Decimal | None:
        unit_weight = self.line.product.unit_weight_kg
        return None if unit_weight is None else (self.quantity * unit_weight).quantize(GRAM)


@dataclass(frozen=True)
class MeasuredRow:
    """An inspection item as the test report prints it, with its limits and deviation."""

    item: InspectionItem

    def __getattr__(self, name: str):
        return getattr(self.item, name)

    @property
    def lower_limit(self) -> Decimal | None:
        if self.item.nominal is None:
            return None
        return self.item.nominal - (self.item.tol_minus or 0)

    @property
    def upper_limit(self) -> Decimal | None:
        if self.item.nominal is None:
            return None
        return self.item.nominal + (self.item.tol_plus or 0)

    @property
    def deviation(self) -> Decimal | None:
        if self.item.nominal is None or self.item.measured is None:
            return None
        return self.item.measured - self.item.nominal


def plant_country() -> str:
    return str(settings.ORDERCRAFT_COMPANY.get("country") or "US").upper()


def shipment_is_export(*, shipment: Shipment) -> bool:
    """The goods cross a border: the ship-to is in another country than the plant."""
    ship_to = shipment.order.ship_to
    return ship_to is not None and ship_to.country.upper() != plant_country()


def shipment_documents_required(*, shipment: Shipment) -> list[str]:
    """Document kinds this shipment must carry before it may ship, in display order.

    Always the packing list; a commercial invoice when it is exported; and what the
    customer requires with every shipment (certificate, test report, invoice).
    """
    required = {DocumentKind.PACKING_LIST}
    if shipment_is_export(shipment=shipment):
        required.add(DocumentKind.COMMERCIAL_INVOICE)
    required |= set(shipment.order.customer.document_requirements.values_list("kind", flat=True))
    return [kind for kind in DOCUMENT_ORDER if kind in required]


def shipment_documents(*, shipment: Shipment) -> dict[str, Document]:
    """The current documents of this shipment, by kind (the latest revision of each).

    A document rendered before the shipment was last packed describes packages that may
    have changed since (it was re-opened), so it no longer counts.
    """
    documents = Document.objects.filter(order_id=shipment.order_id, reference=shipment.number)
    if shipment.packed_at is not None:
        documents = documents.filter(created_at__gte=shipment.packed_at)
    found: dict[str, Document] = {}
    for document in documents.order_by("kind", "revision"):
        found[document.kind] = document
    return found


def shipment_documents_missing(*, shipment: Shipment) -> list[str]:
    present = shipment_documents(shipment=shipment)
    return [kind for kind in shipment_documents_required(shipment=shipment) if kind not in present]


def document_labels(kinds: list[str]) -> str:
    """``certificate, test_report`` -> ``Certificate of conformance and Inspection test report``."""
    labels = [DocumentKind(kind).label for kind in kinds]
    if len(labels) < 2:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


# --- what goes on the documents ------------------------------------------------------------


def shipment_lines(*, shipment: Shipment) -> list[ShippedLine]:
    """What the packages of the shipment hold, one row per order line, by line number."""
    quantities: dict[int, Decimal] = {}
    lines: dict[int, SalesOrderLine] = {}
    for content in PackageContent.objects.filter(package__shipment=shipment).select_related(
        "line__product"
    ):
        quantities[content.line_id] = quantities.get(content.line_id, Decimal(0)) + content.quantity
        lines[content.line_id] = content.line
    return [
        ShippedLine(line=lines[line_id], quantity=quantities[line_id])
        for line_id in sorted(lines, key=lambda pk: lines[pk].line_no)
    ]


def shipment_value(*, shipment: Shipment) -> Decimal:
    """What the customer is invoiced for this shipment: shipped quantities x unit prices."""
    return sum((row.amount for row in shipment_lines(shipment=shipment)), Decimal("0.00"))


def release_inspection(*, order_id: int) -> Inspection | None:
    """The final inspection whose signature released the order (the latest signed one)."""
    return (
        Inspection.objects.filter(order_id=order_id, signed_by__isnull=False)
        .select_related("inspector", "signed_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=InspectionItem.objects.select_related("line").order_by("position"),
            )
        )
        .order_by("-signed_at", "-pk")
        .first()
    )


def shipment_backorders(*, shipment: Shipment) -> list[Backorder]:
    """The backorder quantities a later shipment carries (tied to it when packing starts)."""
    if not shipment.is_backorder:
        return []
    return list(
        Backorder.objects.filter(shipment=shipment)
        .select_related("line", "released_by")
        .order_by("line__line_no", "created_at")
    )


def _shipment(shipment_id: int) -> Shipment:
    return Shipment.objects.select_related(
        "order__customer", "order__ship_to", "order__owner", "carrier", "service", "invoice"
    ).get(pk=shipment_id)


def _context(shipment: Shipment, kind: str, revision: int) -> dict:
    order = shipment.order
    lines = shipment_lines(shipment=shipment)
    if not lines:
        raise OrderError(f"{shipment.number} has nothing packed yet.")
    packages = list(shipment.packages.order_by("number"))
    context = {
        "shipment": shipment,
        "order": order,
        "lines": lines,
        "packages": packages,
        "revision": revision,
        "company": settings.ORDERCRAFT_COMPANY,
        "plant_country": plant_country(),
        "bill_to": order.customer.addresses.filter(kind="bill_to").first() or order.ship_to,
        "total": sum((row.amount for row in lines), Decimal("0.00")),
        "today": clock.today(),
    }
    if kind in (DocumentKind.CERTIFICATE, DocumentKind.TEST_REPORT):
        inspection = release_inspection(order_id=order.pk)
        if inspection is None:
            raise OrderError(f"{order.number} has no signed final inspection to certify.")
        context["inspection"] = inspection
        context["items"] = list(inspection.items.all())
        context["measured_rows"] = [MeasuredRow(item=item) for item in context["items"]]
        context["backorders"] = shipment_backorders(shipment=shipment)
    if kind == DocumentKind.INVOICE:
        if shipment.invoice is None:
            raise OrderError(f"{shipment.number} has no invoice yet.")
        context["invoice"] = shipment.invoice
        context["terms_days"] = PaymentTerms.days(order.payment_terms)
    if kind == DocumentKind.COMMERCIAL_INVOICE:
        weights = [row.net_weight_kg for row in lines]
        context["net_weight_kg"] = (
            sum(weights, Decimal(0)) if all(w is not None for w in weights) else None
        )
        context["gross_weight_kg"] = sum((p.weight_kg for p in packages), Decimal(0))
        context["incoterm"] = INCOTERM
    return context


def shipment_document_render(*, shipment_id: int, kind: str) -> Document:
    """Render (once) the ``kind`` document of a shipment and attach it to the order.

    A second call returns the first document. The revision is the next of that kind on the
    order; if another shipment's document took it meanwhile, the next one is tried.
    """
    if kind not in TEMPLATES:
        raise OrderError(f"No template renders a {kind.replace('_', ' ')} here.")
    shipment = _shipment(shipment_id)
    for _attempt in range(3):
        existing = shipment_documents(shipment=shipment).get(kind)
        if existing is not None:
            return existing
        last = Document.objects.filter(order_id=shipment.order_id, kind=kind).aggregate(
            Max("revision")
        )["revision__max"]
        revision = (last or 0) + 1
        html = render_to_string(TEMPLATES[kind], _context(shipment, kind, revision))
        document = document_store(
            order=shipment.order,
            kind=kind,
            revision=revision,
            html=html,
            reference=shipment.number,
        )
        if document.reference == shipment.number:
            return document
    raise OrderError(f"Could not number the {DocumentKind(kind).label.lower()}; try again.")


@transaction.atomic
def shipment_invoice_issue(
    *,
    shipment_id: int,
    actor: AbstractBaseUser | None = None,
    issued_on: dt.date | None = None,
) -> Invoice:
    """Invoice the shipment (shipped quantities x unit prices) once; returns its invoice.

    The due date follows the order's payment terms from ``issued_on`` (today by default).
    """
    shipment = (
        Shipment.objects.select_for_update(of=("self",)).select_related("order").get(pk=shipment_id)
    )
    value = shipment_value(shipment=shipment)
    if shipment.invoice_id is not None:
        invoice = Invoice.objects.select_for_update().get(pk=shipment.invoice_id)
        if invoice.amount != value and shipment.status != ShipmentStatus.SHIPPED:
            # Issued with the goods, then the shipment was re-packed: bill what now leaves.
            invoice.amount = value
            invoice.save(update_fields=["amount"])
        return invoice
    invoice = invoice_create(
        order=shipment.order,
        amount=value,
        issued_on=issued_on or clock.today(),
        actor=actor,
        note=f"Shipment {shipment.number}.",
    )
    shipment.invoice = invoice
    shipment.save(update_fields=["invoice"])
    return invoice


@transaction.atomic
def shipment_documents_prepare(*, shipment_id: int, actor: AbstractBaseUser) -> list[str]:
    """Queue the rendering of every required document the shipment still lacks.

    An invoice the customer wants with the goods is issued now, so that it can be printed.
    Returns the kinds queued (empty when nothing was missing).
    """
    if not actor.has_perm("fulfillment.change_shipment"):
        raise PermissionDenied
    shipment = (
        Shipment.objects.select_for_update(of=("self",))
        .select_related("order__customer", "order__ship_to")
        .get(pk=shipment_id)
    )
    if shipment.status != ShipmentStatus.PACKED:
        raise OrderError(
            f"{shipment.number} is {shipment.get_status_display().lower()}: documents are "
            "prepared once it is packed."
        )
    missing = shipment_documents_missing(shipment=shipment)
    if DocumentKind.INVOICE in missing:
        shipment_invoice_issue(shipment_id=shipment.pk, actor=actor)
    queued = [kind for kind in missing if kind in TEMPLATES]
    if DocumentKind.PACKING_LIST in missing:
        queued.insert(0, DocumentKind.PACKING_LIST)
    if queued:
        from config.celery import enqueue_or_leave
        from fulfillment import tasks

        transaction.on_commit(
            lambda: enqueue_or_leave(
                tasks.shipment_documents_render_task,
                when_down=f"Broker down: documents of {shipment.number} wait; prepare again.",
                shipment_id=shipment.pk,
                kinds=queued,
            )
        )
    return queued


def shipment_invoice_documents_missing(*, days: int = 60) -> list[int]:
    """Shipments that left in the last ``days`` whose invoice PDF was never rendered.

    Rendering runs in a task after the ship; if the broker was down then, the sweep finds it.
    """
    since = clock.now() - dt.timedelta(days=days)
    rendered = Document.objects.filter(
        order_id=OuterRef("order_id"), kind=DocumentKind.INVOICE, reference=OuterRef("number")
    )
    return list(
        Shipment.objects.filter(
            status__in=(ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED),
            invoice__isnull=False,
            shipped_at__gte=since,
        )
        .exclude(Exists(rendered))
        .values_list("pk", flat=True)
    )
