"""A supplier slips: the customer hears of it from us, in their words, and hears again when
the goods arrive and the order is back on track."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from orders import services
from orders.models import Alert, AlertKind, DelayNotice, MessageKind, OrderPolicy, OutboxMessage
from orders.services import delays, tracking
from orders.states import OrderStatus as S
from scheduling import services as scheduling_services
from scheduling.services.planning import request_replan
from tests.factories.orders import (
    ContactFactory,
    ProductFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)
from tests.factories.scheduling import (
    BomLineFactory,
    ItemFactory,
    PurchaseOrderLineFactory,
    RoutingOperationFactory,
    WorkCenterFactory,
)

TUESDAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
PROMISED = dt.date(2026, 12, 22)


def plan_and_scan():
    """What the worker does after a change: plan, project, scan."""
    scheduling_services.regenerate_plan(run_id=request_replan(delay=0).pk)
    tracking.order_projections_refresh()
    tracking.at_risk_scan()


def send_waiting_messages():
    for message in OutboxMessage.objects.filter(status="pending"):
        services.outbox_send(message_id=message.pk)


@pytest.mark.django_db
def test_a_slip_is_told_in_the_customers_words_and_the_receipt_clears_it(
    make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})
    sales, buyer = make_user("sales"), make_user("buyer")
    with time_machine.travel(TUESDAY, tick=False):
        # given: frames cut from sheet that is all on PO-000042, due Friday
        laser = WorkCenterFactory(code="LASER", name="Laser cutting")
        weld = WorkCenterFactory(code="WELD", name="Welding")
        sheet = ItemFactory(
            code="SHEET", name="Aluminium sheet", make=False, on_hand=0, lead_time_days=30
        )
        frame = ItemFactory(code="FRAME", name="Welded frame")
        BomLineFactory(parent=frame, component=sheet, quantity_per=2)
        RoutingOperationFactory(item=frame, sequence=10, work_center=laser)
        RoutingOperationFactory(item=frame, sequence=20, work_center=weld)
        line = PurchaseOrderLineFactory(
            purchase_order__number="PO-000042",
            item=sheet,
            quantity=Decimal(40),
            due_date=dt.date(2026, 12, 4),
        )
        order = SalesOrderFactory(status=S.VALIDATED, customer_po="K-7781")
        ContactFactory(customer=order.customer, email="buyer@example.org")
        SalesOrderLineFactory(
            order=order, line_no=1, product=ProductFactory(item=frame), quantity=Decimal(10)
        )
        services.order_acknowledge(order_id=order.pk, actor=sales, promised_date=PROMISED)
        plan_and_scan()
        order.refresh_from_db()
        assert order.projected_delivery_date <= PROMISED
        send_waiting_messages()
        mail.outbox.clear()

        # when: the supplier slips the sheet to Mon 21 Dec
        scheduling_services.purchase_line_reschedule(
            line_id=line.pk, actor=buyer, due_date=dt.date(2026, 12, 21), reason="Mill delay"
        )
        plan_and_scan()

        # then: the order shows late, staff see the PO, the customer reads the material
        order.refresh_from_db()
        assert order.projected_delivery_date > PROMISED
        late = Alert.objects.get(order=order, kind=AlertKind.LATE, resolved_at__isnull=True)
        assert "PO-000042" in late.message
        notice = DelayNotice.objects.get(order=order)
        assert notice.cause == (
            "Aluminium sheet for your order reaches us from our supplier on Mon 21 Dec"
        )
        delays.delay_notice_approve(notice_id=notice.pk, actor=sales)
        send_waiting_messages()
        (told,) = mail.outbox
        assert "What happened: Aluminium sheet for your order reaches us" in told.body
        assert "PO-000042" not in told.body
        mail.outbox.clear()

        # when: the sheet arrives after all
        scheduling_services.purchase_line_receive(
            line_id=line.pk, actor=buyer, quantity="40", delivery_note="DN-1"
        )
        sheet.refresh_from_db()
        assert sheet.on_hand == 40
        plan_and_scan()

        # then: the alert is resolved and the customer hears the order is back on track
        late.refresh_from_db()
        assert late.resolved_at is not None
        assert OutboxMessage.objects.filter(order=order, kind=MessageKind.RESOLVED).exists()
        send_waiting_messages()
        (back,) = mail.outbox
        assert back.subject.endswith(f"order {order.number} is back on track")
