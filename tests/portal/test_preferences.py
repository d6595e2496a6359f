import pytest
from django.urls import reverse

from orders.models import MessageKind
from orders.services.outbox import recipients_for
from tests.factories.orders import ContactFactory, SalesOrderFactory

pytestmark = pytest.mark.django_db


def test_a_contact_turns_off_delay_notices_and_stops_receiving_them(client, users):
    # given
    contact = users["customer"].contact
    colleague = ContactFactory(customer=contact.customer, is_primary=True)
    order = SalesOrderFactory(customer=contact.customer, status="planned")
    client.force_login(users["customer"])
    wanted = [k for k in MessageKind.values if k != MessageKind.DELAY_NOTICE]
    # when
    response = client.post(reverse("portal:preferences"), {"wanted_kinds": wanted})
    # then
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.wants(MessageKind.DELAY_NOTICE) is False
    assert contact.wants(MessageKind.SHIPPED) is True
    assert recipients_for(order, MessageKind.DELAY_NOTICE) == [colleague.email]
    assert set(recipients_for(order, MessageKind.SHIPPED)) == {colleague.email, contact.email}
    page = client.get(reverse("portal:preferences"))
    assert page.context["form"].initial["wanted_kinds"] == wanted


def test_an_unknown_message_kind_is_refused(client, users):
    client.force_login(users["customer"])
    response = client.post(reverse("portal:preferences"), {"wanted_kinds": ["spam"]})
    assert response.status_code == 400
    users["customer"].contact.refresh_from_db()
    assert users["customer"].contact.notification_preferences == {}


def test_extra_addresses_receive_the_messages_the_contact_wants(client, users):
    # given
    contact = users["customer"].contact
    order = SalesOrderFactory(customer=contact.customer, status="planned")
    client.force_login(users["customer"])
    # when: one typo first, then two good addresses
    refused = client.post(
        reverse("portal:preferences"),
        {"wanted_kinds": [MessageKind.SHIPPED], "extra_emails": "dock@example.org, nope"},
    )
    client.post(
        reverse("portal:preferences"),
        {
            "wanted_kinds": [MessageKind.SHIPPED],
            "extra_emails": "dock@example.org\nplanning@example.org",
        },
    )
    # then
    assert refused.status_code == 400
    assert "Not an email address: nope." in refused.text
    assert "dock@example.org, nope" in refused.text
    assert recipients_for(order, MessageKind.SHIPPED) == [
        contact.email,
        "dock@example.org",
        "planning@example.org",
    ]
