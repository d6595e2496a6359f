"""Shipping documents as PDFs: what each one says, read back from the rendered file."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from fulfillment.models import Shipment, ShipmentStatus
from fulfillment.services import shipment_document_render, shipment_invoice_issue
from orders.errors import OrderError
from orders.models import Document, DocumentKind, OrderEventKind
from orders.states import OrderStatus, PaymentTerms
from tests.factories.fulfillment import PackageContentFactory, PackageFactory
from tests.fulfillment.shipping_setup import packed_shipment, pdf_text

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 15, 14, 30, tzinfo=dt.UTC)  # a Tuesday


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def quality(make_user):
    return make_user("quality", first_name="Quinn", last_name="Okafor")


def words(text: str) -> str:
    """The PDF's text with its layout spaces folded, to match phrases across columns."""
    return " ".join(text.split())


def test_the_certificate_shows_the_shipped_lines_and_every_measured_value(quality):
    # given
    shipment = packed_shipment(inspector=quality)
    # when
    document = shipment_document_render(shipment_id=shipment.pk, kind=DocumentKind.CERTIFICATE)
    # then
    assert (document.kind, document.revision, document.reference) == (
        DocumentKind.CERTIFICATE,
        1,
        shipment.number,
    )
    text = words(pdf_text(document))
    assert "Certificate of conformance" in text
    assert f"Shipment {shipment.number} of order {shipment.order.number}" in text
    assert "PO-7781" in text
    assert "BRK-120 Mounting bracket 20 pcs 20 pcs" in text
    assert "BLT-8 Hex bolt M8 10 pcs 10 pcs" in text
    assert "Line 1: Length 120 mm +0.1 / \u22120.1 120.05 mm Pass" in text
    assert "Finish and cosmetics — — checked Pass" in text
    assert "Inspected by Quinn Okafor on Tue 15 Dec 2026 11:30" in text
    assert "Quality release signed by Quinn Okafor on Tue 15 Dec 2026 11:30" in text
    assert "conform to them" in text
    # and the order's timeline says so
    event = shipment.order.events.get(kind=OrderEventKind.DOCUMENT)
    assert event.note == (f"Certificate of conformance for {shipment.number} (revision 1) created.")


def test_rendering_twice_keeps_the_first_document(quality):
    shipment = packed_shipment(inspector=quality)
    first = shipment_document_render(shipment_id=shipment.pk, kind=DocumentKind.CERTIFICATE)
    again = shipment_document_render(shipment_id=shipment.pk, kind=DocumentKind.CERTIFICATE)
    assert again == first
    assert Document.objects.filter(kind=DocumentKind.CERTIFICATE).count() == 1


def test_the_next_shipment_gets_the_next_revision(quality, make_user):
    # given: the first shipment's certificate exists; a backorder shipment follows
    first = packed_shipment(inspector=quality, order_status=OrderStatus.SHIPPED)
    shipment_document_render(shipment_id=first.pk, kind=DocumentKind.CERTIFICATE)
    later = Shipment.objects.create(
        number="SH-555002",
        order=first.order,
        sequence=2,
        status=ShipmentStatus.PACKED,
        packed_at=timezone.now(),
    )
    line = first.order.lines.get(line_no=1)
    from tests.factories.fulfillment import BackorderFactory

    BackorderFactory(
        order=first.order,
        line=line,
        quantity=Decimal("4"),
        shipment=later,
        released_by=make_user("quality", username="rita", first_name="Rita", last_name="Lang"),
        released_at=NOW - dt.timedelta(hours=2),
    )
    PackageContentFactory(
        package=PackageFactory(shipment=later, number=1), line=line, quantity=Decimal("4")
    )
    # when
    document = shipment_document_render(shipment_id=later.pk, kind=DocumentKind.CERTIFICATE)
    # then
    assert (document.revision, document.reference) == (2, "SH-555002")
    text = words(pdf_text(document))
    assert "revision 2" in text
    assert "BRK-120 Mounting bracket 4 pcs 20 pcs" in text
    assert "Backorder of line 1 (4 pcs) released by Rita Lang on Tue 15 Dec 2026 12:30" in text


def test_no_certificate_without_a_signed_inspection(make_user):
    shipment = packed_shipment(inspector=make_user("quality"))
    shipment.order.inspections.update(signed_by=None, signed_at=None)
    with pytest.raises(OrderError, match="has no signed final inspection"):
        shipment_document_render(shipment_id=shipment.pk, kind=DocumentKind.CERTIFICATE)
    assert not Document.objects.filter(kind=DocumentKind.CERTIFICATE).exists()


def test_the_test_report_lists_limits_and_deviation(quality):
    shipment = packed_shipment(inspector=quality)
    document = shipment_document_render(shipment_id=shipment.pk, kind=DocumentKind.TEST_REPORT)
    text = words(pdf_text(document))
    assert "Inspection test report" in text
    assert "1 Line 1: Length 120 mm 119.9 120.1 120.05 mm 0.05 Pass" in text
    assert "Inspector: Quinn Okafor · Result: Pass" in text


def test_the_commercial_invoice_carries_hs_codes_origin_weights_and_values(quality):
    # given: shipped to Canada
    shipment = packed_shipment(inspector=quality, country="CA")
    # when
    document = shipment_document_render(
        shipment_id=shipment.pk, kind=DocumentKind.COMMERCIAL_INVOICE
    )
    # then
    text = words(pdf_text(document))
    assert "Commercial invoice" in text
    assert "BRK-120 Mounting bracket 7326.90 DE 20 pcs 5 12.50 250.00" in text
    assert "BLT-8 Hex bolt M8 7318.15 US 10 pcs 0.2 4.00 40.00" in text
    assert "Total value 290.00" in text
    assert "PACKAGES GROSS WEIGHT NET WEIGHT" in text
    assert "FastFreight 2 7.7 kg 5.2 kg" in text
    assert "INCOTERM FCA (our dock)" in text
    assert "Toronto, CA" in text


def test_the_invoice_bills_the_shipped_quantities_with_terms_and_due_date(quality):
    # given
    shipment = packed_shipment(inspector=quality, terms=PaymentTerms.NET15)
    invoice = shipment_invoice_issue(shipment_id=shipment.pk)
    # when
    document = shipment_document_render(shipment_id=shipment.pk, kind=DocumentKind.INVOICE)
    # then
    text = words(pdf_text(document))
    assert f"Invoice {invoice.number}" in text
    assert "INVOICE DATE PAYMENT TERMS DUE DATE Tue 15 Dec 2026 Net 15 days Wed 30 Dec 2026" in text
    assert "BRK-120 Mounting bracket 20 pcs 12.50 250.00" in text
    assert "BLT-8 Hex bolt M8 10 pcs 4.00 40.00" in text
    assert "Total due 290.00" in text
    assert f"Please pay 290.00 by Wednesday 30 December 2026, quoting invoice {invoice.number}" in (
        text
    )
    assert (invoice.amount, invoice.due_on) == (Decimal("290.00"), dt.date(2026, 12, 30))


def test_no_invoice_pdf_before_the_invoice(quality):
    shipment = packed_shipment(inspector=quality)
    with pytest.raises(OrderError, match="has no invoice yet"):
        shipment_document_render(shipment_id=shipment.pk, kind=DocumentKind.INVOICE)


def test_a_repacked_shipment_is_invoiced_for_what_now_leaves(quality):
    # given: invoiced with the goods, then re-opened and one more bolt carton added
    shipment = packed_shipment(inspector=quality)
    invoice = shipment_invoice_issue(shipment_id=shipment.pk)
    PackageContentFactory(
        package=PackageFactory(shipment=shipment, number=3),
        line=shipment.order.lines.get(line_no=2),
        quantity=Decimal("5"),
    )
    # when
    again = shipment_invoice_issue(shipment_id=shipment.pk)
    # then
    assert again.pk == invoice.pk
    assert again.amount == Decimal("310.00")


def test_the_sweep_renders_invoice_pdfs_a_broker_outage_left_behind(quality):
    # given: a shipped shipment invoiced while no worker could render its PDF
    from fulfillment.tasks import shipment_invoices_sweep_task

    shipment = packed_shipment(inspector=quality)
    invoice = shipment_invoice_issue(shipment_id=shipment.pk)
    Shipment.objects.filter(pk=shipment.pk).update(
        status=ShipmentStatus.SHIPPED, tracking_number="1Z1", shipped_at=timezone.now()
    )
    # when
    swept = shipment_invoices_sweep_task()
    # then
    assert swept == 1
    document = Document.objects.get(kind=DocumentKind.INVOICE, reference=shipment.number)
    assert f"Invoice {invoice.number}" in words(pdf_text(document))
    # and a second sweep finds nothing left to do
    assert shipment_invoices_sweep_task() == 0
