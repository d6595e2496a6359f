import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from orders.models import Document, OutboxMessage, SalesOrder
from orders.states import OrderStatus as S
from tests.factories.orders import (
    CustomerFactory,
    DocumentFactory,
    OutboxMessageFactory,
    SalesOrderFactory,
)

pytestmark = pytest.mark.django_db


def test_a_contact_sees_only_their_own_companys_orders(client, users):
    # given
    mine_customer = users["customer"].contact.customer
    mine = [SalesOrderFactory(customer=mine_customer, status=s) for s in (S.ENTERED, S.SHIPPED)]
    draft = SalesOrderFactory(customer=mine_customer, status=S.DRAFT)
    theirs = [SalesOrderFactory(status=s) for s in (S.ENTERED, S.SHIPPED, S.CLOSED)]
    client.force_login(users["customer"])
    # when
    listing = client.get(reverse("portal:order_list"))
    # then
    for order in mine:
        assert order.number in listing.text
    assert draft.number not in listing.text
    for order in theirs:
        assert order.number not in listing.text
        assert client.get(reverse("portal:order_detail", args=[order.pk])).status_code == 404
    assert client.get(reverse("portal:order_detail", args=[draft.pk])).status_code == 404
    for order in mine:
        assert client.get(reverse("portal:order_detail", args=[order.pk])).status_code == 200


def test_a_portal_login_without_a_contact_is_refused(client, make_user):
    user = make_user("sales", username="lost")
    user.groups.clear()
    user.groups.add(Group.objects.get(name="customer"))
    client.force_login(user)
    assert client.get(reverse("portal:order_list")).status_code == 403


def test_every_order_document_and_message_of_another_customer_is_a_404(client, users):
    # given: another customer with orders in every visible state, each with documents
    # and sent messages
    client.force_login(users["customer"])
    other = CustomerFactory()
    orders = [SalesOrderFactory(customer=other, status=s) for s in S.values]
    documents = [DocumentFactory(order=order) for order in orders]
    sent = [OutboxMessageFactory(order=order, status="sent") for order in orders]
    mine = SalesOrderFactory(customer=users["customer"].contact.customer, status=S.SHIPPED)
    # when
    answers = [
        client.get(reverse("portal:order_detail", args=[o.pk])).status_code
        for o in SalesOrder.objects.filter(customer=other)
    ]
    answers += [
        client.get(reverse("portal:document", args=[d.order_id, d.pk])).status_code
        for d in Document.objects.filter(order__customer=other)
    ]
    # ... and also with the id of the contact's own order in the path
    answers += [
        client.get(reverse("portal:document", args=[mine.pk, d.pk])).status_code
        for d in Document.objects.filter(order__customer=other)
    ]
    answers += [
        client.get(reverse("portal:message", args=[m.order_id, m.pk])).status_code
        for m in OutboxMessage.objects.filter(order__customer=other)
    ]
    answers += [
        client.get(reverse("portal:message", args=[mine.pk, m.pk])).status_code
        for m in OutboxMessage.objects.filter(order__customer=other)
    ]
    # then
    assert len(answers) == len(orders) + 2 * len(documents) + 2 * len(sent)
    assert set(answers) == {404}


def test_drafts_and_unsent_messages_of_the_own_company_stay_hidden(client, users):
    client.force_login(users["customer"])
    customer = users["customer"].contact.customer
    draft_document = DocumentFactory(order=SalesOrderFactory(customer=customer, status=S.DRAFT))
    pending = OutboxMessageFactory(order=SalesOrderFactory(customer=customer, status=S.PLANNED))
    assert (
        client.get(
            reverse("portal:document", args=[draft_document.order_id, draft_document.pk])
        ).status_code
        == 404
    )
    message_url = reverse("portal:message", args=[pending.order_id, pending.pk])
    assert client.get(message_url).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["orders:list", "orders:new", "orders:alerts", "scheduling:board"]
)
def test_staff_pages_answer_403_to_a_contact(client, users, url_name):
    client.force_login(users["customer"])
    assert client.get(reverse(url_name)).status_code == 403
