"""PDFs rendered by WeasyPrint from Django templates and attached to the order."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from orders import specs
from orders.models import Document, DocumentKind, OrderEventKind, SalesOrder

TEMPLATES = {DocumentKind.ACKNOWLEDGMENT: "orders/documents/acknowledgment.html"}


def _pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the worker needs.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def document_store(
    *, order: SalesOrder, kind: str, revision: int, html: str, reference: str = ""
) -> Document:
    """Render ``html`` to a PDF and attach it to the order as ``kind``/``revision`` (once).

    Safe to call twice or from two workers at once: the unique (order, kind, revision)
    constraint keeps the first document and the second call returns it.
    """
    existing = Document.objects.filter(order=order, kind=kind, revision=revision).first()
    if existing is not None:
        return existing
    document = Document(order=order, kind=kind, revision=revision, reference=reference)
    document.file.save(document.filename, ContentFile(_pdf(html)), save=False)
    try:
        with transaction.atomic():
            document.save()
            from orders.services.lifecycle import order_event_record

            about = f" for {reference}" if reference else ""
            order_event_record(
                order=order,
                kind=OrderEventKind.DOCUMENT,
                actor=None,
                note=f"{document.get_kind_display()}{about} (revision {revision}) created.",
                data={"document_id": document.pk, "kind": kind, "revision": revision},
            )
    except IntegrityError:
        # Rendered meanwhile by another worker: keep theirs.
        document.file.delete(save=False)
        return Document.objects.get(order=order, kind=kind, revision=revision)
    return document


def document_render(*, order_id: int, kind: str, revision: int = 1) -> Document:
    """Render (once) the ``kind`` document of an order; a second call returns the first."""
    existing = Document.objects.filter(order_id=order_id, kind=kind, revision=revision).first()
    if existing is not None:
        return existing
    order = SalesOrder.objects.select_related("customer", "ship_to", "owner").get(pk=order_id)
    lines = [
        {"line": line, "specs": specs.describe(line.product.spec_template, line.specs)}
        for line in order.lines.select_related("product")
    ]
    html = render_to_string(
        TEMPLATES[kind],
        {
            "order": order,
            "lines": lines,
            "total": sum((row["line"].amount for row in lines), 0),
            "revision": revision,
            "company": settings.ORDERCRAFT_COMPANY,
            "contact": order.customer.contacts.order_by("-is_primary", "name").first(),
        },
    )
    return document_store(order=order, kind=kind, revision=revision, html=html)
