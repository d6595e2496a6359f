"""Quoting an order against the plan, and promising no earlier than the quote."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from orders import services
from orders.models import OrderEventKind, OrderPolicy, OutboxMessage
from orders.services.promising import QuoteLine, order_quote
from orders.states import OrderStatus as S
from orders.states import OrderType, Priority
from scheduling.models import Demand
from scheduling.selectors import plan_state_cache
from scheduling.services import regenerate_plan, request_replan
from tests.factories.orders import (
    AddressFactory,
    CustomerFactory,
    ProductFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    TransitLaneFactory,
)
from tests.factories.scheduling import (
    BomLineFactory,
    DemandFactory,
    ItemFactory,
    RoutingOperationFactory,
    WorkCenterFactory,
)

pytestmark = pytest.mark.django_db

# Monday 30 November 2026, 06:00 UTC: before the 07:00 shift.
MONDAY = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)


def day(month: int, number: int) -> dt.date:
    return dt.date(2026, month, number)


@pytest.fixture(autouse=True)
def monday():
    plan_state_cache.clear()
    with time_machine.travel(MONDAY, tick=False):
        yield
    plan_state_cache.clear()


@pytest.fixture
def plant(db):
    """Frames welded from bought sheet (none in stock); panels on a paint line that is booked
    Monday to Wednesday by a high-priority order; hinges in stock."""
    weld = WorkCenterFactory(code="WELD", name="Welding")
    paint = WorkCenterFactory(code="PAINT", name="Paint line")
    sheet = ItemFactory(
        code="SHEET", name="Aluminium sheet", make=False, on_hand=0, lead_time_days=10
    )
    frame = ItemFactory(code="FRAME", name="Welded frame", make=True, lead_time_days=0)
    BomLineFactory(parent=frame, component=sheet, quantity_per=Decimal(2))
    RoutingOperationFactory(
        item=frame, sequence=10, work_center=weld, setup_minutes=60, run_minutes_per_unit=12
    )
    panel = ItemFactory(code="PANEL", name="Panel", make=True, lead_time_days=0)
    cabinet = ItemFactory(code="CABINET", name="Cabinet", make=True, lead_time_days=0)
    for item in (panel, cabinet):
        RoutingOperationFactory(
            item=item, sequence=10, work_center=paint, setup_minutes=0, run_minutes_per_unit=10
        )
    hinge = ItemFactory(code="HINGE", name="Hinge", make=False, on_hand=100, lead_time_days=5)
    # 144 cabinets x 10 minutes: three full days of the paint line.
    DemandFactory(
        reference="SO-000001/1", item=cabinet, quantity=144, due_date=day(12, 20), priority=1
    )
    regenerate_plan(run_id=request_replan(delay=0).pk)
    TransitLaneFactory(region="Midwest", transit_days=2)
    return {
        "frame": ProductFactory(sku="FRM-900", item=frame, inspection_days=1),
        "panel": ProductFactory(sku="PNL-100", item=panel, inspection_days=1),
        "hinge": ProductFactory(sku="HNG-10", item=hinge, inspection_days=1),
        "midwest": AddressFactory(region="Midwest"),
    }


def test_a_quote_names_the_purchase_lead_time_of_a_material_as_the_reason(plant):
    # when: 10 frames need 20 sheets, and sheet takes 10 days to buy
    quote = order_quote(
        lines=[QuoteLine(1, plant["frame"], Decimal(10))],
        ship_to=plant["midwest"],
        requested_date=day(12, 24),
    )
    # then
    (line,) = quote.lines
    # Two days on the road end on Sunday 13 Dec: the customer's dock receives on Monday.
    assert (line.earliest_completion, line.earliest_ship, line.earliest_delivery) == (
        day(12, 10),
        day(12, 11),
        day(12, 14),
    )
    assert (line.reason_kind, line.reason) == (
        "lead_time",
        "Aluminium sheet must be bought: 10 days purchase lead time, arrives Thu 10 Dec",
    )
    assert line.steps == (
        "Aluminium sheet must be bought: 10 days purchase lead time, arrives Thu 10 Dec",
        "Welded frame is finished Thu 10 Dec",
        "1 day final inspection: ships Fri 11 Dec",
        "2 days transit: delivered Mon 14 Dec",
    )
    assert (quote.earliest_ship, quote.earliest_delivery, quote.too_early, quote.rush) == (
        day(12, 11),
        day(12, 14),
        False,
        None,
    )
    # and the plan is left as it was
    assert list(Demand.objects.values_list("reference", flat=True)) == ["SO-000001/1"]


def test_transit_days_to_the_ship_to_region_are_added_to_the_delivery_date(plant):
    # given
    TransitLaneFactory(region="West", transit_days=6)
    lines = [QuoteLine(1, plant["frame"], Decimal(10))]
    # when
    west = order_quote(lines=lines, ship_to=AddressFactory(region="West"), requested_date=None)
    unknown = order_quote(lines=lines, ship_to=None, requested_date=None)
    # then: ships Friday 11 December either way
    assert (west.earliest_ship, west.earliest_delivery, west.transit_days) == (
        day(12, 11),
        day(12, 17),
        6,
    )
    assert (unknown.earliest_ship, unknown.earliest_delivery, unknown.transit_days) == (
        day(12, 11),
        day(12, 14),
        3,
    )


def test_a_product_the_plant_does_not_plan_is_quoted_on_its_standard_lead_time(plant):
    product = ProductFactory(item=None, lead_time_days=10, inspection_days=1)
    quote = order_quote(
        lines=[QuoteLine(1, product, Decimal(4))], ship_to=plant["midwest"], requested_date=None
    )
    (line,) = quote.lines
    assert (line.earliest_completion, line.earliest_ship, line.earliest_delivery) == (
        day(12, 14),
        day(12, 15),
        day(12, 17),
    )
    assert (line.reason_kind, line.reason) == (
        "standard_lead_time",
        "Standard lead time 10 days: this product is not planned in the plant",
    )


def test_a_requested_date_too_early_offers_a_partial_shipment_and_a_rush(plant):
    # when: hinges are in stock; the paint line is full until Thursday
    quote = order_quote(
        lines=[QuoteLine(1, plant["hinge"], Decimal(5)), QuoteLine(2, plant["panel"], Decimal(6))],
        ship_to=plant["midwest"],
        requested_date=day(12, 4),
        priority=Priority.NORMAL,
    )
    # then
    assert [(q.line_no, q.earliest_delivery, q.in_time, q.reason) for q in quote.lines] == [
        (1, day(12, 3), True, "1 day final inspection"),
        (2, day(12, 7), False, "Paint line is full until Thu 3 Dec"),
    ]
    assert (quote.too_early, quote.earliest_delivery, quote.binding.line_no) == (
        True,
        day(12, 7),
        2,
    )
    assert [q.line_no for q in quote.lines_in_time] == [1]
    # and as a rush order the panels jump the queue
    assert (quote.rush.priority, quote.rush.earliest_delivery, quote.rush.too_early) == (
        Priority.RUSH,
        day(12, 3),
        False,
    )


def test_the_quote_button_of_the_entry_form_shows_the_dates_reasons_and_options(
    client, users, plant
):
    # given: the form as it stands, nothing saved
    client.force_login(users["sales"])
    customer = plant["midwest"].customer
    data = {
        "entry_token": str(uuid.uuid4()),
        "customer": customer.pk,
        "ship_to": plant["midwest"].pk,
        "order_type": OrderType.STANDARD,
        "requested_date": "2026-12-04",
        "lines-TOTAL_FORMS": 3,
        "lines-INITIAL_FORMS": 0,
        "lines-0-product": plant["hinge"].pk,
        "lines-0-quantity": "5",
        "lines-1-product": plant["panel"].pk,
        "lines-1-quantity": "6",
        "lines-2-product": plant["panel"].pk,
        "lines-2-quantity": "zero",
    }
    # when
    response = client.post(reverse("orders:entry_quote"), data)
    # then
    html = " ".join(response.text.split())
    assert 'data-testid="quote-delivery">Mon 7 Dec 2026<' in html
    assert "Decided by: Paint line is full until Thu 3 Dec" in html
    assert (
        "The requested date, Fri 4 Dec 2026, is earlier than we can deliver (Mon 7 Dec 2026)."
        in html
    )
    assert (
        "<strong>Partial shipment:</strong> line 1 can be delivered by Fri 4 Dec; "
        "line 2 follows Mon 7 Dec." in html
    )
    assert (
        "<strong>Rush:</strong> as a rush order (top priority) the earliest delivery is "
        "Thu 3 Dec 2026, in time." in html
    )
    assert "Not quoted: line 3, until it is filled in correctly." in html
    assert not Demand.objects.exclude(reference="SO-000001/1").exists()


@pytest.fixture
def validated(plant):
    # The deposit rule for new customers is tested with credit; here it would only interfere.
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})
    order = SalesOrderFactory(
        status=S.VALIDATED, ship_to=plant["midwest"], requested_date=day(12, 24)
    )
    SalesOrderLineFactory(order=order, line_no=1, product=plant["frame"], quantity=10)
    return order


def test_sales_cannot_promise_earlier_than_the_quote(validated, make_user):
    # when
    with pytest.raises(services.OrderError) as refused:
        services.order_acknowledge(
            order_id=validated.pk,
            actor=make_user("sales"),
            promised_date=day(12, 11),
            quoted_date=day(12, 13),
            override_reason="Customer insists",
        )
    # then
    assert refused.value.message == (
        "You cannot promise earlier than the quoted Sun 13 Dec 2026; "
        "a manager can override with a reason."
    )
    validated.refresh_from_db()
    assert (validated.status, validated.promised_date) == (S.VALIDATED, None)
    assert not validated.events.exists()
    assert not OutboxMessage.objects.exists()
    assert list(Demand.objects.values_list("reference", flat=True)) == ["SO-000001/1"]


def test_sales_may_promise_later_than_the_quote(validated, make_user):
    order = services.order_acknowledge(
        order_id=validated.pk,
        actor=make_user("sales"),
        promised_date=day(12, 18),
        quoted_date=day(12, 13),
    )
    assert (order.status, order.promised_date) == (S.ACKNOWLEDGED, day(12, 18))
    assert not order.events.filter(kind=OrderEventKind.NOTE).exists()


@pytest.fixture
def sales_manager(make_user):
    """A manager who also acknowledges orders (the manager role alone cannot)."""
    user = make_user("sales", username="sales-manager")
    user.groups.add(*make_user("manager", username="manager").groups.all())
    return user


def test_a_manager_overrides_the_quote_with_a_reason_on_the_timeline(validated, sales_manager):
    # when
    order = services.order_acknowledge(
        order_id=validated.pk,
        actor=sales_manager,
        promised_date=day(12, 11),
        quoted_date=day(12, 13),
        override_reason="Sheet pulled from the Keller order; agreed with purchasing",
    )
    # then
    assert (order.status, order.first_promised_date, order.promised_date) == (
        S.ACKNOWLEDGED,
        day(12, 11),
        day(12, 11),
    )
    event = order.events.get(kind=OrderEventKind.NOTE)
    assert (event.actor, event.note, event.data) == (
        sales_manager,
        "Promised before the quoted date: "
        "Sheet pulled from the Keller order; agreed with purchasing",
        {"override": True, "quoted": "2026-12-13", "promised": "2026-12-11"},
    )
    assert OutboxMessage.objects.filter(order=order).count() == 1


def test_a_manager_override_needs_a_reason(validated, sales_manager):
    with pytest.raises(services.OrderError) as refused:
        services.order_acknowledge(
            order_id=validated.pk,
            actor=sales_manager,
            promised_date=day(12, 11),
            quoted_date=day(12, 13),
            override_reason="  ",
        )
    assert refused.value.message == "Say why you promise earlier than the quoted Sun 13 Dec 2026."
    validated.refresh_from_db()
    assert validated.status == S.VALIDATED


def test_the_order_page_prefills_the_promise_with_the_quote_and_checks_it(client, users, validated):
    # given
    client.force_login(users["sales"])
    # when: the page's quote block loads
    block = client.post(reverse("orders:quote", args=[validated.pk]))
    # then
    html = " ".join(block.text.split())
    assert 'name="promised_date" required value="2026-12-14"' in html
    assert "Aluminium sheet must be bought: 10 days purchase lead time" in html
    # when: sales promises two days earlier than quoted
    refused = client.post(
        reverse("orders:promise", args=[validated.pk]),
        {"expected_status": S.VALIDATED, "promised_date": "2026-12-11"},
    )
    # then
    assert refused.status_code == 409
    assert (
        "You cannot promise earlier than the quoted Mon 14 Dec 2026; "
        "a manager can override with a reason."
    ) in refused.text
    assert 'value="2026-12-11"' in refused.text
    # when: the quoted date
    accepted = client.post(
        reverse("orders:promise", args=[validated.pk]),
        {"expected_status": S.VALIDATED, "promised_date": "2026-12-14"},
    )
    # then
    assert accepted.status_code == 302
    validated.refresh_from_db()
    assert (validated.status, validated.promised_date) == (S.ACKNOWLEDGED, day(12, 14))


def test_an_unplanned_customer_is_quoted_from_an_unsaved_new_ship_to(client, users, plant):
    # given: a new ship-to typed on the form, in a region 6 days away
    client.force_login(users["sales"])
    TransitLaneFactory(region="West", transit_days=6)
    data = {
        "customer": CustomerFactory().pk,
        "ship_to": "new",
        "ship_region": "West",
        "order_type": OrderType.STANDARD,
        "lines-TOTAL_FORMS": 1,
        "lines-INITIAL_FORMS": 0,
        "lines-0-product": plant["frame"].pk,
        "lines-0-quantity": "10",
    }
    # when
    response = client.post(reverse("orders:entry_quote"), data)
    # then
    assert 'data-testid="quote-delivery">Thu 17 Dec 2026<' in response.text
    assert "6 days transit" in response.text
