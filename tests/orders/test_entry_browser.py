import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import OrderPolicy, SalesOrder
from orders.services.promising import QuoteLine, order_quote
from orders.states import OrderStatus as S
from scheduling.models import PlanRunStatus
from scheduling.selectors import plan_state_cache
from scheduling.services import regenerate_plan
from tests.factories.orders import (
    AddressFactory,
    CustomerFactory,
    ProductFactory,
    TransitLaneFactory,
)
from tests.factories.scheduling import (
    BomLineFactory,
    ItemFactory,
    PlanRunFactory,
    RoutingOperationFactory,
    WorkCenterFactory,
)
from tests.orders.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HTMX_ADDED = re.compile(r"\bhtmx-added\b")


@pytest.fixture
def shop(users):
    """A welded frame made from sheet that must be bought, brackets in stock, a plan."""
    plan_state_cache.clear()
    # A new customer's deposit is credit's business, tested there.
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})
    customer = CustomerFactory(code="KES01", name="Kestrel Robotics")
    CustomerFactory(code="OTH01", name="Other Works")
    TransitLaneFactory(region="Midwest", transit_days=2)
    sheet = ItemFactory(code="SHEET", name="Stainless sheet", make=False, lead_time_days=10)
    frame = ItemFactory(code="FRAME", name="Welded frame", make=True, lead_time_days=0)
    BomLineFactory(parent=frame, component=sheet, quantity_per=Decimal(2))
    RoutingOperationFactory(
        item=frame,
        sequence=10,
        work_center=WorkCenterFactory(code="WELD", name="Welding"),
        setup_minutes=60,
        run_minutes_per_unit=12,
    )
    brackets = ItemFactory(code="BRK", name="Bracket", make=False, on_hand=Decimal(1000))
    # A plan run of its own: request_replan would also queue a worker task.
    regenerate_plan(run_id=PlanRunFactory(status=PlanRunStatus.PENDING).pk)
    yield {
        "customer": customer,
        "ship_to": AddressFactory(customer=customer, name="Kestrel plant 2", region="Midwest"),
        "bracket": ProductFactory(sku="BRK-200", family="Brackets", item=brackets),
        "frame": ProductFactory(sku="FRM-900", family="Welded frames", item=frame, custom=True),
    }
    plan_state_cache.clear()


def test_sales_enters_a_custom_order_with_specs_quotes_it_and_acknowledges_it(
    page, live_server, shop
):
    # given: what the plan can promise for these lines (sheet takes ten days to buy)
    requested = timezone.localdate() + dt.timedelta(days=60)
    expected = order_quote(
        lines=[QuoteLine(1, shop["bracket"], Decimal(40)), QuoteLine(2, shop["frame"], Decimal(4))],
        ship_to=shop["ship_to"],
        requested_date=requested,
    )
    quoted = expected.earliest_delivery
    quoted_text = f"{quoted:%a} {quoted.day} {quoted:%b %Y}"
    log_in(page, live_server, "sales")
    # when: sales opens a new order and finds the customer by typing
    page.get_by_test_id("main-nav").get_by_role("link", name="New order").click()
    page.locator("#customer-search").fill("kest")
    options = page.get_by_test_id("customer-option")
    expect(options).to_have_count(1)
    options.click()
    expect(page.get_by_test_id("chosen-customer")).to_have_text("KES01 · Kestrel Robotics")
    page.locator("#id_ship_to").select_option(str(shop["ship_to"].pk))
    page.locator("#id_customer_po").fill("PO-4471")
    page.locator("#id_order_type").select_option("custom")
    page.locator("#id_requested_date").fill(requested.isoformat())
    # a catalog line, then a custom line whose spec fields appear with the product
    page.locator("#id_lines-0-product").select_option(str(shop["bracket"].pk))
    page.locator("#id_lines-0-quantity").fill("40")
    page.get_by_role("button", name="Add line").click()
    # htmx wires up a new row as it settles; choosing before that would go unheard
    expect(page.locator("#lines-1")).not_to_have_class(HTMX_ADDED)
    page.locator("#id_lines-1-product").select_option(str(shop["frame"].pk))
    line = page.locator("#lines-1")
    expect(line.get_by_label("Length nominal")).to_be_visible()
    expect(line.locator("#id_lines-1-unit_price")).to_have_value("12.50")
    line.locator("#id_lines-1-quantity").fill("4")
    line.get_by_label("Length nominal").fill("1200")
    line.get_by_label("Length + tol").fill("0.5")
    line.get_by_label("Length \u2212 tol").fill("0.5")
    line.locator("#id_lines-1-spec__material").select_option("304 SS")
    line.locator("#id_lines-1-spec__finish").fill("Powder coat RAL 7035")
    # a third line added by mistake and removed again
    page.get_by_role("button", name="Add line").click()
    page.locator("#lines-2").get_by_role("button", name="Remove").click()
    expect(page.locator("#lines-2")).to_be_hidden()
    # and asks for a quote before saving
    page.get_by_role("button", name="Quote", exact=True).click()
    # then: the date and the reason in plain words
    expect(page.get_by_test_id("quote-delivery")).to_have_text(quoted_text)
    expect(page.get_by_test_id("quote-reason")).to_contain_text(
        "Decided by: Stainless sheet must be bought: 10 days purchase lead time, arrives "
    )
    expect(page.get_by_test_id("quote-warning")).to_have_count(0)
    # when: saved and submitted
    page.get_by_role("button", name="Save and submit").click()
    # then
    expect(page.locator(".status-badge").first).to_have_text("Entered")
    order = SalesOrder.objects.get()
    expect(page.get_by_test_id("order-number")).to_have_text(order.number)
    assert [
        (line.line_no, line.product.sku, line.quantity, line.specs)
        for line in order.lines.select_related("product")
    ] == [
        (1, "BRK-200", Decimal("40.000"), {}),
        (
            2,
            "FRM-900",
            Decimal("4.000"),
            {
                "length": {"nominal": 1200, "tol_plus": 0.5, "tol_minus": 0.5},
                "material": "304 SS",
                "finish": "Powder coat RAL 7035",
            },
        ),
    ]
    # when: validated, then acknowledged with the quoted date the page fills in
    actions = page.get_by_test_id("actions")
    actions.get_by_role("button", name="Validate").click()
    expect(page.locator(".status-badge").first).to_have_text("Validated")
    expect(page.locator("#promised-date")).to_have_value(quoted.isoformat())
    expect(page.get_by_test_id("promise").get_by_test_id("quote-delivery")).to_have_text(
        quoted_text
    )
    page.get_by_test_id("actions").get_by_role("button", name="Acknowledge").click()
    # then
    expect(page.locator(".status-badge").first).to_have_text("Acknowledged")
    order.refresh_from_db()
    assert (order.status, order.promised_date, order.first_promised_date) == (
        S.ACKNOWLEDGED,
        quoted,
        quoted,
    )
