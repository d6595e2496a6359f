import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from orders.states import OrderStatus as S
from portal import api
from portal.models import ApiToken
from tests.factories.orders import CustomerFactory, SalesOrderFactory, SalesOrderLineFactory
from tests.factories.portal import ApiTokenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_feed_lists_the_tokens_customers_orders_with_dates(client):
    # given
    customer = CustomerFactory()
    ApiTokenFactory(customer=customer, raw="oc_mine")
    order = SalesOrderFactory(
        customer=customer,
        status=S.SHIPPED,
        customer_po="PO-1",
        promised_date=dt.date(2030, 4, 1),
        projected_delivery_date=dt.date(2030, 3, 30),
    )
    SalesOrderFactory(customer=customer, status=S.DRAFT)
    SalesOrderFactory(status=S.SHIPPED)
    # when
    response = client.get(reverse("portal:api_order_list"), **bearer("oc_mine"))
    # then
    assert response.status_code == 200
    [row] = response.json()["orders"]
    assert (row["id"], row["number"], row["status"], row["stage"]) == (
        order.pk,
        order.number,
        "shipped",
        "Shipped",
    )
    assert (row["promised_date"], row["projected_delivery_date"], row["on_time"]) == (
        "2030-04-01",
        "2030-03-30",
        True,
    )


def test_the_feed_gives_one_order_with_lines(client):
    customer = CustomerFactory()
    ApiTokenFactory(customer=customer, raw="oc_mine")
    order = SalesOrderFactory(customer=customer, status=S.PLANNED)
    line = SalesOrderLineFactory(order=order, line_no=1)
    response = client.get(reverse("portal:api_order_detail", args=[order.pk]), **bearer("oc_mine"))
    assert response.status_code == 200
    assert response.json()["number"] == order.number
    assert response.json()["lines"][0]["sku"] == line.product.sku


@pytest.mark.parametrize(
    "header",
    [{}, bearer("oc_wrong"), {"HTTP_AUTHORIZATION": "Token oc_mine"}, bearer("")],
)
def test_the_feed_refuses_without_a_valid_token(client, header):
    ApiTokenFactory(raw="oc_mine")
    response = client.get(reverse("portal:api_order_list"), **header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_every_order_of_another_customer_is_404_through_the_feed(client):
    # given
    ApiTokenFactory(customer=CustomerFactory(), raw="oc_mine")
    other = CustomerFactory()
    for status in S.values:
        SalesOrderFactory(customer=other, status=status)
    # when
    answers = [
        client.get(reverse("portal:api_order_detail", args=[pk]), **bearer("oc_mine")).status_code
        for pk in other.orders.values_list("pk", flat=True)
    ]
    # then
    assert answers == [404] * len(S.values)


def test_a_contact_creates_and_revokes_a_token(client, users):
    # given
    client.force_login(users["customer"])
    customer = users["customer"].contact.customer
    SalesOrderFactory(customer=customer, status=S.ACKNOWLEDGED)
    # when
    created = client.post(reverse("portal:api_tokens"), {"name": "ERP"})
    raw = created.context["new_key"]
    before = client.get(reverse("portal:api_order_list"), **bearer(raw))
    token = ApiToken.objects.get()
    revoked = client.post(reverse("portal:api_token_revoke", args=[token.pk]))
    after = client.get(reverse("portal:api_order_list"), **bearer(raw))
    # then
    assert (token.customer, token.name, token.hint) == (customer, "ERP", raw[:8])
    assert raw not in token.key_hash
    assert before.status_code == 200
    assert len(before.json()["orders"]) == 1
    assert revoked.status_code == 302
    assert after.status_code == 401


def test_a_contact_cannot_revoke_another_customers_token(client, users):
    client.force_login(users["customer"])
    theirs = ApiTokenFactory(raw="oc_theirs")
    response = client.post(reverse("portal:api_token_revoke", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_feed_is_rate_limited_per_token(client, monkeypatch):
    monkeypatch.setattr(api, "RATE_LIMIT_PER_MINUTE", 3)
    ApiTokenFactory(raw="oc_mine")
    answers = [
        client.get(reverse("portal:api_order_list"), **bearer("oc_mine")).status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_sales_creates_and_revokes_a_customers_token(client, users):
    # given
    customer = users["customer"].contact.customer
    client.force_login(users["sales"])
    url = reverse("portal:staff_api_tokens", args=[customer.pk])
    # when
    empty = client.post(url, {"name": ""})
    created = client.post(url, {"name": "ERP import"})
    token = ApiToken.objects.get(customer=customer)
    key = re.search(r"<code>(oc_[^<]+)</code>", created.text).group(1)
    # then: the key works for the feed until it is revoked
    assert empty.status_code == 400
    assert (
        client.get(
            reverse("portal:api_order_list"), headers={"Authorization": f"Bearer {key}"}
        ).status_code
        == 200
    )
    client.post(reverse("portal:staff_api_token_revoke", args=[customer.pk, token.pk]))
    assert (
        client.get(
            reverse("portal:api_order_list"), headers={"Authorization": f"Bearer {key}"}
        ).status_code
        == 401
    )
