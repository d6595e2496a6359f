"""In the browser: quality releases an order, shipping packs, documents and ships it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from fulfillment.models import Shipment, ShipmentStatus
from orders.models import DocumentKind, MessageKind, MessageStatus, OutboxMessage
from orders.states import OrderStatus
from tests.conftest import wait_for
from tests.factories.fulfillment import (
    CarrierServiceFactory,
    ServiceLaneFactory,
    ServiceRateFactory,
)
from tests.factories.orders import ContactFactory, DocumentRequirementFactory
from tests.fulfillment.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_quality_releases_and_shipping_ships_with_documents_and_tracking(
    page, live_server, users, make_order, celery_worker_process, settings, tmp_path
):
    # given: a produced order of a customer who wants a certificate with every shipment
    order = make_order(status=OrderStatus.PRODUCED)
    ContactFactory(customer=order.customer, email="dock@customer.example", is_primary=True)
    DocumentRequirementFactory(customer=order.customer, kind=DocumentKind.CERTIFICATE)
    ground = CarrierServiceFactory(carrier__name="Lakeside Freight", name="Ground")
    ServiceLaneFactory(service=ground, region=order.ship_to.region, transit_days=2)
    ServiceRateFactory(service=ground)
    lines = {line.line_no: line for line in order.lines.all()}

    # when: quality records a passing inspection
    log_in(page, live_server, "quality")
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.get_by_test_id("fulfillment-link").click()
    page.get_by_label("Line 1: Length", exact=True).fill("120.05")
    for key in ("material_certificate", "finish_cosmetics", "packaging_marking"):
        page.locator(f'tr[data-key="{key}"]').get_by_label("Pass").check()
    page.get_by_role("button", name="Record inspection").click()
    expect(page.get_by_text("passed final inspection and is released")).to_be_visible()

    # and shipping packs it in one carton
    page.context.clear_cookies()
    log_in(page, live_server, "shipping")
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.get_by_test_id("packing-link").click()
    page.get_by_role("button", name="Start packing").click()
    page.get_by_label("Length (cm)").fill("60")
    page.get_by_label("Width (cm)").fill("40")
    page.get_by_label("Height (cm)").fill("30")
    page.get_by_label("Weight (kg)").fill("14.5")
    page.get_by_label(f"Line 1 ({lines[1].quantity.normalize():f} pcs left)").fill("20")
    page.get_by_label(f"Line 2 ({lines[2].quantity.normalize():f} pcs left)").fill("10")
    page.get_by_role("button", name="Add package").click()
    expect(page.get_by_test_id("packages")).to_contain_text("Line 1: 20 pcs")
    page.get_by_role("button", name="Packing complete").click()
    expect(page.get_by_text("is packed; the packing list is being prepared")).to_be_visible()

    # and chooses the suggested carrier, then opens the ship page from the order
    page.get_by_role("button", name="Choose").first.click()
    expect(page.get_by_test_id("chosen-carrier")).to_contain_text("Lakeside Freight Ground")
    page.get_by_role("link", name="Back to the order").click()
    page.get_by_test_id("ship-link").click()

    # then: the certificate is missing and shipping is refused until it is there
    documents = page.get_by_test_id("ship-documents")
    expect(documents.locator('[data-kind="certificate"]')).to_contain_text("Missing")
    # (the packing list may still be on its way from the worker)
    expect(page.get_by_test_id("ship-problems")).to_contain_text("Certificate of conformance.")

    # when: documents are prepared (the worker renders them while the page polls)
    page.get_by_role("button", name="Prepare documents").click()
    expect(page.get_by_test_id("document-certificate")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("document-packing_list")).to_be_visible()

    # and the tracking number is entered, empty first
    page.reload()
    page.get_by_role("button", name="Ship", exact=True).click()
    expect(page.get_by_test_id("tracking-error")).to_have_text(
        "Enter the carrier's tracking number."
    )
    page.get_by_label("Tracking number").fill("LF-2026-0042")
    page.get_by_role("button", name="Ship", exact=True).click()

    # then: the order shows the shipment with its tracking number
    expect(page.get_by_text("shipped with tracking number LF-2026-0042")).to_be_visible()
    expect(page.get_by_test_id("tracking-link")).to_have_text("LF-2026-0042")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    shipment = Shipment.objects.get(order=order)
    assert (shipment.status, shipment.tracking_number) == (ShipmentStatus.SHIPPED, "LF-2026-0042")
    assert shipment.invoice.amount == sum(
        (line.quantity * line.unit_price for line in lines.values()), Decimal(0)
    )
    # and the customer's shipped email was sent by the worker
    message = wait_for(
        lambda: OutboxMessage.objects.filter(
            order=order, kind=MessageKind.SHIPPED, status=MessageStatus.SENT
        ).first()
    )
    assert message.recipients == ["dock@customer.example"]
    assert "Tracking number: LF-2026-0042" in message.body
    assert "Carrier: Lakeside Freight, Ground" in message.body
