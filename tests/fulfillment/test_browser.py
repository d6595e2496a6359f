import pytest
from playwright.sync_api import expect

from orders.states import OrderStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("ordercraft")
    page.get_by_role("button", name="Log in").click()


def test_quality_corrects_a_typo_and_releases_the_order(page, live_server, users, make_order):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    log_in(page, live_server, "quality")
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.get_by_test_id("fulfillment-link").click()
    length = page.get_by_label("Line 1: Length", exact=True)
    # when: letters in the measured value
    length.fill("12O.05")
    for key in ("material_certificate", "finish_cosmetics", "packaging_marking"):
        page.locator(f'tr[data-key="{key}"]').get_by_label("Pass").check()
    page.get_by_role("button", name="Record inspection").click()
    # then: the error is beside the field and the typed value is kept
    expect(page.get_by_test_id("inspection-error")).to_be_visible()
    expect(page.get_by_text("Enter a number, e.g. 120.02.")).to_be_visible()
    expect(length).to_have_value("12O.05")
    # when: corrected
    length.fill("120.05")
    page.get_by_role("button", name="Record inspection").click()
    # then
    expect(page.get_by_text("passed final inspection and is released")).to_be_visible()
    expect(page.get_by_test_id("signature")).to_contain_text("Quality release signed by")
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_RELEASED
