import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import SalesOrder
from orders.states import OrderStatus as S
from orders.states import OrderType
from tests.factories.orders import CustomerFactory, SalesOrderFactory, SalesOrderLineFactory

pytestmark = pytest.mark.django_db


def order_numbers(response) -> list[str]:
    return re.findall(r'href="/orders/\d+/">(SO-\d+)</a>', response.text)


def make_orders(count: int) -> None:
    for _ in range(count):
        SalesOrderLineFactory.create_batch(2, order=SalesOrderFactory(status=S.ACKNOWLEDGED))


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("orders:list"))
    assert response.status_code == 200
    return len(queries)


def test_the_order_list_costs_the_same_queries_at_10_and_200_orders(client, users):
    # given
    client.force_login(users["sales"])
    make_orders(10)
    at_10 = list_queries(client)
    make_orders(190)
    # when
    at_200 = list_queries(client)
    # then
    assert at_10 == at_200
    assert at_200 <= 8


def test_the_order_list_searches_by_number_customer_and_po(client, users):
    # given
    client.force_login(users["sales"])
    acme = SalesOrderFactory(customer=CustomerFactory(name="Acme Fixtures"), customer_po="PO-1")
    other = SalesOrderFactory(customer=CustomerFactory(name="Borealis"), customer_po="X-77")
    url = reverse("orders:list")
    # when / then
    assert order_numbers(client.get(url, {"q": acme.number})) == [acme.number]
    assert order_numbers(client.get(url, {"q": "acme"})) == [acme.number]
    assert order_numbers(client.get(url, {"q": "x-77"})) == [other.number]


def test_the_order_list_filters_by_status_type_and_date_range(client, users):
    # given
    client.force_login(users["sales"])
    held = SalesOrderFactory(status=S.ON_HOLD, order_type=OrderType.RUSH)
    shipped = SalesOrderFactory(status=S.SHIPPED, promised_date=dt.date(2026, 12, 1))
    SalesOrderFactory(status=S.SHIPPED, promised_date=dt.date(2027, 1, 15))
    url = reverse("orders:list")
    # when / then
    assert order_numbers(client.get(url, {"status": S.ON_HOLD})) == [held.number]
    assert order_numbers(client.get(url, {"order_type": OrderType.RUSH})) == [held.number]
    in_december = client.get(
        url,
        {"date_field": "promised_date", "date_from": "2026-12-01", "date_to": "2026-12-31"},
    )
    assert order_numbers(in_december) == [shipped.number]


def test_the_order_list_is_sorted_and_paged(client, users):
    # given
    client.force_login(users["sales"])
    for _ in range(30):
        SalesOrderFactory()
    numbers = sorted(SalesOrder.objects.values_list("number", flat=True))
    url = reverse("orders:list")
    # when
    first = client.get(url, {"sort": "number"})
    second = client.get(url, {"sort": "number", "page": 2})
    # then
    assert order_numbers(first) == numbers[:25]
    assert order_numbers(second) == numbers[25:]
    assert "30 orders · page 1 of 2" in first.text


def test_htmx_requests_get_only_the_table(client, users):
    client.force_login(users["sales"])
    SalesOrderFactory()
    response = client.get(reverse("orders:list"), headers={"HX-Request": "true"})
    assert 'data-testid="order-table"' in response.text
    assert "<nav" in response.text  # the pager
    assert "<html" not in response.text


def test_the_order_page_offers_only_the_buttons_the_role_may_press(client, users):
    # given
    order = SalesOrderFactory(status=S.VALIDATED)
    SalesOrderLineFactory(order=order)
    url = reverse("orders:detail", args=[order.pk])
    buttons = {}
    for role in ["sales", "credit", "planner", "manager"]:
        client.force_login(users[role])
        # when
        response = client.get(url)
        buttons[role] = re.findall(r'data-transition="(\w+)"', response.text)
    # then
    assert buttons == {
        "sales": ["hold", "acknowledge", "cancel"],
        "credit": ["hold"],
        "planner": [],
        "manager": ["hold", "acknowledge", "cancel"],
    }


def test_pressing_a_button_moves_the_order_and_shows_it_on_the_timeline(client, users):
    # given
    order = SalesOrderFactory(status=S.ENTERED)
    client.force_login(users["sales"])
    # when
    response = client.post(
        reverse("orders:transition", args=[order.pk, "validate"]),
        {"expected_status": S.ENTERED, "note": ""},
        follow=True,
    )
    # then
    order.refresh_from_db()
    assert order.status == S.VALIDATED
    assert f"{order.number}: Validate — now validated." in response.text
    timeline = re.search(r'data-testid="timeline">(.*?)</ol>', response.text, re.S).group(1)
    assert "Validate" in timeline
    assert users["sales"].get_full_name() in timeline


def test_the_loser_of_a_race_is_told_to_reload_and_keeps_the_note(client, users):
    # given: sales opened the validated order; credit put it on hold meanwhile
    order = SalesOrderFactory(status=S.VALIDATED)
    client.force_login(users["credit"])
    client.post(
        reverse("orders:transition", args=[order.pk, "hold"]),
        {"expected_status": S.VALIDATED, "note": "over the limit"},
    )
    client.force_login(users["sales"])
    # when
    response = client.post(
        reverse("orders:transition", args=[order.pk, "cancel"]),
        {"expected_status": S.VALIDATED, "note": "customer found another supplier"},
    )
    # then
    assert response.status_code == 409
    assert "This order was changed by someone else; reload it and try again." in response.text
    assert "customer found another supplier</textarea>" in response.text
    order.refresh_from_db()
    assert order.status == S.ON_HOLD
    assert order.events.count() == 1


def test_a_refused_transition_is_explained(client, users):
    order = SalesOrderFactory(status=S.DRAFT)
    client.force_login(users["sales"])
    response = client.post(reverse("orders:transition", args=[order.pk, "acknowledge"]))
    assert response.status_code == 409
    assert f"{order.number} cannot acknowledge while it is draft." in response.text


def test_an_unknown_order_is_a_404_not_a_500(client, users):
    client.force_login(users["sales"])
    assert client.get(reverse("orders:detail", args=[999999])).status_code == 404
    response = client.post(reverse("orders:transition", args=[999999, "submit"]))
    assert response.status_code == 404


def test_the_filter_form_as_the_browser_sends_it_finds_orders(client, users):
    # given: an untouched form sends every field, most of them empty
    client.force_login(users["sales"])
    order = SalesOrderFactory(status=S.PLANNED)
    SalesOrderFactory(status=S.CLOSED)
    blank = {
        "q": "",
        "status": "",
        "order_type": "",
        "date_field": "promised_date",
        "date_from": "",
        "date_to": "",
        "sort": "",
    }
    # when / then
    assert len(order_numbers(client.get(reverse("orders:list"), blank))) == 2
    assert order_numbers(client.get(reverse("orders:list"), {**blank, "status": "open"})) == [
        order.number
    ]


def test_completion_and_inspection_are_left_to_their_own_pages(client, users):
    # given: production sees no Complete button, and posting it anyway is refused
    order = SalesOrderFactory(status=S.IN_PRODUCTION)
    client.force_login(users["production"])
    page = client.get(reverse("orders:detail", args=[order.pk]))
    assert 'data-transition="complete"' not in page.text
    # when
    response = client.post(reverse("orders:transition", args=[order.pk, "complete"]))
    # then
    assert response.status_code == 409
    assert "use the completion check, the final inspection, packing" in response.text
    order.refresh_from_db()
    assert order.status == S.IN_PRODUCTION


@pytest.mark.parametrize(
    ("status", "transition", "role"),
    [
        (S.QUALITY_RELEASED, "pack", "shipping"),
        (S.PACKED, "ship", "shipping"),
        (S.SHIPPED, "deliver", "shipping"),
        (S.DELIVERED, "close", "sales"),
    ],
)
def test_packing_shipping_and_delivery_steps_have_their_own_checks(
    client, users, status, transition, role
):
    # given: the generic transition would skip packages, documents and proof of delivery
    order = SalesOrderFactory(status=status)
    client.force_login(users[role])
    assert (
        f'data-transition="{transition}"'
        not in client.get(reverse("orders:detail", args=[order.pk])).text
    )
    # when
    response = client.post(reverse("orders:transition", args=[order.pk, transition]))
    # then
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == status
