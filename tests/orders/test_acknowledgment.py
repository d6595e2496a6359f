"""Acknowledging an order: the promise, the demand for planning, the PDF and the email."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from pypdf import PdfReader

from orders import services
from orders.models import (
    Document,
    MessageKind,
    MessageStatus,
    OrderEventKind,
    OrderPolicy,
    OutboxMessage,
)
from orders.states import OrderStatus as S
from scheduling.models import Demand
from tests.conftest import wait_for
from tests.factories.orders import (
    ContactFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

PROMISE = dt.date(2026, 12, 22)


@pytest.fixture(autouse=True)
def no_deposit_rule(db):
    """These customers are established: the deposit rule (tests/orders/test_credit.py) is off."""
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})


@pytest.fixture
def validated(db):
    order = SalesOrderFactory(status=S.VALIDATED, customer_po="PO-4471")
    ContactFactory(customer=order.customer, email="buyer@example.org", is_primary=True)
    ContactFactory(
        customer=order.customer,
        email="quiet@example.org",
        is_primary=False,
        notification_preferences={"acknowledgment": False},
    )
    SalesOrderLineFactory(
        order=order,
        line_no=1,
        product__sku="BRK-200",
        product__name="Mounting bracket",
        quantity=Decimal(40),
    )
    SalesOrderLineFactory(
        order=order,
        line_no=2,
        product__custom=True,
        product__sku="FRM-900",
        product__name="Welded frame",
        quantity=Decimal(2),
        specs={
            "length": {"nominal": 1200, "tol_plus": 0.5, "tol_minus": 0.5},
            "material": "304 SS",
        },
    )
    return order


def pdf_text(document: Document) -> str:
    document.file.open("rb")
    try:
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(document.file.read())).pages
        )
    finally:
        document.file.close()


@pytest.mark.django_db
def test_acknowledging_commits_the_date_plans_the_lines_and_queues_one_message(
    validated, make_user, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        order = services.order_acknowledge(
            order_id=validated.pk, actor=make_user("sales"), promised_date=PROMISE
        )
    # then
    assert (order.status, order.first_promised_date, order.promised_date) == (
        S.ACKNOWLEDGED,
        PROMISE,
        PROMISE,
    )
    assert sorted(Demand.objects.values_list("reference", "quantity", "due_date")) == [
        (f"{order.number}/1", Decimal("40.000"), PROMISE),
        (f"{order.number}/2", Decimal("2.000"), PROMISE),
    ]
    message = OutboxMessage.objects.get()
    assert (message.kind, message.status, message.recipients) == (
        MessageKind.ACKNOWLEDGMENT,
        MessageStatus.PENDING,
        ["buyer@example.org"],
    )
    assert f"order {order.number} confirmed (your PO PO-4471)" in message.subject
    assert "Confirmed delivery date: Tuesday 22 December 2026" in message.body
    # one re-plan request and one send, both after commit
    assert len(callbacks) == 2


@pytest.mark.django_db
def test_the_acknowledgment_email_carries_a_pdf_with_the_order(
    validated, make_user, settings, tmp_path
):
    # given
    settings.MEDIA_ROOT = tmp_path
    services.order_acknowledge(
        order_id=validated.pk, actor=make_user("sales"), promised_date=PROMISE
    )
    message = OutboxMessage.objects.get()
    # when
    services.outbox_send(message_id=message.pk)
    # then
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["buyer@example.org"]
    ((filename, _content, mimetype),) = email.attachments
    assert (filename, mimetype) == (f"{validated.number}-acknowledgment-r1.pdf", "application/pdf")
    text = pdf_text(Document.objects.get(order=validated))
    assert validated.number in text
    assert "Tuesday 22 December 2026" in text
    for expected in ["BRK-200", "Mounting bracket", "FRM-900", "Length: 1200 mm +0.5/-0.5"]:
        assert expected in text
    assert "PO-4471" in text
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert list(
        validated.events.filter(kind__in=[OrderEventKind.DOCUMENT, OrderEventKind.MESSAGE])
        .order_by("pk")
        .values_list("kind", flat=True)
    ) == [OrderEventKind.DOCUMENT, OrderEventKind.MESSAGE]


@pytest.mark.django_db
def test_sending_twice_emails_once(validated, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.order_acknowledge(
        order_id=validated.pk, actor=make_user("sales"), promised_date=PROMISE
    )
    message = OutboxMessage.objects.get()
    services.outbox_send(message_id=message.pk)
    services.outbox_send(message_id=message.pk)
    assert len(mail.outbox) == 1
    assert Document.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_send_stays_in_the_outbox(validated, make_user, settings, tmp_path):
    # given: the mail server refuses the connection (the edge of the world)
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    services.order_acknowledge(
        order_id=validated.pk, actor=make_user("sales"), promised_date=PROMISE
    )
    message = OutboxMessage.objects.get()
    # when
    with pytest.raises(ConnectionRefusedError):
        services.outbox_send(message_id=message.pk)
    # then
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
    assert message.last_error


@pytest.mark.django_db
def test_acknowledging_from_the_order_page_needs_a_date(client, validated, users):
    client.force_login(users["sales"])
    response = client.post(
        f"/orders/{validated.pk}/transition/acknowledge/",
        {"expected_status": S.VALIDATED, "promised_date": ""},
    )
    assert response.status_code == 409
    assert "Enter the delivery date you promise the customer." in response.text
    assert not OutboxMessage.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_and_sends_the_acknowledgment(
    validated, make_user, celery_worker_process
):
    # when
    with transaction.atomic():
        services.order_acknowledge(
            order_id=validated.pk, actor=make_user("sales"), promised_date=PROMISE
        )
    # then: the worker rendered the PDF and marked the message sent
    message = wait_for(
        lambda: OutboxMessage.objects.filter(order=validated, status=MessageStatus.SENT).first()
    )
    document = Document.objects.get(order=validated)
    assert message.document_id == document.pk
    assert validated.number in pdf_text(document)


@pytest.mark.django_db
def test_a_repromise_is_recorded_and_the_first_promise_kept(validated, make_user):
    # given
    sales = make_user("sales")
    services.order_acknowledge(order_id=validated.pk, actor=sales, promised_date=PROMISE)
    later = PROMISE + dt.timedelta(days=7)
    # when
    order = services.order_repromise(
        order_id=validated.pk,
        actor=sales,
        new_date=later,
        reason="Stainless sheet arrives a week late",
        customer_told=True,
    )
    # then
    assert (order.first_promised_date, order.promised_date) == (PROMISE, later)
    event = order.events.get(kind=OrderEventKind.REPROMISE)
    assert (event.note, event.data, event.actor) == (
        "Stainless sheet arrives a week late",
        {"from": "2026-12-22", "to": "2026-12-29", "customer_told": True},
        sales,
    )
    assert set(Demand.objects.values_list("due_date", flat=True)) == {later}


@pytest.mark.django_db
def test_a_repromise_needs_a_reason(validated, make_user):
    sales = make_user("sales")
    services.order_acknowledge(order_id=validated.pk, actor=sales, promised_date=PROMISE)
    with pytest.raises(services.OrderError, match="Say why the date changes"):
        services.order_repromise(
            order_id=validated.pk, actor=sales, new_date=PROMISE, reason=" ", customer_told=False
        )
