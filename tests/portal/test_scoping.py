import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from orders.states import OrderStatus as S
from tests.factories.orders import SalesOrderFactory

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
