import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import DelayNotice, DelayNoticeStatus, MessageKind, OutboxMessage
from orders.services.tracking import at_risk_scan
from orders.states import OrderStatus as S
from tests.factories.orders import CustomerFactory, SalesOrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("ordercraft")
    page.get_by_role("button", name="Log in").click()


def acknowledged(days_late: int, customer_name: str, **kwargs):
    promised = timezone.localdate() + dt.timedelta(days=15)
    return SalesOrderFactory(
        **kwargs,
        customer=CustomerFactory(name=customer_name),
        status=S.ACKNOWLEDGED,
        requested_date=promised,
        projected_delivery_date=promised + dt.timedelta(days=days_late),
    )


def test_sales_approves_the_delay_notice_of_the_latest_order_from_the_board(
    page, live_server, users
):
    # given: two late orders; the scan drafts a delay notice for each
    slightly_late = acknowledged(1, "Heron Instruments")
    very_late = acknowledged(6, "Kestrel Robotics", owner=users["sales"])
    at_risk_scan()
    # when
    log_in(page, live_server, "sales")
    # the bell tells the order's owner a notice waits for approval
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    page.get_by_role("navigation").get_by_role("link", name="At risk").click()
    expect(page.get_by_role("heading", name="Orders at risk")).to_be_visible()
    rows = page.get_by_test_id("risk-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-order", very_late.number)
    expect(rows.nth(1)).to_have_attribute("data-order", slightly_late.number)
    first = rows.first
    expect(first.get_by_test_id("slack")).to_have_text("6 days late")
    first.get_by_role("button", name="Delay notice").click()
    notice = first.get_by_test_id("delay-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Delay notice waiting for approval")
    notice.get_by_role("button", name="Approve and send").click()
    # then
    row = page.locator(f"#risk-{very_late.pk}")
    expect(row.get_by_test_id("row-message")).to_contain_text("Delay notice sent")
    expect(row.get_by_role("button", name="Approve and send")).to_have_count(0)
    sent = DelayNotice.objects.get(order=very_late)
    assert sent.status == DelayNoticeStatus.SENT
    assert OutboxMessage.objects.filter(order=very_late, kind=MessageKind.DELAY_NOTICE).exists()
    assert DelayNotice.objects.get(order=slightly_late).status == DelayNoticeStatus.DRAFT
