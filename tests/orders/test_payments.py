import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import InvoiceStatus, OrderEvent, OrderEventKind, Payment
from orders.services.credit import credit_position
from tests.factories.orders import (
    CreditNoteFactory,
    CustomerFactory,
    InvoiceFactory,
    SalesOrderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(db):
    customer = CustomerFactory(credit_limit=Decimal("5000"))
    order = SalesOrderFactory(customer=customer, status="shipped")
    return InvoiceFactory(customer=customer, order=order, amount=Decimal("1200.00"))


def _pay(client, invoice, amount, **extra):
    return client.post(
        reverse("orders:payment_record", args=[invoice.pk]),
        {"amount": amount, "received_on": timezone.localdate().isoformat(), **extra},
    )


def test_a_part_payment_lowers_what_is_owed_and_the_credit_exposure(client, users, invoice):
    # given
    client.force_login(users["credit"])
    assert credit_position(customer=invoice.customer).unpaid_invoices == Decimal("1200.00")
    # when
    response = _pay(client, invoice, "500.00", reference="BANK-7781")
    # then
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.paid_amount, invoice.open_amount, invoice.status) == (
        Decimal("500.00"),
        Decimal("700.00"),
        InvoiceStatus.OPEN,
    )
    assert credit_position(customer=invoice.customer).unpaid_invoices == Decimal("700.00")
    note = OrderEvent.objects.get(order=invoice.order, kind=OrderEventKind.NOTE)
    assert note.note == f"Payment of 500.00 received on {invoice.number} (BANK-7781)."


def test_the_last_payment_marks_the_invoice_paid(client, users, invoice):
    client.force_login(users["credit"])
    CreditNoteFactory(invoice=invoice, amount=Decimal("200.00"))
    invoice.credited_amount = Decimal("200.00")
    invoice.save()
    _pay(client, invoice, "1000.00")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert credit_position(customer=invoice.customer).unpaid_invoices == Decimal("0")
    page = client.get(reverse("orders:invoice_detail", args=[invoice.pk])).text
    assert 'data-testid="invoice-status">Paid<' in page


def test_paying_more_than_is_open_is_refused_next_to_the_amount(client, users, invoice):
    client.force_login(users["credit"])
    response = _pay(client, invoice, "1500.00", reference="CHQ 1029")
    assert response.status_code == 400
    assert f"1,500.00 is more than the 1,200.00 still open on {invoice.number}." in response.text
    assert 'value="CHQ 1029"' in response.text
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("amount", ["abc", "-5", "0"])
def test_nonsense_amounts_are_refused_without_a_500(client, users, invoice, amount):
    client.force_login(users["credit"])
    response = _pay(client, invoice, amount)
    assert response.status_code == 400
    assert Payment.objects.count() == 0


def test_a_payment_dated_tomorrow_is_refused(client, users, invoice):
    client.force_login(users["credit"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("orders:payment_record", args=[invoice.pk]),
        {"amount": "10", "received_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "A payment cannot be received in the future." in response.text


def test_sales_sees_invoices_but_cannot_record_payments(client, users, invoice):
    client.force_login(users["sales"])
    page = client.get(reverse("orders:invoice_detail", args=[invoice.pk])).text
    assert "Record a payment" not in page
    assert _pay(client, invoice, "10").status_code == 403


def test_the_invoice_list_filters_overdue_and_searches(client, users, invoice):
    # given
    overdue = InvoiceFactory(due_on=timezone.localdate() - dt.timedelta(days=3))
    paid = InvoiceFactory(status=InvoiceStatus.PAID)
    client.force_login(users["credit"])
    url = reverse("orders:invoice_list")

    def listed(**params) -> list[str]:
        return [i.number for i in client.get(url, params).context["page"].object_list]

    # then
    assert listed(show="overdue") == [overdue.number]
    assert sorted(listed(show="open")) == sorted([invoice.number, overdue.number])
    assert listed(show="paid") == [paid.number]
    assert listed(show="all", q=invoice.order.number) == [invoice.number]


def test_the_invoice_list_costs_the_same_queries_for_many_invoices(
    client, users, django_assert_max_num_queries
):
    InvoiceFactory.create_batch(30, order=SalesOrderFactory())
    client.force_login(users["credit"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orders:invoice_list"))
    assert len(response.context["page"].object_list) == 25
