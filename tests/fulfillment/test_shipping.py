"""Shipping a packed shipment: the gates, the invoice, the shipped notice, the ship page."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from fulfillment import tasks
from fulfillment.models import Backorder, BackorderStatus, Shipment, ShipmentStatus
from fulfillment.services import (
    ShipmentError,
    shipment_documents_prepare,
    shipment_documents_required,
    shipment_ship,
)
from orders import tasks as order_tasks
from orders.errors import OrderError
from orders.models import (
    Document,
    DocumentKind,
    Invoice,
    MessageKind,
    MessageStatus,
    OrderEvent,
    OrderEventKind,
    OutboxMessage,
)
from orders.states import OrderStatus, PaymentTerms
from tests.factories.fulfillment import BackorderFactory, PackageContentFactory, PackageFactory
from tests.factories.orders import DocumentRequirementFactory
from tests.fulfillment.shipping_setup import packed_shipment

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 15, 14, 30, tzinfo=dt.UTC)  # a Tuesday


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def run_tasks_here(monkeypatch, settings, tmp_path):
    """Tasks enqueued after commit run in this process, as a worker would run them."""
    settings.MEDIA_ROOT = tmp_path
    for task in (tasks.shipment_documents_render_task, order_tasks.outbox_send_task):
        monkeypatch.setattr(task, "delay", lambda task=task, **kwargs: task.apply(kwargs=kwargs))


def snapshot(shipment: Shipment) -> dict:
    shipment = Shipment.objects.select_related("order").get(pk=shipment.pk)
    return {
        "shipment": (shipment.status, shipment.tracking_number, shipment.shipped_at),
        "order": shipment.order.status,
        "invoices": Invoice.objects.count(),
        "messages": OutboxMessage.objects.count(),
        "events": OrderEvent.objects.count(),
        "backorders": list(Backorder.objects.values_list("status", "shipment_id")),
    }


# --- refused: nothing changes, nothing is queued --------------------------------------------


def test_ship_is_refused_before_quality_release(make_user, django_capture_on_commit_callbacks):
    # given: the order is only produced (never inspected and released)
    shipment = packed_shipment(inspector=make_user("quality"), order_status=OrderStatus.PRODUCED)
    before = snapshot(shipment)
    # when
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ShipmentError) as refused,
    ):
        shipment_ship(shipment_id=shipment.pk, actor=make_user("shipping"), tracking_number="1Z999")
    # then
    assert refused.value.message == (
        f"{shipment.order.number} is produced: only a quality released and packed order ships."
    )
    assert snapshot(shipment) == before
    assert callbacks == []


def test_ship_is_refused_without_a_required_document(make_user, django_capture_on_commit_callbacks):
    # given: the customer wants a certificate of conformance with every shipment
    shipment = packed_shipment(inspector=make_user("quality"))
    DocumentRequirementFactory(customer=shipment.order.customer, kind=DocumentKind.CERTIFICATE)
    before = snapshot(shipment)
    # when
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ShipmentError) as refused,
    ):
        shipment_ship(shipment_id=shipment.pk, actor=make_user("shipping"), tracking_number="1Z999")
    # then
    assert refused.value.message == "Missing documents: Certificate of conformance."
    assert refused.value.field == ""
    assert snapshot(shipment) == before
    assert callbacks == []


def test_ship_is_refused_without_a_tracking_number(make_user, django_capture_on_commit_callbacks):
    # given
    shipment = packed_shipment(inspector=make_user("quality"))
    before = snapshot(shipment)
    # when: only blanks typed
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ShipmentError) as refused,
    ):
        shipment_ship(shipment_id=shipment.pk, actor=make_user("shipping"), tracking_number="   ")
    # then
    assert (refused.value.message, refused.value.field) == (
        "Enter the carrier's tracking number.",
        "tracking_number",
    )
    assert snapshot(shipment) == before
    assert callbacks == []


def test_ship_is_refused_without_a_carrier(make_user, django_capture_on_commit_callbacks):
    # given
    shipment = packed_shipment(inspector=make_user("quality"), carrier=False)
    before = snapshot(shipment)
    # when
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ShipmentError) as refused,
    ):
        shipment_ship(shipment_id=shipment.pk, actor=make_user("shipping"), tracking_number="1Z999")
    # then
    assert refused.value.message == "Choose the carrier and service first."
    assert snapshot(shipment) == before
    assert callbacks == []


def test_a_shipment_ships_once_and_the_customer_is_told_once(make_user, run_tasks_here):
    # given: shipped already
    shipment = packed_shipment(inspector=make_user("quality"))
    shipping = make_user("shipping")
    shipment_ship(shipment_id=shipment.pk, actor=shipping, tracking_number="1Z111")
    before = snapshot(shipment)
    # when: a second click on Ship
    with pytest.raises(ShipmentError) as refused:
        shipment_ship(shipment_id=shipment.pk, actor=shipping, tracking_number="1Z222")
    # then
    assert refused.value.message == (
        f"{shipment.number} is shipped, not packed and waiting for the carrier."
    )
    assert snapshot(shipment) == before
    assert OutboxMessage.objects.filter(kind=MessageKind.SHIPPED).count() == 1


def test_only_the_shipping_role_ships(make_user):
    # given
    shipment = packed_shipment(inspector=make_user("quality"))
    # when / then
    with pytest.raises(PermissionDenied):
        shipment_ship(shipment_id=shipment.pk, actor=make_user("sales"), tracking_number="1Z1")
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.PACKED


# --- shipped ----------------------------------------------------------------------------------


def test_shipping_records_tracking_invoices_and_queues_the_notice(
    make_user, django_capture_on_commit_callbacks, run_tasks_here
):
    # given
    shipment = packed_shipment(inspector=make_user("quality"), terms=PaymentTerms.NET45)
    order = shipment.order
    shipping = make_user("shipping", first_name="Sam", last_name="Porter")
    mail.outbox.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        shipment_ship(shipment_id=shipment.pk, actor=shipping, tracking_number="  1Z999AA1  ")
    # then: the shipment and the order
    shipment.refresh_from_db()
    order.refresh_from_db()
    assert (
        shipment.status,
        shipment.tracking_number,
        shipment.shipped_at,
        shipment.shipped_by,
    ) == (
        ShipmentStatus.SHIPPED,
        "1Z999AA1",
        NOW,
        shipping,
    )
    assert (order.status, order.shipped_at) == (OrderStatus.SHIPPED, NOW)
    event = order.events.get(kind=OrderEventKind.TRANSITION, transition="ship")
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        shipping,
        OrderStatus.PACKED,
        OrderStatus.SHIPPED,
        f"{shipment.number} shipped with FastFreight Express, tracking 1Z999AA1.",
    )
    # the invoice: 20 x 12.50 + 10 x 4.00, due 45 days after today
    invoice = shipment.invoice
    assert (invoice.order, invoice.customer, invoice.amount, invoice.issued_on, invoice.due_on) == (
        order,
        order.customer,
        Decimal("290.00"),
        dt.date(2026, 12, 15),
        dt.date(2027, 1, 29),
    )
    assert invoice.number.startswith("INV-")
    # the shipped notice, sent once by the task after commit
    message = OutboxMessage.objects.get(order=order, kind=MessageKind.SHIPPED)
    assert message.status == MessageStatus.SENT
    assert message.recipients == ["receiving@northwind.example"]
    assert message.subject == (
        f"Ordercraft Demo Manufacturing: order {order.number} has shipped (your PO PO-7781)"
    )
    assert "Carrier: FastFreight, Express" in message.body
    assert "Tracking number: 1Z999AA1" in message.body
    assert "Track it: https://ff.example/t/1Z999AA1" in message.body
    assert "Estimated delivery: Friday 18 December 2026" in message.body
    assert "2 packages, 7.7 kg in all:" in message.body
    assert "left our plant on Tuesday 15 December 2026" in message.body
    (email,) = mail.outbox
    assert email.to == ["receiving@northwind.example"]
    assert "1Z999AA1" in email.body
    # the invoice PDF rendered after commit, for the shipment
    document = Document.objects.get(order=order, kind=DocumentKind.INVOICE)
    assert (document.reference, document.revision) == (shipment.number, 1)
    assert len(callbacks) == 2


def test_a_ship_date_in_the_past_dates_the_invoice_and_terms(make_user, run_tasks_here):
    # given
    shipment = packed_shipment(inspector=make_user("quality"), terms=PaymentTerms.NET30)
    # when: entered the next morning for yesterday's pick-up
    shipment_ship(
        shipment_id=shipment.pk,
        actor=make_user("shipping"),
        tracking_number="1Z5",
        shipped_on=dt.date(2026, 12, 14),
    )
    # then
    shipment.refresh_from_db()
    assert shipment.shipped_at == dt.datetime(2026, 12, 14, 12, tzinfo=dt.UTC)
    assert (shipment.invoice.issued_on, shipment.invoice.due_on) == (
        dt.date(2026, 12, 14),
        dt.date(2027, 1, 13),
    )


def test_a_ship_date_in_the_future_is_refused_beside_the_field(make_user):
    shipment = packed_shipment(inspector=make_user("quality"))
    with pytest.raises(ShipmentError) as refused:
        shipment_ship(
            shipment_id=shipment.pk,
            actor=make_user("shipping"),
            tracking_number="1Z5",
            shipped_on=dt.date(2026, 12, 16),
        )
    assert (refused.value.field, refused.value.message) == (
        "shipped_on",
        "The ship date cannot be in the future.",
    )


def test_a_backorder_shipment_closes_its_backorders_and_leaves_the_order_shipped(
    make_user, run_tasks_here
):
    # given: the order shipped short; 5 pcs of line 1 follow, released by quality
    quality = make_user("quality")
    first = packed_shipment(inspector=quality, order_status=OrderStatus.SHIPPED)
    Shipment.objects.filter(pk=first.pk).update(
        status=ShipmentStatus.SHIPPED, tracking_number="1Z1", shipped_at=timezone.now()
    )
    order = first.order
    line = order.lines.get(line_no=1)
    later = Shipment.objects.create(
        number="SH-777001",
        order=order,
        sequence=2,
        status=ShipmentStatus.PACKED,
        packed_at=timezone.now() - dt.timedelta(minutes=30),
        carrier=first.carrier,
        service=first.service,
    )
    backorder = BackorderFactory(
        order=order,
        line=line,
        quantity=Decimal("5"),
        shipment=later,
        released_by=quality,
        released_at=timezone.now() - dt.timedelta(hours=1),
    )
    PackageContentFactory(
        package=PackageFactory(shipment=later, number=1), line=line, quantity=Decimal("5")
    )
    Document.objects.create(
        order=order, kind=DocumentKind.PACKING_LIST, revision=2, reference=later.number
    )
    # when
    shipment_ship(shipment_id=later.pk, actor=make_user("shipping"), tracking_number="1Z2")
    # then
    backorder.refresh_from_db()
    order.refresh_from_db()
    assert (backorder.status, backorder.shipment_id) == (BackorderStatus.SHIPPED, later.pk)
    assert order.status == OrderStatus.SHIPPED
    note = order.events.get(kind=OrderEventKind.NOTE, note__startswith="Backorder SH-777001")
    assert note.note == "Backorder SH-777001 shipped with FastFreight Express, tracking 1Z2."
    later.refresh_from_db()
    assert later.invoice.amount == Decimal("62.50")
    message = OutboxMessage.objects.get(order=order, kind=MessageKind.SHIPPED)
    assert message.subject.endswith("— backorder SH-777001")


def test_a_backorder_not_released_by_quality_does_not_ship(make_user):
    # given
    first = packed_shipment(inspector=make_user("quality"), order_status=OrderStatus.SHIPPED)
    Shipment.objects.filter(pk=first.pk).update(
        status=ShipmentStatus.SHIPPED, tracking_number="1Z1", shipped_at=timezone.now()
    )
    later = Shipment.objects.create(
        number="SH-777002",
        order=first.order,
        sequence=2,
        status=ShipmentStatus.PACKED,
        packed_at=timezone.now(),
        carrier=first.carrier,
        service=first.service,
    )
    BackorderFactory(order=first.order, line=first.order.lines.get(line_no=2), shipment=later)
    Document.objects.create(
        order=first.order, kind=DocumentKind.PACKING_LIST, revision=2, reference=later.number
    )
    # when / then
    with pytest.raises(ShipmentError) as refused:
        shipment_ship(shipment_id=later.pk, actor=make_user("shipping"), tracking_number="1Z2")
    assert refused.value.message == "Quality has not released the backorder of line 2."


# --- document requirements --------------------------------------------------------------------


def test_a_foreign_ship_to_needs_a_commercial_invoice_and_a_domestic_one_does_not(make_user):
    quality = make_user("quality")
    domestic = packed_shipment(inspector=quality, country="US")
    foreign = packed_shipment(inspector=quality, country="CA")
    assert shipment_documents_required(shipment=domestic) == [DocumentKind.PACKING_LIST]
    assert shipment_documents_required(shipment=foreign) == [
        DocumentKind.PACKING_LIST,
        DocumentKind.COMMERCIAL_INVOICE,
    ]


def test_the_plant_country_comes_from_the_settings(make_user, settings):
    # given: a plant in Canada
    settings.ORDERCRAFT_COMPANY = {**settings.ORDERCRAFT_COMPANY, "country": "CA"}
    shipment = packed_shipment(inspector=make_user("quality"), country="CA")
    # then
    assert shipment_documents_required(shipment=shipment) == [DocumentKind.PACKING_LIST]


def test_the_customers_requirements_are_added(make_user):
    shipment = packed_shipment(inspector=make_user("quality"))
    for kind in (DocumentKind.TEST_REPORT, DocumentKind.CERTIFICATE, DocumentKind.INVOICE):
        DocumentRequirementFactory(customer=shipment.order.customer, kind=kind)
    assert shipment_documents_required(shipment=shipment) == [
        DocumentKind.PACKING_LIST,
        DocumentKind.CERTIFICATE,
        DocumentKind.TEST_REPORT,
        DocumentKind.INVOICE,
    ]


def test_preparing_renders_what_is_missing_then_the_shipment_ships(
    make_user, django_capture_on_commit_callbacks, run_tasks_here
):
    # given: an export customer who wants the certificate and the invoice with the goods
    shipment = packed_shipment(inspector=make_user("quality"), country="CA")
    customer = shipment.order.customer
    DocumentRequirementFactory(customer=customer, kind=DocumentKind.CERTIFICATE)
    DocumentRequirementFactory(customer=customer, kind=DocumentKind.INVOICE)
    shipping = make_user("shipping")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        queued = shipment_documents_prepare(shipment_id=shipment.pk, actor=shipping)
    # then
    assert queued == [
        DocumentKind.COMMERCIAL_INVOICE,
        DocumentKind.CERTIFICATE,
        DocumentKind.INVOICE,
    ]
    documents = Document.objects.filter(order=shipment.order).order_by("kind")
    assert [(d.kind, d.revision, d.reference) for d in documents] == [
        (DocumentKind.CERTIFICATE, 1, shipment.number),
        (DocumentKind.COMMERCIAL_INVOICE, 1, shipment.number),
        (DocumentKind.INVOICE, 1, shipment.number),
        (DocumentKind.PACKING_LIST, 1, shipment.number),
    ]
    invoice = Invoice.objects.get()
    # when: shipped
    with django_capture_on_commit_callbacks(execute=True):
        shipment_ship(shipment_id=shipment.pk, actor=shipping, tracking_number="CA-42")
    # then: the invoice that went with the goods is the one, rendered once
    shipment.refresh_from_db()
    assert shipment.invoice == invoice
    assert Invoice.objects.count() == 1
    assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == 1
    # and preparing again finds nothing missing on a shipped shipment
    with pytest.raises(OrderError, match="documents are prepared once it is packed"):
        shipment_documents_prepare(shipment_id=shipment.pk, actor=shipping)


def test_a_document_of_an_earlier_packing_no_longer_counts(make_user):
    # given: the packing list was made, then the shipment was re-opened and packed again
    shipment = packed_shipment(inspector=make_user("quality"))
    Shipment.objects.filter(pk=shipment.pk).update(packed_at=timezone.now())
    Document.objects.filter(kind=DocumentKind.PACKING_LIST).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    # when / then
    with pytest.raises(ShipmentError) as refused:
        shipment_ship(shipment_id=shipment.pk, actor=make_user("shipping"), tracking_number="1Z")
    assert refused.value.message == "Missing documents: Packing list."


# --- the ship page ----------------------------------------------------------------------------


def test_the_ship_page_lists_documents_carrier_and_requirements(
    client, make_user, django_assert_max_num_queries
):
    # given
    shipment = packed_shipment(inspector=make_user("quality"), country="CA")
    order = shipment.order
    order.liftgate_required = True
    order.site_contact = "Dana at the dock, +1 416 555 0199"
    order.save()
    DocumentRequirementFactory(customer=order.customer, kind=DocumentKind.CERTIFICATE)
    client.force_login(make_user("shipping"))
    # when
    with django_assert_max_num_queries(25):
        response = client.get(reverse("fulfillment:ship", kwargs={"pk": shipment.pk}))
    # then
    assert response.status_code == 200
    page = response.text
    assert "FastFreight</strong> Express" in page
    assert "Dana at the dock, +1 416 555 0199" in page
    assert "Required: no dock at the site" in page
    assert "Missing documents: Commercial invoice and Certificate of conformance." in page
    assert 'data-kind="packing_list"' in page
    assert "Prepare documents" in page
    assert "Certificate of conformance" in page


def test_the_ship_page_costs_the_same_queries_with_more_packages(
    client, make_user, django_assert_num_queries
):
    # given
    shipment = packed_shipment(inspector=make_user("quality"))
    client.force_login(make_user("shipping"))
    url = reverse("fulfillment:ship", kwargs={"pk": shipment.pk})
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(3, 9):
        PackageContentFactory(
            package=PackageFactory(shipment=shipment, number=number),
            line=shipment.order.lines.get(line_no=2),
            quantity=Decimal("1"),
        )
    # when / then
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_an_empty_tracking_number_is_refused_beside_the_field_and_the_date_kept(client, make_user):
    # given
    shipment = packed_shipment(inspector=make_user("quality"))
    client.force_login(make_user("shipping"))
    # when
    response = client.post(
        reverse("fulfillment:ship", kwargs={"pk": shipment.pk}),
        {"tracking_number": "  ", "shipped_on": "2026-12-14"},
    )
    # then
    assert response.status_code == 400
    assert 'data-testid="tracking-error">Enter the carrier&#x27;s tracking number.' in response.text
    assert 'value="2026-12-14"' in response.text
    assert Shipment.objects.get(pk=shipment.pk).status == ShipmentStatus.PACKED


def test_a_typed_date_that_is_no_date_is_refused_beside_the_field(client, make_user):
    shipment = packed_shipment(inspector=make_user("quality"))
    client.force_login(make_user("shipping"))
    response = client.post(
        reverse("fulfillment:ship", kwargs={"pk": shipment.pk}),
        {"tracking_number": "1Z77", "shipped_on": "yesterday"},
    )
    assert response.status_code == 400
    assert "Enter a date, e.g. 2026-12-15." in response.text
    assert 'value="1Z77"' in response.text


def test_shipping_from_the_page_goes_back_to_the_order(client, make_user, run_tasks_here):
    # given
    shipment = packed_shipment(inspector=make_user("quality"))
    client.force_login(make_user("shipping"))
    # when
    response = client.post(
        reverse("fulfillment:ship", kwargs={"pk": shipment.pk}),
        {"tracking_number": "1Z999AA1", "shipped_on": ""},
        follow=True,
    )
    # then
    assert response.redirect_chain == [
        (reverse("orders:detail", kwargs={"pk": shipment.order_id}), 302)
    ]
    assert f"{shipment.number} shipped with tracking number 1Z999AA1" in response.text
    assert 'data-testid="shipments-slot"' in response.text
    card = client.get(reverse("fulfillment:order_shipments", kwargs={"pk": shipment.order_id}))
    assert 'href="https://ff.example/t/1Z999AA1"' in card.text
    assert "FastFreight Express · estimated delivery Fri 18 Dec 2026" in card.text
    assert (
        f"Shipped Tue 15 Dec 2026 14:30 · invoice {shipment.order.invoices.get().number} 290.00"
        in (card.text)
    )


def test_the_documents_partial_keeps_polling_while_documents_are_missing(client, make_user):
    # given: documents asked for ten seconds ago, the certificate not there yet
    shipment = packed_shipment(inspector=make_user("quality"))
    DocumentRequirementFactory(customer=shipment.order.customer, kind=DocumentKind.CERTIFICATE)
    client.force_login(make_user("shipping"))
    url = reverse("fulfillment:ship_documents", kwargs={"pk": shipment.pk})
    asked = int(NOW.timestamp()) - 10
    # when
    response = client.get(f"{url}?preparing={asked}")
    # then
    assert 'hx-trigger="every 2s"' in response.text
    assert "Being prepared" in response.text
    # when: three minutes on, it stops and says so
    response = client.get(f"{url}?preparing={asked - 170}")
    assert 'hx-trigger="every 2s"' not in response.text
    assert 'data-testid="documents-stalled"' in response.text


def test_the_shipments_card_costs_the_same_queries_whatever_the_shipments(
    client, make_user, django_assert_max_num_queries
):
    # given: an order with a shipped first shipment and three backorder shipments
    shipment = packed_shipment(inspector=make_user("quality"), order_status=OrderStatus.SHIPPED)
    Shipment.objects.filter(pk=shipment.pk).update(
        status=ShipmentStatus.SHIPPED, tracking_number="1Z1", shipped_at=timezone.now()
    )
    for sequence in (2, 3, 4):
        Shipment.objects.create(
            number=f"SH-88800{sequence}",
            order=shipment.order,
            sequence=sequence,
            status=ShipmentStatus.PACKED,
            carrier=shipment.carrier,
            service=shipment.service,
        )
    client.force_login(make_user("shipping"))
    # when
    with django_assert_max_num_queries(8):
        response = client.get(
            reverse("fulfillment:order_shipments", kwargs={"pk": shipment.order_id})
        )
    # then
    assert response.text.count('data-testid="ship-link"') == 3
    assert 'href="https://ff.example/t/1Z1"' in response.text
