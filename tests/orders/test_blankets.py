"""Blanket agreements: releases draw them down and are refused past what is left."""

import datetime as dt
from decimal import Decimal

import pytest

from orders import services
from orders.models import BlanketAgreement
from orders.states import OrderStatus as S
from orders.states import OrderType
from tests.factories.orders import (
    BlanketAgreementFactory,
    ProductFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

pytestmark = pytest.mark.django_db


def release(agreement, quantity, status=S.DRAFT, product=None, **kwargs):
    order = SalesOrderFactory(
        customer=agreement.customer,
        order_type=OrderType.BLANKET_RELEASE,
        blanket=agreement,
        status=status,
        **kwargs,
    )
    SalesOrderLineFactory(
        order=order, product=product or agreement.product, quantity=Decimal(quantity)
    )
    return order


@pytest.fixture
def agreement():
    return BlanketAgreementFactory(
        number="BA-000007",
        total_quantity=Decimal(1000),
        valid_from=dt.date(2026, 10, 1),
        valid_to=dt.date(2027, 3, 31),
    )


def test_the_balance_counts_released_and_shipped_releases(agreement):
    # given
    release(agreement, 300, S.SHIPPED)
    release(agreement, 200, S.ACKNOWLEDGED)
    release(agreement, 100, S.CLOSED)
    release(agreement, 999, S.DRAFT)  # not handed in: draws nothing yet
    release(agreement, 999, S.CANCELLED)
    # when
    balance = services.blanket_balance(agreement=agreement)
    # then
    assert (balance.released, balance.shipped, balance.remaining) == (
        Decimal("600.000"),
        Decimal("400.000"),
        Decimal("400.000"),
    )


def test_a_release_beyond_what_is_left_is_refused(agreement, make_user):
    release(agreement, 700, S.ACKNOWLEDGED)
    order = release(agreement, 400, requested_date=dt.date(2026, 12, 15))
    with pytest.raises(services.OrderError) as refused:
        services.order_transition(order_id=order.pk, transition="submit", actor=make_user("sales"))
    assert refused.value.message == (
        "Not ready to submit: BA-000007 has 300 pcs left; this release asks for 400."
    )


def test_a_release_outside_the_validity_is_refused(agreement, make_user):
    order = release(agreement, 10, requested_date=dt.date(2027, 4, 2))
    with pytest.raises(services.OrderError) as refused:
        services.order_transition(order_id=order.pk, transition="submit", actor=make_user("sales"))
    assert refused.value.message == (
        "Not ready to submit: BA-000007 is valid from Thu 1 Oct 2026 to Wed 31 Mar 2027; "
        "the requested date Fri 2 Apr 2027 is outside."
    )


def test_a_release_of_another_product_is_refused(agreement, make_user):
    order = release(agreement, 10, product=ProductFactory(sku="OTHER-1"), requested_date=None)
    order.requested_date = dt.date(2026, 12, 1)
    order.save()
    with pytest.raises(services.OrderError, match="BA-000007 covers"):
        services.order_transition(order_id=order.pk, transition="submit", actor=make_user("sales"))


def test_a_release_that_fits_is_submitted(agreement, make_user):
    order = release(agreement, 1000, requested_date=dt.date(2026, 12, 15))
    submitted = services.order_transition(
        order_id=order.pk, transition="submit", actor=make_user("sales")
    )
    assert submitted.status == S.ENTERED


def test_sales_creates_an_agreement_and_sees_its_balance(client, users, agreement):
    # given
    client.force_login(users["sales"])
    product = ProductFactory(unit="pcs")
    # when: a mistake first, then the real thing
    bad = client.post(
        "/orders/blankets/new/",
        {
            "customer": agreement.customer.pk,
            "product": product.pk,
            "total_quantity": "5000",
            "unit_price": "4.20",
            "valid_from": "2027-01-01",
            "valid_to": "2026-12-01",
            "customer_reference": "FRAME-2027",
        },
    )
    # then
    assert bad.status_code == 400
    assert "The agreement must end on or after the day it starts." in bad.text
    assert 'value="FRAME-2027"' in bad.text
    good = client.post(
        "/orders/blankets/new/",
        {
            "customer": agreement.customer.pk,
            "product": product.pk,
            "total_quantity": "5000",
            "unit_price": "4.20",
            "valid_from": "2027-01-01",
            "valid_to": "2027-12-31",
        },
        follow=True,
    )
    created = BlanketAgreement.objects.exclude(pk=agreement.pk).get()
    assert f"Blanket agreement {created.number} created." in good.text
    assert "Remaining" in good.text
