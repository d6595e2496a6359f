import pytest
from playwright.sync_api import expect

from orders.states import OrderStatus as S
from tests.factories.orders import CustomerFactory, SalesOrderFactory, SalesOrderLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("ordercraft")
    page.get_by_role("button", name="Log in").click()


def test_sales_searches_an_order_and_opens_it(page, live_server, users):
    # given
    wanted = SalesOrderFactory(
        customer=CustomerFactory(name="Kestrel Robotics"), status=S.VALIDATED
    )
    SalesOrderLineFactory(order=wanted)
    SalesOrderFactory.create_batch(3, customer=CustomerFactory(name="Other Works"))
    # when
    log_in(page, live_server, "sales")
    expect(page.get_by_role("heading", name="Orders")).to_be_visible()
    page.get_by_placeholder("Order, customer or PO number").fill("kestrel")
    table = page.get_by_test_id("order-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    table.get_by_role("link", name=wanted.number).click()
    # then
    expect(page.get_by_test_id("order-number")).to_have_text(wanted.number)
    expect(page.locator(".status-badge").first).to_have_text("Validated")
    actions = page.get_by_test_id("actions")
    expect(actions.get_by_role("button", name="Acknowledge")).to_be_visible()
    expect(actions.get_by_role("button", name="Release to production")).to_have_count(0)
