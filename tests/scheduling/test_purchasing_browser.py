"""In the browser, with a real worker: the buyer records a supplier's slip and then the
receipt; the order it hurts turns late, its customer is told, and told again when it recovers.

The worker runs on the real clock, so every date here is relative to today.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders import services as order_services
from orders.models import (
    Alert,
    AlertKind,
    DelayNotice,
    MessageKind,
    MessageStatus,
    OrderPolicy,
    OutboxMessage,
)
from orders.states import OrderStatus
from scheduling.models import Item
from scheduling.services import regenerate_plan, request_replan
from tests.conftest import wait_for
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
from tests.fulfillment.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def weekday_after(day: dt.date, days: int) -> dt.date:
    day += dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def test_the_buyer_records_a_slip_then_the_receipt_and_the_customer_hears_both(
    page, live_server, users, celery_worker_process, settings
):
    # given: frames cut from aluminium sheet, all of it on one purchase order due this week
    settings.ORDERCRAFT_REPLAN_DELAY = 0
    OrderPolicy.objects.update_or_create(
        pk=1, defaults={"deposit_for_new_customers": False, "delay_notices_automatic": False}
    )
    today = timezone.localdate()
    laser = WorkCenterFactory(code="LASER", name="Laser cutting")
    weld = WorkCenterFactory(code="WELD", name="Welding")
    sheet = ItemFactory(
        code="SHEET", name="Aluminium sheet", make=False, on_hand=0, lead_time_days=40
    )
    frame = ItemFactory(code="FRAME", name="Welded frame")
    BomLineFactory(parent=frame, component=sheet, quantity_per=2)
    RoutingOperationFactory(item=frame, sequence=10, work_center=laser)
    RoutingOperationFactory(item=frame, sequence=20, work_center=weld)
    arrives = weekday_after(today, 3)
    line = PurchaseOrderLineFactory(
        purchase_order__number="PO-000042",
        purchase_order__supplier="Alu Supply Co",
        item=sheet,
        quantity=Decimal(40),
        due_date=arrives,
    )
    order = SalesOrderFactory(status=OrderStatus.VALIDATED, owner=users["sales"])
    ContactFactory(customer=order.customer, email="buyer@example.org")
    SalesOrderLineFactory(
        order=order, line_no=1, product=ProductFactory(item=frame), quantity=Decimal(10)
    )
    # Sales promises two working days after the quoted date.
    regenerate_plan(run_id=request_replan(delay=0).pk)
    quoted = order_services.order_quote_for(order=order).earliest_delivery
    order_services.order_acknowledge(
        order_id=order.pk, actor=users["sales"], promised_date=weekday_after(quoted, 2)
    )
    regenerate_plan(run_id=request_replan(delay=0).pk)

    # when: the buyer records the supplier's ten-day slip on the purchase order's page
    log_in(page, live_server, "buyer")
    expect(page.get_by_role("heading", name="Purchase orders")).to_be_visible()
    page.get_by_role("link", name="PO-000042").click()
    expect(page.get_by_test_id(f"line-{line.pk}")).to_contain_text(order.number)
    form = page.get_by_test_id("reschedule-form")
    form.get_by_label("New due date").fill((arrives + dt.timedelta(days=10)).isoformat())
    form.get_by_label("Why it moves").fill("The mill delayed the heat")
    form.get_by_role("button", name="Move the due date").click()
    expect(page.get_by_text("Due date moved; the plan is being refreshed")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("The mill delayed the heat")

    # then: after the worker's re-plan the order is late with a notice naming the material
    wait_for(
        lambda: Alert.objects.filter(
            order=order, kind=AlertKind.LATE, resolved_at__isnull=True
        ).exists()
    )
    page.context.clear_cookies()
    log_in(page, live_server, "sales")
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    notice = page.get_by_test_id("delay-notice")
    expect(notice).to_contain_text("What happened: Aluminium sheet for your order reaches us")
    expect(notice).not_to_contain_text("PO-000042")
    notice.get_by_role("button", name="Approve and send").click()
    wait_for(
        lambda: OutboxMessage.objects.filter(
            order=order, kind=MessageKind.DELAY_NOTICE, status=MessageStatus.SENT
        ).exists()
    )

    # when: the sheet arrives after all, and the buyer receives it
    page.context.clear_cookies()
    log_in(page, live_server, "buyer")
    page.goto(f"{live_server.url}/planning/purchase-orders/{line.purchase_order_id}/")
    form = page.get_by_test_id("receive-form")
    form.get_by_label("Quantity received").fill("40")
    form.get_by_label("Delivery note number").fill("DN-88120")
    form.get_by_role("button", name="Receive").click()
    expect(page.get_by_text("Goods received; the stock on hand is up")).to_be_visible()
    expect(page.get_by_test_id("po-status")).to_have_text("Received")

    # then: stock rose, the alert resolves and the customer gets the follow-up
    assert Item.objects.get(pk=sheet.pk).on_hand == 40
    wait_for(
        lambda: OutboxMessage.objects.filter(
            order=order, kind=MessageKind.RESOLVED, status=MessageStatus.SENT
        ).exists()
    )
    assert not Alert.objects.filter(
        order=order, kind=AlertKind.LATE, resolved_at__isnull=True
    ).exists()
    assert DelayNotice.objects.get(order=order).followed_up_at is not None
