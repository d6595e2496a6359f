import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from orders.states import OrderStatus as S
from tests.factories.fulfillment import (
    CarrierFactory,
    ShipmentFactory,
    TrackingEventFactory,
)
from tests.factories.orders import DocumentFactory, SalesOrderFactory
from tests.factories.portal import ApiTokenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def customer(users):
    return users["customer"].contact.customer


@pytest.fixture
def shipped_order(customer):
    order = SalesOrderFactory(customer=customer, status=S.SHIPPED)
    carrier = CarrierFactory(
        code="fastline", name="Fastline", tracking_url="https://fastline.example/t/{tracking}"
    )
    shipment = ShipmentFactory(
        order=order,
        shipped=True,
        carrier=carrier,
        tracking_number="1Z4455",
        estimated_delivery=dt.date(2026, 11, 27),
    )
    TrackingEventFactory(
        shipment=shipment,
        code="in_transit",
        location="Chicago hub",
        description="Departed facility",
        occurred_at=timezone.now() - dt.timedelta(hours=3),
    )
    TrackingEventFactory(
        shipment=shipment,
        code="picked_up",
        location="Springfield",
        description="",
        occurred_at=timezone.now() - dt.timedelta(hours=20),
    )
    return order


def test_the_portal_order_page_shows_tracking_number_link_and_events(client, users, shipped_order):
    client.force_login(users["customer"])
    page = client.get(reverse("portal:order_detail", args=[shipped_order.pk])).text
    assert 'href="https://fastline.example/t/1Z4455"' in page
    assert "Fastline Ground" in page
    assert "expected Fri 27 Nov 2026" in page
    events = page[page.index('data-testid="tracking-events"') :]
    assert events.index("In transit, Chicago hub") < events.index("Picked up, Springfield")


def test_a_shipment_still_being_packed_is_not_shown(client, users, customer):
    order = SalesOrderFactory(customer=customer, status=S.QUALITY_RELEASED)
    ShipmentFactory(order=order, tracking_number="")
    client.force_login(users["customer"])
    page = client.get(reverse("portal:order_detail", args=[order.pk])).text
    assert 'data-testid="shipments"' not in page


def test_shipment_documents_are_listed_once_per_shipment(client, users, shipped_order):
    DocumentFactory(order=shipped_order, kind="packing_list", revision=1, reference="SH-1")
    DocumentFactory(order=shipped_order, kind="packing_list", revision=2, reference="SH-1")
    DocumentFactory(order=shipped_order, kind="packing_list", revision=3, reference="SH-2")
    client.force_login(users["customer"])
    response = client.get(reverse("portal:order_detail", args=[shipped_order.pk]))
    listed = [(d.reference, d.revision) for d in response.context["documents"]]
    assert listed == [("SH-1", 2), ("SH-2", 3)]


def test_the_feed_gives_tracking_numbers_and_events(client, customer, shipped_order):
    # given
    ApiTokenFactory(customer=customer, raw="oc_feed")
    auth = {"HTTP_AUTHORIZATION": "Bearer oc_feed"}
    # when
    listing = client.get(reverse("portal:api_order_list"), **auth).json()
    detail = client.get(reverse("portal:api_order_detail", args=[shipped_order.pk]), **auth).json()
    # then
    (row,) = listing["orders"]
    assert row["tracking_numbers"] == ["1Z4455"]
    (shipment,) = detail["shipments"]
    assert shipment["carrier"] == "Fastline"
    assert shipment["tracking_number"] == "1Z4455"
    assert shipment["tracking_url"] == "https://fastline.example/t/1Z4455"
    assert shipment["estimated_delivery"] == "2026-11-27"
    assert [e["description"] for e in shipment["events"]] == [
        "In transit: Departed facility",
        "Picked up",
    ]


def test_the_feed_never_shows_another_customers_shipments(client, customer, shipped_order):
    other = SalesOrderFactory(status=S.SHIPPED)
    ShipmentFactory(order=other, shipped=True, tracking_number="1ZOTHER")
    ApiTokenFactory(customer=customer, raw="oc_feed")
    auth = {"HTTP_AUTHORIZATION": "Bearer oc_feed"}
    listing = client.get(reverse("portal:api_order_list"), **auth).text
    assert "1ZOTHER" not in listing
    response = client.get(reverse("portal:api_order_detail", args=[other.pk]), **auth)
    assert response.status_code == 404
