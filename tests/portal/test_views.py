import pytest
from django.urls import reverse

from orders.models import DocumentKind, MessageKind
from orders.states import OrderStatus as S
from tests.factories.orders import (
    CustomerFactory,
    DocumentFactory,
    OutboxMessageFactory,
    SalesOrderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_client(client, users):
    client.force_login(users["customer"])
    return client


@pytest.fixture
def customer(users):
    return users["customer"].contact.customer


def _listed(response) -> list[str]:
    return [order.number for order in response.context["orders"]]


def test_the_list_filters_open_shipped_and_history(contact_client, customer):
    # given
    open_order = SalesOrderFactory(customer=customer, status=S.IN_PRODUCTION)
    shipped = SalesOrderFactory(customer=customer, status=S.SHIPPED)
    closed = SalesOrderFactory(customer=customer, status=S.CLOSED)
    url = reverse("portal:order_list")
    # when
    answers = {show: _listed(contact_client.get(url, {"show": show})) for show in ("", "open")}
    answers["shipped"] = _listed(contact_client.get(url, {"show": "shipped"}))
    answers["history"] = _listed(contact_client.get(url, {"show": "history"}))
    # then
    assert set(answers[""]) == {open_order.number, shipped.number, closed.number}
    assert answers["open"] == [open_order.number]
    assert answers["shipped"] == [shipped.number]
    assert answers["history"] == [closed.number]


def test_the_list_searches_by_po_and_pages_by_twenty(contact_client, customer):
    # given
    for _ in range(21):
        SalesOrderFactory(customer=customer, status=S.ACKNOWLEDGED)
    wanted = SalesOrderFactory(customer=customer, status=S.PLANNED, customer_po="PO-7781")
    url = reverse("portal:order_list")
    # when
    found = contact_client.get(url, {"q": "7781"})
    first_page = contact_client.get(url)
    second_page = contact_client.get(url, {"page": 2})
    # then
    assert _listed(found) == [wanted.number]
    assert len(_listed(first_page)) == 20
    assert len(_listed(second_page)) == 2


def test_an_order_at_risk_is_marked_in_the_list(contact_client, customer):
    # given
    late = SalesOrderFactory(
        customer=customer,
        status=S.PLANNED,
        promised_date="2030-03-01",
        projected_delivery_date="2030-03-09",
    )
    # when
    response = contact_client.get(reverse("portal:order_list"))
    # then
    assert late.number in response.text
    assert "Late</span>" in response.text


def test_the_order_page_speaks_plain_language_and_shows_documents_and_sent_messages(
    contact_client, customer
):
    # given
    order = SalesOrderFactory(customer=customer, status=S.IN_PRODUCTION)
    DocumentFactory(order=order, kind=DocumentKind.ACKNOWLEDGMENT, revision=1)
    newest = DocumentFactory(order=order, kind=DocumentKind.ACKNOWLEDGMENT, revision=2)
    OutboxMessageFactory(
        order=order, status="sent", subject="Your order is confirmed", body="We will ship soon."
    )
    OutboxMessageFactory(
        order=order, status="pending", kind=MessageKind.DELAY_NOTICE, subject="Not yet sent"
    )
    # when
    response = contact_client.get(reverse("portal:order_detail", args=[order.pk]))
    # then
    assert response.context["progress"]["stage"] == "In production"
    assert [s["done"] for s in response.context["progress"]["steps"]] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert response.context["documents"] == [newest]
    assert [m.subject for m in response.context["sent_messages"]] == ["Your order is confirmed"]
    assert "We will ship soon." in response.text
    assert "Not yet sent" not in response.text


def test_a_contact_downloads_their_document(contact_client, customer):
    # given
    document = DocumentFactory(order=SalesOrderFactory(customer=customer, status=S.ACKNOWLEDGED))
    # when
    response = contact_client.get(reverse("portal:document", args=[document.order_id, document.pk]))
    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert f'filename="{document.filename}"' in response["Content-Disposition"]


def test_the_order_page_costs_a_constant_number_of_queries(
    contact_client, customer, django_assert_max_num_queries
):
    order = SalesOrderFactory(customer=customer, status=S.SHIPPED)
    for revision in range(1, 6):
        DocumentFactory(order=order, revision=revision)
        OutboxMessageFactory(order=order, status="sent", revision=revision)
    with django_assert_max_num_queries(15):
        contact_client.get(reverse("portal:order_detail", args=[order.pk]))


def test_another_customers_empty_list_stays_empty(contact_client):
    SalesOrderFactory(customer=CustomerFactory(), status=S.SHIPPED)
    assert _listed(contact_client.get(reverse("portal:order_list"))) == []


def test_the_list_costs_a_constant_number_of_queries(
    contact_client, customer, django_assert_max_num_queries
):
    for _ in range(15):
        SalesOrderFactory(customer=customer, status=S.PLANNED)
    with django_assert_max_num_queries(10):
        contact_client.get(reverse("portal:order_list"))
