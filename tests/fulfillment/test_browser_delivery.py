"""In the browser: shipping confirms a delivery with proof, the customer accepts it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fulfillment.models import ShipmentStatus
from orders.models import MessageKind, OutboxMessage
from orders.states import OrderStatus
from tests.factories.fulfillment import CarrierFactory, ShipmentFactory, TrackingEventFactory
from tests.factories.orders import SalesOrderFactory, SalesOrderLineFactory
from tests.fulfillment.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shipping_confirms_delivery_and_the_customer_accepts_it(page, live_server, users):
    # given: the portal customer's order is on its way with one carrier scan
    customer = users["customer"].contact.customer
    order = SalesOrderFactory(customer=customer, status=OrderStatus.SHIPPED, customer_po="PO-88")
    SalesOrderLineFactory(order=order, line_no=1, quantity=Decimal("12"))
    shipment = ShipmentFactory(
        order=order,
        shipped=True,
        carrier=CarrierFactory(name="Lakeside Freight", code="LAKE"),
        tracking_number="LF-77",
        shipped_at=timezone.now() - dt.timedelta(days=1),
    )
    TrackingEventFactory(shipment=shipment, code="in_transit", location="Toledo, OH")

    # when: shipping records the proof of delivery, forgetting the name first
    log_in(page, live_server, "shipping")
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.get_by_test_id("delivery-link").click()
    expect(page.get_by_test_id("tracking-events")).to_contain_text("In transit · Toledo, OH")
    page.get_by_text("Confirm delivery (proof of delivery)").click()
    page.get_by_label("Note").first.fill("1 pallet, wrap intact")
    page.get_by_role("button", name="Confirm delivery").click()
    expect(page.get_by_text("Enter who received the goods.")).to_be_visible()
    expect(page.get_by_label("Note").first).to_have_value("1 pallet, wrap intact")
    page.get_by_label("Received by").fill("M. Rivera")
    page.get_by_role("button", name="Confirm delivery").click()

    # then: the order is delivered and the customer's delivered notice is in the outbox
    expect(page.get_by_test_id("pod")).to_contain_text("received by M. Rivera")
    order.refresh_from_db()
    shipment.refresh_from_db()
    assert (order.status, shipment.status) == (OrderStatus.DELIVERED, ShipmentStatus.DELIVERED)
    notice = OutboxMessage.objects.get(order=order, kind=MessageKind.DELIVERED)
    assert "received by M. Rivera" in notice.body

    # when: the customer opens the order in the portal on a phone and accepts it
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "customer")
    page.goto(f"{live_server.url}/portal/orders/{order.pk}/")
    expect(page.get_by_test_id("tracking-number").first).to_have_text("LF-77")
    page.get_by_role("button", name="Accept the delivery").first.click()
    page.locator("#act-accept").get_by_role("button", name="Accept the delivery").click()

    # then: the order is closed
    expect(page.get_by_text("the delivery is accepted")).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
