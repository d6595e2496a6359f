import datetime as dt
import json
import time
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fulfillment.models import (
    DeliveryReport,
    ReportStatus,
    ShipmentStatus,
    TrackingEvent,
    WebhookAttempt,
)
from fulfillment.services import delivery
from orders.errors import OrderError
from orders.models import (
    Complaint,
    CreditNote,
    DeliveryAcceptance,
    MessageKind,
    OrderEvent,
    OrderEventKind,
    OutboxMessage,
    SalesOrder,
)
from orders.states import OrderStatus as S
from tests.factories.fulfillment import (
    BackorderFactory,
    CarrierFactory,
    DeliveryReportFactory,
    ShipmentFactory,
    TrackingEventFactory,
)
from tests.factories.orders import (
    ContactFactory,
    InvoiceFactory,
    OrderPolicyFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "carrier-secret-for-tests"


@pytest.fixture
def shipped(db):
    """A shipped order, its first shipment with Fastline tracking number 1Z999, a contact."""
    carrier = CarrierFactory(code="fastline", name="Fastline", webhook_secret=SECRET)
    order = SalesOrderFactory(status=S.SHIPPED, promised_date=dt.date(2026, 11, 27))
    SalesOrderLineFactory(order=order, line_no=1, quantity=Decimal("20"))
    ContactFactory(customer=order.customer, email="buyer@example.com", is_primary=True)
    shipment = ShipmentFactory(
        order=order,
        shipped=True,
        carrier=carrier,
        tracking_number="1Z999",
        shipped_at=timezone.now() - dt.timedelta(days=2),
    )
    return shipment


def _post(client, body: bytes, *, secret=SECRET, timestamp=None, code="fastline", sign=True):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"HTTP_X_ORDERCRAFT_TIMESTAMP": timestamp}
    if sign:
        signature = delivery.webhook_signature(secret=secret, timestamp=timestamp, body=body)
        headers["HTTP_X_ORDERCRAFT_SIGNATURE"] = signature
    return client.post(
        reverse("fulfillment:carrier_webhook", args=[code]),
        data=body,
        content_type="application/json",
        **headers,
    )


def _event(**overrides) -> bytes:
    payload = {
        "event_id": "evt-1",
        "tracking_number": "1Z999",
        "code": "delivered",
        "occurred_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
        "location": "Dock 4, Toledo OH",
        "signed_by": "M. Rivera",
    }
    return json.dumps({**payload, **overrides}).encode()


def _nothing_changed(shipment) -> None:
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SHIPPED
    assert SalesOrder.objects.get(pk=shipment.order_id).status == S.SHIPPED
    assert OutboxMessage.objects.count() == 0


# The carrier webhook


def test_a_signed_delivered_event_is_the_proof_of_delivery(client, shipped):
    # when
    with_callbacks = _post(client, _event())
    # then
    assert with_callbacks.status_code == 200
    assert with_callbacks.json() == {"status": "accepted"}
    shipped.refresh_from_db()
    assert (shipped.status, shipped.received_by, shipped.pod_source) == (
        ShipmentStatus.DELIVERED,
        "M. Rivera",
        "carrier",
    )
    order = SalesOrder.objects.get(pk=shipped.order_id)
    assert order.status == S.DELIVERED
    assert order.actual_delivery_date == timezone.localdate()
    deliver = OrderEvent.objects.get(order=order, transition="deliver")
    assert (deliver.from_status, deliver.to_status, deliver.actor) == (S.SHIPPED, S.DELIVERED, None)
    message = OutboxMessage.objects.get(order=order)
    assert message.kind == MessageKind.DELIVERED
    assert message.recipients == ["buyer@example.com"]
    assert "received by M. Rivera" in message.body
    assert WebhookAttempt.objects.get().accepted is True


def test_an_in_transit_event_is_stored_without_delivering(client, shipped):
    response = _post(client, _event(code="in_transit", signed_by="", location="Chicago hub"))
    assert response.status_code == 200
    event = TrackingEvent.objects.get()
    assert (event.code, event.location, event.external_id) == ("in_transit", "Chicago hub", "evt-1")
    _nothing_changed(shipped)


def test_a_bad_signature_is_refused_logged_and_changes_nothing(client, shipped):
    response = _post(client, _event(), secret="guessed-secret")
    assert response.status_code == 401
    assert response.json() == {"error": "Bad signature."}
    assert TrackingEvent.objects.count() == 0
    attempt = WebhookAttempt.objects.get()
    assert (attempt.accepted, attempt.reason) == (False, "Bad signature.")
    assert '"event_id": "evt-1"' in attempt.body_excerpt
    _nothing_changed(shipped)


def test_an_unsigned_call_is_refused(client, shipped):
    response = _post(client, _event(), sign=False)
    assert response.status_code == 401
    _nothing_changed(shipped)


def test_the_same_event_twice_is_a_replay(client, shipped):
    # given
    assert _post(client, _event(code="in_transit", signed_by="")).status_code == 200
    # when
    response = _post(client, _event(code="in_transit", signed_by=""))
    # then
    assert response.status_code == 409
    assert TrackingEvent.objects.count() == 1
    assert WebhookAttempt.objects.filter(accepted=False).count() == 1


def test_an_old_signed_call_is_a_replay(client, shipped):
    response = _post(client, _event(), timestamp=int(time.time()) - 3600)
    assert response.status_code == 409
    assert "replay" in response.json()["error"]
    _nothing_changed(shipped)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json at all", 400),
        (b"\xff\xfe\x00garbage", 400),
        (b"[1, 2, 3]", 400),
        (json.dumps({"event_id": "e"}).encode(), 400),
        (json.dumps({**json.loads(_event()), "event_id": 5}).encode(), 400),
        (json.dumps({**json.loads(_event()), "location": ["x"]}).encode(), 400),
    ],
)
def test_garbage_is_refused_with_a_400_never_a_500(client, shipped, body, status):
    response = _post(client, body)
    assert response.status_code == status
    assert WebhookAttempt.objects.get().accepted is False
    _nothing_changed(shipped)


def test_unknown_tracking_number_code_and_carrier(client, shipped):
    assert _post(client, _event(tracking_number="NOPE")).status_code == 422
    assert _post(client, _event(event_id="evt-2", code="teleported")).status_code == 422
    assert _post(client, _event(), code="unknown-carrier").status_code == 404
    assert _post(client, _event(occurred_at="yesterday")).status_code == 400
    assert WebhookAttempt.objects.filter(accepted=False).count() == 4
    _nothing_changed(shipped)


# Delivery by hand


def test_shipping_confirms_delivery_with_proof_on_the_delivery_page(client, users, shipped):
    # given
    client.force_login(users["shipping"])
    when = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    # when
    response = client.post(
        reverse("fulfillment:deliver", args=[shipped.pk]),
        {
            f"deliver-{shipped.pk}-received_by": "J. Okafor",
            f"deliver-{shipped.pk}-delivered_at": when.strftime("%Y-%m-%dT%H:%M"),
            f"deliver-{shipped.pk}-note": "2 pallets, wrapping intact",
        },
    )
    # then
    assert response.status_code == 302
    shipped.refresh_from_db()
    assert (shipped.status, shipped.received_by, shipped.pod_source) == (
        ShipmentStatus.DELIVERED,
        "J. Okafor",
        "manual",
    )
    assert shipped.delivered_at == when
    assert SalesOrder.objects.get(pk=shipped.order_id).status == S.DELIVERED
    page = client.get(reverse("fulfillment:delivery", args=[shipped.order_id])).text
    assert "received by <strong>J. Okafor</strong>" in page


def test_delivery_without_a_name_keeps_what_was_typed(client, users, shipped):
    client.force_login(users["shipping"])
    response = client.post(
        reverse("fulfillment:deliver", args=[shipped.pk]),
        {
            f"deliver-{shipped.pk}-received_by": "",
            f"deliver-{shipped.pk}-delivered_at": "2026-11-24T10:15",
            f"deliver-{shipped.pk}-note": "left at gate 3",
        },
    )
    assert response.status_code == 400
    assert "Enter who received the goods." in response.text
    assert 'value="left at gate 3"' in response.text
    _nothing_changed(shipped)


def test_a_manual_tracking_event_shows_on_the_page(client, users, shipped):
    client.force_login(users["shipping"])
    # A day after it shipped: an event in the future is refused, so never a fixed date.
    occurred = timezone.localtime(shipped.shipped_at) + dt.timedelta(days=1)
    response = client.post(
        reverse("fulfillment:tracking_event_add", args=[shipped.pk]),
        {
            f"event-{shipped.pk}-code": "exception",
            f"event-{shipped.pk}-occurred_at": f"{occurred:%Y-%m-%dT%H:%M}",
            f"event-{shipped.pk}-location": "Toledo OH",
            f"event-{shipped.pk}-description": "Consignee closed",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("fulfillment:delivery", args=[shipped.order_id])).text
    assert "Delivery exception" in page
    assert "Consignee closed" in page
    note = OrderEvent.objects.filter(order=shipped.order, kind=OrderEventKind.NOTE).get()
    assert note.note == (
        f"Carrier reports a delivery exception on {shipped.number}: Consignee closed"
    )


def test_the_delivery_page_costs_the_same_queries_for_many_shipments(
    client, users, shipped, django_assert_max_num_queries
):
    client.force_login(users["shipping"])
    for sequence in range(2, 8):
        extra = ShipmentFactory(order=shipped.order, sequence=sequence, shipped=True)
        TrackingEventFactory.create_batch(3, shipment=extra)
        DeliveryReportFactory(order=shipped.order, shipment=extra)
    with django_assert_max_num_queries(24):
        response = client.get(reverse("fulfillment:delivery", args=[shipped.order_id]))
    assert response.status_code == 200
    assert response.text.count("Departed hub") == 18


# Delivery reports


def test_credit_resolves_a_damage_report_with_a_credit_note(client, users):
    # given
    order = SalesOrderFactory(status=S.DELIVERED)
    ContactFactory(customer=order.customer, email="buyer@example.com", is_primary=True)
    invoice = InvoiceFactory(customer=order.customer, order=order, amount=Decimal("1000.00"))
    report = DeliveryReportFactory(order=order, description="4 pieces bent")
    client.force_login(users["credit"])
    # when
    response = client.post(
        reverse("fulfillment:report_resolve", args=[report.pk]),
        {
            f"resolve-{report.pk}-resolution": "credit_note",
            f"resolve-{report.pk}-credit_amount": "120.00",
            f"resolve-{report.pk}-note": "Credited the four bent pieces.",
        },
    )
    # then
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    credit = CreditNote.objects.get()
    assert (credit.invoice, credit.amount, report.credit_note) == (
        invoice,
        Decimal("120.00"),
        credit,
    )
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("880.00")
    message = OutboxMessage.objects.get(order=order, kind=MessageKind.REPORT_RESOLVED)
    assert f"credit note {credit.number} of 120.00" in message.body


def test_sales_may_not_issue_a_credit_note(client, users):
    order = SalesOrderFactory(status=S.DELIVERED)
    InvoiceFactory(customer=order.customer, order=order)
    report = DeliveryReportFactory(order=order)
    client.force_login(users["sales"])
    response = client.post(
        reverse("fulfillment:report_resolve", args=[report.pk]),
        {
            f"resolve-{report.pk}-resolution": "credit_note",
            f"resolve-{report.pk}-credit_amount": "50",
        },
    )
    assert response.status_code == 400
    assert "Only the credit department issues credit notes." in response.text
    assert CreditNote.objects.count() == 0
    assert DeliveryReport.objects.get().is_open


def test_sales_resolves_a_shortage_with_a_free_replacement_order(client, users):
    # given
    order = SalesOrderFactory(status=S.DELIVERED)
    line = SalesOrderLineFactory(order=order, line_no=1, quantity=Decimal("20"))
    client.force_login(users["sales"])
    client.post(
        reverse("fulfillment:report_create", args=[order.pk]),
        {
            "report-kind": "shortage",
            "report-line": str(line.pk),
            "report-quantity": "3",
            "report-description": "Carton 2 held 7, not 10",
        },
    )
    report = DeliveryReport.objects.get()
    # when
    response = client.post(
        reverse("fulfillment:report_resolve", args=[report.pk]),
        {f"resolve-{report.pk}-resolution": "replacement", f"resolve-{report.pk}-note": "Sorry"},
    )
    # then
    assert response.status_code == 302
    report.refresh_from_db()
    replacement = report.replacement_order
    assert (replacement.status, replacement.order_type, replacement.customer) == (
        S.DRAFT,
        "rush",
        order.customer,
    )
    (new_line,) = replacement.lines.all()
    assert (new_line.product, new_line.quantity, new_line.unit_price) == (
        line.product,
        Decimal("3"),
        Decimal("0"),
    )


# Closing


def test_acceptance_waits_for_an_open_report_then_the_resolution_closes(client, users):
    # given: a delivered order with an open damage report, accepted by the customer
    contact_user = users["customer"]
    order = SalesOrderFactory(customer=contact_user.contact.customer, status=S.DELIVERED)
    report = DeliveryReportFactory(order=order)
    client.force_login(contact_user)
    client.post(reverse("portal:accept", args=[order.pk]), {"accept-note": "OK apart from it"})
    order.refresh_from_db()
    assert order.status == S.DELIVERED
    assert DeliveryAcceptance.objects.filter(order=order).exists()
    # when
    delivery.delivery_report_resolve(
        report_id=report.pk, actor=users["sales"], resolution="no_action", note="Cosmetic only"
    )
    # then
    order.refresh_from_db()
    assert order.status == S.CLOSED
    close = OrderEvent.objects.get(order=order, transition="close")
    assert close.actor == users["sales"]


def test_an_open_backorder_keeps_the_order_open(client, users):
    order = SalesOrderFactory(status=S.DELIVERED)
    BackorderFactory(order=order)
    client.force_login(users["shipping"])
    response = client.post(reverse("fulfillment:close", args=[order.pk]), {"close-note": ""})
    assert response.status_code == 400
    assert "1 backorder open" in response.text
    order.refresh_from_db()
    assert order.status == S.DELIVERED


def test_shipping_closes_a_settled_order_by_hand(client, users):
    order = SalesOrderFactory(status=S.DELIVERED)
    client.force_login(users["shipping"])
    response = client.post(
        reverse("fulfillment:close", args=[order.pk]), {"close-note": "Accepted by phone"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.CLOSED
    assert OrderEvent.objects.get(order=order, transition="close").note == "Accepted by phone"


def test_delivered_orders_close_by_themselves_after_the_policy_days():
    # given: policy 14 days; delivered 15 and 13 days ago, one with a report, one complained
    OrderPolicyFactory(auto_close_days=14)
    now = timezone.now()
    quiet = SalesOrderFactory(status=S.DELIVERED, delivered_at=now - dt.timedelta(days=15))
    recent = SalesOrderFactory(status=S.DELIVERED, delivered_at=now - dt.timedelta(days=13))
    reported = SalesOrderFactory(status=S.DELIVERED, delivered_at=now - dt.timedelta(days=20))
    DeliveryReportFactory(order=reported, status=ReportStatus.RESOLVED, resolution="no_action")
    complained = SalesOrderFactory(status=S.DELIVERED, delivered_at=now - dt.timedelta(days=20))
    Complaint.objects.create(
        order=complained, complaint_type="quality", text="Burrs", created_at=now
    )
    # when
    closed = delivery.orders_autoclose(now=now)
    # then
    assert closed == [quiet.number]
    statuses = dict(SalesOrder.objects.values_list("number", "status"))
    assert statuses == {
        quiet.number: S.CLOSED,
        recent.number: S.DELIVERED,
        reported.number: S.DELIVERED,
        complained.number: S.DELIVERED,
    }
    assert OrderEvent.objects.get(order=quiet, transition="close").note == (
        "Closed automatically 14 days after delivery without a report."
    )
    # and a second run changes nothing
    assert delivery.orders_autoclose(now=now) == []


def test_the_autoclose_task_runs_on_its_own():
    from fulfillment.tasks import orders_autoclose_task

    order = SalesOrderFactory(
        status=S.DELIVERED, delivered_at=timezone.now() - dt.timedelta(days=30)
    )
    with time_machine.travel(timezone.now(), tick=False):
        assert orders_autoclose_task() == [order.number]


def test_a_delivery_in_the_minute_the_goods_left_is_not_before_they_left(shipped, users):
    # given: shipped at 10:59:40, the form says 10:59
    left = timezone.now().replace(second=40, microsecond=0) - dt.timedelta(hours=1)
    shipped.shipped_at = left
    shipped.save()
    # when
    delivery.shipment_deliver(
        shipment_id=shipped.pk,
        actor=users["shipping"],
        received_by="Dock 4",
        delivered_at=left.replace(second=0),
    )
    # then
    shipped.refresh_from_db()
    assert shipped.delivered_at == left
    # but a minute earlier is refused
    other = ShipmentFactory(shipped=True, shipped_at=left)
    with pytest.raises(OrderError, match="before the shipment left"):
        delivery.shipment_deliver(
            shipment_id=other.pk,
            actor=users["shipping"],
            received_by="Dock 4",
            delivered_at=left - dt.timedelta(minutes=1),
        )


def test_a_damage_complaint_from_the_portal_becomes_a_delivery_report(client, users):
    # given: the customer complained about damage on a delivered order
    order = SalesOrderFactory(status=S.DELIVERED)
    complaint = Complaint.objects.create(
        order=order, complaint_type="damage", text="Pallet arrived crushed, 3 housings cracked"
    )
    Complaint.objects.create(order=order, complaint_type="late", text="Two days late")
    client.force_login(users["shipping"])
    page = client.get(reverse("fulfillment:delivery", args=[order.pk])).text
    assert f'data-testid="complaint-{complaint.pk}"' in page
    assert "Two days late" not in page
    # when
    response = client.post(
        reverse("fulfillment:report_create", args=[order.pk]),
        {
            "report-kind": "damage",
            "report-description": complaint.text,
            "report-complaint": str(complaint.pk),
        },
    )
    # then
    assert response.status_code == 302
    report = DeliveryReport.objects.get()
    assert (report.complaint, report.kind, report.is_open) == (complaint, "damage", True)
    page = client.get(reverse("fulfillment:delivery", args=[order.pk])).text
    assert f'data-testid="complaint-{complaint.pk}"' not in page
    assert delivery.order_close_blockers(order=order) == [f"delivery report {report.number} open"]


def test_only_credit_is_offered_a_credit_note(client, users):
    order = SalesOrderFactory(status=S.DELIVERED)
    report = DeliveryReportFactory(order=order)
    url = reverse("fulfillment:delivery", args=[order.pk])
    client.force_login(users["sales"])
    sales_page = client.get(url).text
    client.force_login(users["credit"])
    credit_page = client.get(url).text
    assert "Credit note" not in sales_page
    assert f'name="resolve-{report.pk}-credit_amount"' not in sales_page
    assert "Credit note" in credit_page
    assert f'name="resolve-{report.pk}-credit_amount"' in credit_page
