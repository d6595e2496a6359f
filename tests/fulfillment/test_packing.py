import subprocess
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fulfillment import services, tasks
from fulfillment.models import Package, PackageContent, Shipment, ShipmentStatus
from fulfillment.services import PackageInput, PackingError
from orders.models import Document, DocumentKind, OrderEvent
from orders.states import OrderStatus
from tests.factories.fulfillment import BackorderFactory, ShipmentFactory
from tests.factories.orders import ProductFactory, SalesOrderFactory, SalesOrderLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(db):
    """A quality released order: line 1 is 10 brackets (0.5 kg each), line 2 is 4 shafts."""
    order = SalesOrderFactory(
        status=OrderStatus.QUALITY_RELEASED,
        customer_po="PO-7781",
        liftgate_required=True,
        packing_instructions="Max 20 kg per carton; mark each carton with the PO.",
        label_instructions="Customer part label ACME-44 on every carton.",
    )
    SalesOrderLineFactory(
        order=order,
        line_no=1,
        quantity=Decimal("10"),
        product=ProductFactory(sku="BRK-101", unit_weight_kg=Decimal("0.5")),
    )
    SalesOrderLineFactory(
        order=order,
        line_no=2,
        quantity=Decimal("4"),
        product=ProductFactory(sku="SHF-102", unit_weight_kg=Decimal("3.2")),
    )
    return order


def line(order, number):
    return order.lines.get(line_no=number)


def carton(order, **contents) -> PackageInput:
    return PackageInput(
        packaging="Carton",
        length_cm=Decimal("60"),
        width_cm=Decimal("40"),
        height_cm=Decimal("30"),
        weight_kg=Decimal("18.5"),
        marks="PO-7781 1/2",
        contents=tuple((line(order, int(k[1:])).pk, Decimal(v)) for k, v in contents.items()),
    )


def packed_shipment(order, user) -> Shipment:
    shipment = services.shipment_start(order_id=order.pk, actor=user)
    services.package_add(shipment_id=shipment.pk, actor=user, package=carton(order, l1="10"))
    services.package_add(shipment_id=shipment.pk, actor=user, package=carton(order, l2="4"))
    return shipment


def test_starting_a_shipment_numbers_it_and_notes_it(order, users):
    # when
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    # then
    assert shipment.number.startswith("SH-")
    assert shipment.sequence == 1
    assert shipment.status == ShipmentStatus.PACKING
    event = order.events.get()
    assert event.note == f"Packing started: shipment {shipment.number}."
    # starting again returns the same open shipment
    again = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    assert again.pk == shipment.pk
    assert Shipment.objects.count() == 1


def test_an_order_not_released_cannot_start_packing(users):
    # given
    order = SalesOrderFactory(status=OrderStatus.PRODUCED)
    # when / then
    with pytest.raises(Exception, match="only a quality released order is packed"):
        services.shipment_start(order_id=order.pk, actor=users["shipping"])
    assert not Shipment.objects.exists()


def test_packing_more_than_ordered_is_refused(order, users):
    # given
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    services.package_add(
        shipment_id=shipment.pk, actor=users["shipping"], package=carton(order, l1="6")
    )
    # when
    with pytest.raises(PackingError) as refused:
        services.package_add(
            shipment_id=shipment.pk, actor=users["shipping"], package=carton(order, l1="5")
        )
    # then
    assert refused.value.message == "Line 1: only 4 pcs left to pack in this shipment."
    assert refused.value.field == f"line_{line(order, 1).pk}"
    assert Package.objects.count() == 1


def test_a_line_of_another_order_cannot_be_packed(order, users):
    # given
    other = SalesOrderLineFactory(order=SalesOrderFactory(status=OrderStatus.QUALITY_RELEASED))
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    package = PackageInput(
        packaging="Carton",
        length_cm=Decimal(1),
        width_cm=Decimal(1),
        height_cm=Decimal(1),
        weight_kg=Decimal(1),
        contents=((other.pk, Decimal("1")),),
    )
    # when / then
    with pytest.raises(PackingError, match="That line is not on this order"):
        services.package_add(shipment_id=shipment.pk, actor=users["shipping"], package=package)
    assert not PackageContent.objects.exists()


def test_pack_lists_every_line_not_packed_exactly(order, users):
    # given
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    services.package_add(
        shipment_id=shipment.pk, actor=users["shipping"], package=carton(order, l1="8")
    )
    # when
    with pytest.raises(PackingError) as refused:
        services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    # then
    assert refused.value.message == (
        f"{shipment.number} cannot be packed yet: Line 1: 8 of 10 pcs packed; "
        "Line 2: 0 of 4 pcs packed."
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_RELEASED


def test_pack_fires_the_order_transition_and_renders_the_packing_list(
    order, users, django_capture_on_commit_callbacks
):
    # given
    shipment = packed_shipment(order, users["shipping"])
    # when
    with (
        mock.patch.object(tasks.packing_list_render_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    # then
    order.refresh_from_db()
    shipment.refresh_from_db()
    assert order.status == OrderStatus.PACKED
    assert shipment.status == ShipmentStatus.PACKED
    event = order.events.filter(transition="pack").get()
    assert (event.from_status, event.to_status) == ("quality_released", "packed")
    assert event.note == f"{shipment.number} packed in 2 packages."
    delay.assert_called_once_with(shipment_id=shipment.pk)


def test_a_refused_pack_queues_nothing(order, users, django_capture_on_commit_callbacks):
    # given
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    # when
    with (
        mock.patch.object(tasks.packing_list_render_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PackingError, match="Add at least one package"),
    ):
        services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    # then
    delay.assert_not_called()


def test_packing_needs_the_shipping_role(order, users):
    with pytest.raises(PermissionDenied):
        services.shipment_start(order_id=order.pk, actor=users["sales"])


def pdf_text(document: Document) -> str:
    return subprocess.run(  # noqa: S603 -- fixed command on a file the test wrote
        ["/usr/bin/pdftotext", "-layout", document.file.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_packing_list_shows_every_package_with_its_contents(order, users):
    # given
    shipment = packed_shipment(order, users["shipping"])
    services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    # when
    tasks.packing_list_render_task(shipment_id=shipment.pk)
    tasks.packing_list_render_task(shipment_id=shipment.pk)  # a second run changes nothing
    # then
    document = Document.objects.get(order=order, kind=DocumentKind.PACKING_LIST)
    assert (document.revision, document.reference) == (1, shipment.number)
    text = pdf_text(document)
    assert "Packing list" in text
    assert shipment.number in text
    assert "PO-7781" in text
    assert "Liftgate delivery required" in text
    assert "Line 1: 10 pcs" in text
    assert "Line 2: 4 pcs" in text
    assert "60 x 40 x 30" in text
    assert "37.00" in text  # total weight of the two 18.5 kg cartons
    assert "2 packages" in text


def test_reopening_and_packing_again_renders_a_new_revision(order, users):
    # given
    shipment = packed_shipment(order, users["shipping"])
    services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    tasks.packing_list_render_task(shipment_id=shipment.pk)
    # when
    services.shipment_reopen(shipment_id=shipment.pk, actor=users["shipping"], reason="Pallet")
    package = shipment.packages.get(number=2)
    services.package_remove(package_id=package.pk, actor=users["shipping"])
    services.package_add(
        shipment_id=shipment.pk, actor=users["shipping"], package=carton(order, l2="4")
    )
    services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    tasks.packing_list_render_task(shipment_id=shipment.pk)
    # then
    revisions = list(
        Document.objects.filter(order=order, kind=DocumentKind.PACKING_LIST)
        .order_by("revision")
        .values_list("revision", flat=True)
    )
    assert revisions == [1, 2]
    order.refresh_from_db()
    assert order.status == OrderStatus.PACKED
    assert order.events.filter(transition="pack").count() == 1
    assert order.events.filter(note=f"{shipment.number} re-opened for packing: Pallet").exists()


def test_the_first_shipment_leaves_backordered_quantities_out(order, users):
    # given
    BackorderFactory(order=order, line=line(order, 1), quantity=Decimal("3"))
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    # when
    with pytest.raises(PackingError, match="only 7 pcs left"):
        services.package_add(
            shipment_id=shipment.pk, actor=users["shipping"], package=carton(order, l1="8")
        )
    services.package_add(
        shipment_id=shipment.pk, actor=users["shipping"], package=carton(order, l1="7", l2="4")
    )
    services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.PACKED


# --- pages -------------------------------------------------------------------------------


def test_the_packing_page_shows_requirements_and_what_is_left(client, users, order):
    # given
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    services.package_add(
        shipment_id=shipment.pk, actor=users["shipping"], package=carton(order, l1="6")
    )
    client.force_login(users["shipping"])
    # when
    response = client.get(reverse("fulfillment:packing", args=[order.pk]))
    # then
    assert response.status_code == 200
    text = response.text
    assert "Required: no dock at the site" in text
    assert "Customer part label ACME-44 on every carton." in text
    assert "Max 20 kg per carton; mark each carton with the PO." in text
    assert 'data-testid="left-1">4<' in text
    assert 'data-testid="left-2">4<' in text
    assert "Estimated net weight 17.80 kg" in text  # 10 x 0.5 + 4 x 3.2


def test_adding_a_package_with_htmx_returns_the_updated_work_area(client, users, order):
    # given
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    client.force_login(users["shipping"])
    data = {
        "packaging": "Pallet",
        "length_cm": "120",
        "width_cm": "80",
        "height_cm": "100",
        "weight_kg": "65",
        "marks": "PO-7781",
        f"line_{line(order, 1).pk}": "10",
    }
    # when
    response = client.post(
        reverse("fulfillment:package_add", args=[shipment.pk]), data, HTTP_HX_REQUEST="true"
    )
    # then
    assert response.status_code == 200
    assert 'id="packing-work"' in response.text
    assert "<html" not in response.text
    assert "1. Pallet" in response.text
    assert PackageContent.objects.get().quantity == Decimal("10")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weight_kg", "heavy", "Enter a number, e.g. 18.5."),
        ("weight_kg", "0", "Must be more than zero."),
        ("length_cm", "-5", "Must be more than zero."),
        ("line", "-2", "A quantity cannot be negative."),
        ("line", "11", "Line 1: only 10 pcs left to pack in this shipment."),
    ],
)
def test_bad_package_input_is_shown_beside_the_field(client, users, order, field, value, message):
    # given
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    client.force_login(users["shipping"])
    line_field = f"line_{line(order, 1).pk}"
    data = {
        "packaging": "Carton",
        "length_cm": "60",
        "width_cm": "40",
        "height_cm": "30",
        "weight_kg": "18.5",
        line_field: "5",
    }
    data[line_field if field == "line" else field] = value
    # when
    response = client.post(reverse("fulfillment:package_add", args=[shipment.pk]), data)
    # then
    assert response.status_code == 400
    assert message in response.text
    assert f'value="{value}"' in response.text  # what was typed is kept
    assert not Package.objects.exists()


def test_another_orders_line_in_the_post_is_ignored(client, users, order):
    # given
    other = SalesOrderLineFactory(order=SalesOrderFactory(status=OrderStatus.QUALITY_RELEASED))
    shipment = services.shipment_start(order_id=order.pk, actor=users["shipping"])
    client.force_login(users["shipping"])
    data = {
        "packaging": "Carton",
        "length_cm": "60",
        "width_cm": "40",
        "height_cm": "30",
        "weight_kg": "18.5",
        f"line_{other.pk}": "5",
    }
    # when
    response = client.post(reverse("fulfillment:package_add", args=[shipment.pk]), data)
    # then
    assert response.status_code == 400
    assert "Put at least one line&#x27;s quantity in the package." in response.text
    assert not PackageContent.objects.exists()


def test_packing_from_the_page_goes_to_the_carrier_choice(client, users, order):
    # given
    shipment = packed_shipment(order, users["shipping"])
    client.force_login(users["shipping"])
    # when
    response = client.post(reverse("fulfillment:shipment_pack", args=[shipment.pk]))
    # then
    assert response.status_code == 302
    assert response.url == reverse("fulfillment:carrier", args=[shipment.pk])


def test_the_shipping_queue_is_searchable_and_marks_late_orders(client, users, order):
    # given
    late = SalesOrderFactory(
        status=OrderStatus.QUALITY_RELEASED, promised_date="2020-03-02", customer_po="PO-LATE"
    )
    SalesOrderFactory(status=OrderStatus.IN_PRODUCTION, customer_po="PO-NOT-YET")
    client.force_login(users["shipping"])
    # when
    everything = client.get(reverse("fulfillment:shipping_queue"))
    searched = client.get(reverse("fulfillment:shipping_queue"), {"q": "PO-LATE"})
    # then
    assert late.number in everything.text
    assert order.number in everything.text
    assert "PO-NOT-YET" not in everything.text
    assert "Mon 2 Mar 2020" in everything.text
    assert "late</span>" in everything.text
    assert late.number in searched.text
    assert order.number not in searched.text


def test_the_shipping_queue_filters_by_stage(client, users, order):
    # given
    packing = ShipmentFactory().order
    client.force_login(users["shipping"])
    # when
    response = client.get(reverse("fulfillment:shipping_queue"), {"stage": "packing"})
    bad = client.get(reverse("fulfillment:shipping_queue"), {"stage": "x", "page": "zz"})
    # then
    assert packing.number in response.text
    assert order.number not in response.text
    assert bad.status_code == 200


def test_the_shipping_queue_costs_the_same_queries_for_more_rows(
    client, users, django_assert_max_num_queries
):
    # given
    for _ in range(3):
        ShipmentFactory()
        SalesOrderFactory(status=OrderStatus.QUALITY_RELEASED)
    client.force_login(users["shipping"])
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("fulfillment:shipping_queue"))
    for _ in range(10):
        ShipmentFactory()
        SalesOrderFactory(status=OrderStatus.QUALITY_RELEASED)
    # when / then
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("fulfillment:shipping_queue"))
    assert response.status_code == 200


def test_the_order_page_links_shipping_to_packing(client, users, order):
    client.force_login(users["shipping"])
    response = client.get(reverse("orders:detail", args=[order.pk]))
    assert reverse("fulfillment:packing", args=[order.pk]) in response.text
    assert 'data-testid="delivery-requirements"' in response.text


def test_events_are_written_for_package_changes_only_at_start_and_pack(order, users):
    # given / when
    shipment = packed_shipment(order, users["shipping"])
    services.shipment_pack(shipment_id=shipment.pk, actor=users["shipping"])
    # then
    notes = list(OrderEvent.objects.filter(order=order).order_by("pk").values_list("note"))
    assert notes == [
        (f"Packing started: shipment {shipment.number}.",),
        (f"{shipment.number} packed in 2 packages.",),
    ]
