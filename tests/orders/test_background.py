"""Periodic work: the outbox sweep, the change-request sweep, the morning digest, and staff
actions while the broker is down."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from config.celery import app
from orders import services, tasks
from orders.models import MessageStatus, OrderPolicy, OutboxMessage
from orders.services import notifications, tracking
from orders.states import OrderStatus as S
from tests.factories.orders import ContactFactory, SalesOrderFactory, SalesOrderLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def established_customers(db):
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})


def test_the_morning_digest_lists_each_persons_open_alerts(make_user):
    # given: a late order (its alert belongs to sales) and a planner with nothing open
    sales = make_user("sales", email="maria@example.com")
    make_user("planner", email="priya@example.com")
    order = SalesOrderFactory(
        status=S.ACKNOWLEDGED,
        promised_date=timezone.localdate() + dt.timedelta(days=10),
        projected_delivery_date=timezone.localdate() + dt.timedelta(days=14),
    )
    tracking.at_risk_scan()
    mail.outbox.clear()
    # when
    sent = notifications.staff_digest_send()
    # then
    assert sent == 1
    (digest,) = mail.outbox
    assert digest.to == [sales.email]
    assert digest.subject == "Ordercraft: 1 alerts, 0 exceptions"
    assert f"- {order.number}: Projected late — Projected " in digest.body


def test_the_outbox_sweep_resends_what_was_left_waiting(make_user, settings, tmp_path):
    # given: an acknowledgment whose send message never reached a worker
    settings.MEDIA_ROOT = tmp_path
    order = SalesOrderFactory(status=S.VALIDATED)
    ContactFactory(customer=order.customer, email="buyer@example.org")
    SalesOrderLineFactory(order=order, quantity=Decimal(3))
    services.order_acknowledge(
        order_id=order.pk, actor=make_user("sales"), promised_date=dt.date(2027, 1, 20)
    )
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=10))
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    try:
        # when
        tasks.outbox_sweep_task()
    finally:
        app.conf.task_always_eager = False
    # then
    assert OutboxMessage.objects.get().status == MessageStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_acknowledgment_still_saves_and_waits(make_user, caplog):
    # given: nothing listens on the broker's port
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})
    order = SalesOrderFactory(status=S.VALIDATED)
    ContactFactory(customer=order.customer)
    SalesOrderLineFactory(order=order)
    previous = app.conf.broker_url

    def new_pool():
        # Celery builds its connection pools once; drop them so the next send uses the URL.
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    new_pool()
    try:
        # when
        with transaction.atomic():
            services.order_acknowledge(
                order_id=order.pk, actor=make_user("sales"), promised_date=dt.date(2027, 1, 20)
            )
    finally:
        app.conf.broker_url = previous
        new_pool()
    # then: the order is acknowledged and the message waits for the sweep
    order.refresh_from_db()
    assert order.status == S.ACKNOWLEDGED
    message = OutboxMessage.objects.get(order=order)
    assert message.status == MessageStatus.PENDING
    assert f"Could not enqueue message {message.pk}" in caplog.text
