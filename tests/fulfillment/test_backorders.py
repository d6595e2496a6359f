from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fulfillment import services
from fulfillment.models import Backorder, BackorderStatus, Shipment, ShipmentStatus
from fulfillment.services import CompletionError
from orders.errors import OrderError
from orders.states import OrderStatus
from scheduling.models import WorkOrderStatus
from tests.factories.fulfillment import (
    BackorderFactory,
    ShipmentFactory,
)
from tests.factories.orders import SalesOrderFactory

pytestmark = pytest.mark.django_db


def test_partial_completion_backorders_each_short_line(make_order, make_work, users):
    # given: 18 of 20 made on line 1; the customer takes partial shipments
    order = make_order()
    order.partial_shipments_allowed = True
    order.save()
    make_work(order, good="18")
    # when
    services.order_complete(order_id=order.pk, actor=users["production"], partial=True)
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.PRODUCED
    backorder = Backorder.objects.get()
    assert (backorder.line.line_no, backorder.quantity, backorder.status) == (
        1,
        Decimal("2"),
        "open",
    )
    assert order.events.filter(note="Completed short; backordered line 1: 2 pcs.").exists()


def test_partial_completion_is_refused_without_the_customers_consent(make_order, make_work, users):
    # given
    order = make_order()
    make_work(order, good="18")
    # when / then
    with pytest.raises(OrderError, match="does not take partial shipments"):
        services.order_complete(order_id=order.pk, actor=users["production"], partial=True)
    with pytest.raises(CompletionError):
        services.order_complete(order_id=order.pk, actor=users["production"])
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION
    assert not Backorder.objects.exists()


def test_the_completion_page_offers_backordering_only_when_allowed(
    client, users, make_order, make_work
):
    # given
    allowed = make_order()
    allowed.partial_shipments_allowed = True
    allowed.save()
    make_work(allowed, good="18")
    refused = make_order()
    make_work(refused, good="18")
    client.force_login(users["production"])
    # when
    offered = client.get(reverse("fulfillment:completion", args=[allowed.pk]))
    not_offered = client.get(reverse("fulfillment:completion", args=[refused.pk]))
    posted = client.post(reverse("fulfillment:complete", args=[allowed.pk]), {"partial": "1"})
    # then
    assert "Complete and backorder the rest" in offered.text
    assert "Complete and backorder the rest" not in not_offered.text
    assert posted.status_code == 302
    assert Backorder.objects.filter(order=allowed).count() == 1


def test_a_backorder_is_released_only_when_its_quantity_is_made(make_order, make_work, users):
    # given: line 1 (20 pcs) completed with 18; 2 backordered
    order = make_order(status=OrderStatus.SHIPPED)
    make_work(order, good="18")
    backorder = BackorderFactory(order=order, line=order.lines.get(line_no=1), quantity=2)
    # when / then: not made yet
    with pytest.raises(OrderError, match="18 of 20 made in total"):
        services.backorder_release(backorder_id=backorder.pk, actor=users["quality"])
    # when: a second work order makes the 2
    make_work(order, good="2")
    services.backorder_release(backorder_id=backorder.pk, actor=users["quality"])
    # then
    backorder.refresh_from_db()
    assert backorder.released_by == users["quality"]
    assert backorder.released_at is not None
    assert order.events.filter(note="Backorder of line 1 (2 pcs) released by quality.").exists()


def test_releasing_a_backorder_needs_quality(make_order, users):
    backorder = BackorderFactory(order=make_order(status=OrderStatus.SHIPPED), quantity=2)
    with pytest.raises(PermissionDenied):
        services.backorder_release(backorder_id=backorder.pk, actor=users["shipping"])


def test_the_quality_queue_lists_backorders_with_what_is_made(client, users, make_order, make_work):
    # given
    order = make_order(status=OrderStatus.SHIPPED)
    make_work(order, good="18")
    make_work(order, good="2", status=WorkOrderStatus.IN_PROGRESS)
    BackorderFactory(order=order, line=order.lines.get(line_no=1), quantity=2)
    client.force_login(users["quality"])
    # when
    response = client.get(reverse("fulfillment:quality_queue"))
    # then
    assert "18 of 20" in response.text
    assert "still being made" in response.text


def test_a_released_backorder_ships_in_a_second_shipment(make_order, make_work, users):
    # given: the first shipment left with 18; 2 are made since and released
    order = make_order(status=OrderStatus.SHIPPED)
    line = order.lines.get(line_no=1)
    first = ShipmentFactory(order=order, shipped=True)
    make_work(order, good="20")
    backorder = BackorderFactory(order=order, line=line, quantity=2)
    services.backorder_release(backorder_id=backorder.pk, actor=users["quality"])
    # when
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    # then
    assert shipment.sequence == 2
    assert shipment.pk != first.pk
    backorder.refresh_from_db()
    assert backorder.shipment_id == shipment.pk
    # only the backordered 2 may be packed, and packing needs exactly those
    package = services.PackageInput(
        packaging="Carton",
        length_cm=Decimal(30),
        width_cm=Decimal(20),
        height_cm=Decimal(10),
        weight_kg=Decimal(3),
        contents=((line.pk, Decimal("3")),),
    )
    with pytest.raises(services.PackingError, match="only 2 pcs left"):
        services.package_add(shipment_id=shipment.pk, actor=users["shipping"], package=package)
    services.package_add(
        shipment_id=shipment.pk,
        actor=users["shipping"],
        package=services.PackageInput(**{**package.__dict__, "contents": ((line.pk, 2),)}),
    )
    services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    shipment.refresh_from_db()
    order.refresh_from_db()
    assert shipment.status == ShipmentStatus.PACKED
    assert order.status == OrderStatus.SHIPPED  # no order transition for a backorder shipment
    assert services.backorders_mark_shipped(shipment=shipment) == 1


def test_no_backorder_shipment_without_a_released_backorder(make_order, users):
    order = make_order(status=OrderStatus.SHIPPED)
    ShipmentFactory(order=order, shipped=True)
    BackorderFactory(order=order, line=order.lines.get(line_no=1), quantity=2)
    with pytest.raises(OrderError, match="no backorder released by quality"):
        services.shipment_start(order_id=order.pk, actor=users["shipping"])
    assert Shipment.objects.filter(order=order).count() == 1


def test_sales_cancels_a_backorder_with_a_reason(client, users):
    # given
    backorder = BackorderFactory()
    client.force_login(users["sales"])
    url = reverse("fulfillment:backorder_cancel", args=[backorder.pk])
    # when
    empty = client.post(url, {"reason": "  "})
    done = client.post(url, {"reason": "Customer took a substitute"})
    # then
    assert empty.status_code == 400
    assert "Say why the backorder is cancelled." in empty.text
    assert done.status_code == 302
    backorder.refresh_from_db()
    assert backorder.status == BackorderStatus.CANCELLED
    assert backorder.note == "Customer took a substitute"
    with pytest.raises(PermissionDenied):
        services.backorder_cancel(backorder_id=backorder.pk, actor=users["shipping"], reason="x")


def test_a_backorder_in_a_shipment_cannot_be_cancelled(users):
    backorder = BackorderFactory()
    backorder.shipment = ShipmentFactory(order=backorder.order, sequence=2)
    backorder.save()
    with pytest.raises(OrderError, match="being packed"):
        services.backorder_cancel(backorder_id=backorder.pk, actor=users["sales"], reason="No")


def test_new_orders_take_the_customers_shipping_defaults(users):
    from orders.services.lifecycle import order_create
    from tests.factories.orders import CustomerFactory

    customer = CustomerFactory(
        accepts_partial_shipments=True,
        packing_instructions="Pallets max 1 m high",
        label_instructions="GS1 label",
    )
    order = order_create(customer=customer, actor=users["sales"])
    assert order.partial_shipments_allowed is True
    assert order.packing_instructions == "Pallets max 1 m high"
    assert order.label_instructions == "GS1 label"


def test_sales_edits_delivery_requirements_and_bad_input_is_kept(client, users):
    # given
    order = SalesOrderFactory(status=OrderStatus.ACKNOWLEDGED)
    client.force_login(users["sales"])
    url = reverse("orders:delivery_requirements", args=[order.pk])
    # when
    bad = client.post(url, {"delivery_appointment": "next tuesday", "site_contact": "Dana"})
    good = client.post(
        url,
        {
            "liftgate_required": "on",
            "delivery_window": "Mon-Fri 7-15h",
            "site_contact": "Dana Whitaker +1 419 555 0101",
        },
    )
    # then
    assert bad.status_code == 400
    assert "Enter a date and time" in bad.text
    assert 'value="Dana"' in bad.text
    assert good.status_code == 302
    order.refresh_from_db()
    assert order.liftgate_required is True
    assert order.delivery_window == "Mon-Fri 7-15h"
    assert order.events.get().note == (
        "Delivery requirements changed: delivery window, liftgate required, site contact."
    )
