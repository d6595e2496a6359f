"""Credit exposure, credit holds, the deposit rule and clarifications."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from orders import services
from orders.models import Invoice, OrderPolicy
from orders.models.orders import HoldKind
from orders.states import OrderStatus as S
from orders.states import OrderType
from tests.factories.orders import (
    CustomerFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

PROMISE = dt.date(2026, 12, 22)


def order_worth(customer, amount, status=S.ENTERED, **kwargs):
    order = SalesOrderFactory(customer=customer, status=status, **kwargs)
    SalesOrderLineFactory(order=order, quantity=Decimal(1), unit_price=Decimal(amount))
    return order


@pytest.fixture
def customer(db):
    # An established customer: no deposit needed for standard orders.
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})
    return CustomerFactory(credit_limit=Decimal("10000.00"))


@pytest.mark.django_db
def test_exposure_is_unpaid_invoices_plus_open_orders(customer):
    # given
    Invoice.objects.create(
        number="INV-1",
        customer=customer,
        amount=Decimal("1500"),
        paid_amount=Decimal("500"),
        due_on=dt.date(2026, 12, 31),
    )
    Invoice.objects.create(
        number="INV-2",
        customer=customer,
        amount=Decimal("900"),
        paid_amount=Decimal("900"),
        due_on=dt.date(2026, 12, 31),
        status="paid",
    )
    order_worth(customer, 2000, S.VALIDATED)
    order_worth(customer, 3000, S.IN_PRODUCTION)
    # not yet accepted by credit, invoiced already, or finished
    for status in (S.DRAFT, S.ENTERED, S.ON_HOLD, S.SHIPPED, S.CLOSED, S.CANCELLED):
        order_worth(customer, 7777, status)
    # when
    position = services.credit_position(customer=customer)
    # then
    assert (position.unpaid_invoices, position.open_orders, position.exposure) == (
        Decimal("1000.00"),
        Decimal("5000.00"),
        Decimal("6000.00"),
    )


@pytest.mark.django_db
def test_the_credit_check_costs_the_same_for_10_or_200_past_orders(customer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            services.credit_position(customer=customer)
        return len(captured)

    for _ in range(10):
        order_worth(customer, 10, S.CLOSED)
    at_10 = queries()
    for _ in range(190):
        order_worth(customer, 10, S.CLOSED)
    assert queries() == at_10 == 2


@pytest.mark.django_db
def test_an_order_within_the_limit_is_validated(customer, make_user):
    order = order_worth(customer, 4000)
    result = services.order_validate(order_id=order.pk, actor=make_user("sales"))
    assert result.status == S.VALIDATED


@pytest.mark.django_db
def test_an_order_over_the_limit_goes_on_credit_hold(customer, make_user):
    # given
    order_worth(customer, 8000, S.ACKNOWLEDGED)
    order = order_worth(customer, 4000)
    # when
    result = services.order_validate(order_id=order.pk, actor=make_user("sales"))
    # then
    assert (result.status, result.hold_kind, result.held_from) == (
        S.ON_HOLD,
        HoldKind.CREDIT,
        S.ENTERED,
    )
    assert result.hold_reason == "Credit: exposure 12,000.00 would exceed the limit 10,000.00."


@pytest.mark.django_db
def test_a_customer_on_credit_hold_holds_every_new_order(customer, make_user):
    customer.credit_hold = True
    customer.save()
    order = order_worth(customer, 10)
    result = services.order_validate(order_id=order.pk, actor=make_user("sales"))
    assert (result.status, result.hold_reason) == (
        S.ON_HOLD,
        f"Credit: {customer.name} is on credit hold.",
    )


@pytest.mark.django_db
def test_only_the_credit_role_releases_a_credit_hold_with_a_note(customer, make_user):
    # given
    order_worth(customer, 9000, S.ACKNOWLEDGED)
    order = order_worth(customer, 4000)
    services.order_validate(order_id=order.pk, actor=make_user("sales"))
    # when / then: sales may resume other holds, not this one
    with pytest.raises(services.OrderError, match="Only the credit department"):
        services.order_transition(order_id=order.pk, transition="resume", actor=make_user("sales"))
    credit = make_user("credit")
    with pytest.raises(services.OrderError, match="Say why credit is released"):
        services.order_credit_release(order_id=order.pk, actor=credit, note="")
    released = services.order_credit_release(
        order_id=order.pk, actor=credit, note="Customer paid the overdue invoice by wire."
    )
    assert released.status == S.VALIDATED
    assert list(released.events.values_list("transition", "to_status", "note")) == [
        ("hold", S.ON_HOLD, "Credit: exposure 13,000.00 would exceed the limit 10,000.00."),
        ("resume", S.ENTERED, "Customer paid the overdue invoice by wire."),
        ("validate", S.VALIDATED, "Credit approved."),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_orders_at_once_cannot_both_pass_a_limit_they_exceed_together(make_user):
    # given: each order fits on its own (6,000 of 10,000), together they do not
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})
    customer = CustomerFactory(credit_limit=Decimal("10000.00"))
    first, second = order_worth(customer, 6000), order_worth(customer, 6000)
    sales = make_user("sales")
    barrier = threading.Barrier(2)
    results = {}

    def validate(order):
        barrier.wait()
        try:
            with transaction.atomic():
                results[order.pk] = services.order_validate(order_id=order.pk, actor=sales).status
        finally:
            connection.close()

    threads = [threading.Thread(target=validate, args=(o,)) for o in (first, second)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then
    assert sorted(results.values()) == sorted([S.VALIDATED, S.ON_HOLD])


@pytest.mark.django_db
def test_a_new_customer_pays_a_deposit_before_acknowledgment(make_user, db):
    # given: the default policy asks new customers for 30%
    customer = CustomerFactory(credit_limit=Decimal("100000"))
    order = order_worth(customer, 5000, S.VALIDATED)
    sales = make_user("sales")
    assert services.deposit_required(order=order) == Decimal("1500.00")
    # when / then
    with pytest.raises(services.OrderError) as refused:
        services.order_acknowledge(order_id=order.pk, actor=sales, promised_date=PROMISE)
    assert refused.value.message == (
        "A deposit is required before acknowledging: 1,500.00 still to receive."
    )
    services.deposit_record(
        order_id=order.pk, actor=make_user("credit"), amount=Decimal("1500"), reference="WIRE-77"
    )
    acknowledged = services.order_acknowledge(order_id=order.pk, actor=sales, promised_date=PROMISE)
    assert acknowledged.status == S.ACKNOWLEDGED


@pytest.mark.django_db
def test_big_custom_orders_need_a_deposit_even_from_known_customers(customer):
    OrderPolicy.objects.filter(pk=1).update(deposit_custom_orders_over=Decimal("20000"))
    custom = order_worth(customer, 30000, S.VALIDATED, order_type=OrderType.CUSTOM)
    small = order_worth(customer, 3000, S.VALIDATED, order_type=OrderType.CUSTOM)
    assert services.deposit_required(order=custom) == Decimal("9000.00")
    assert services.deposit_required(order=small) == Decimal("0")


@pytest.mark.django_db
def test_an_open_question_holds_the_order_and_its_answer_resumes_it(customer, make_user):
    # given
    sales = make_user("sales")
    order = order_worth(customer, 100, S.VALIDATED)
    # when
    question = services.clarification_open(
        order_id=order.pk, actor=sales, question="Which RAL colour on line 1?", asked_of="Dana"
    )
    order.refresh_from_db()
    # then
    assert (order.status, order.hold_kind) == (S.ON_HOLD, HoldKind.CLARIFICATION)
    with pytest.raises(services.OrderError):
        services.order_acknowledge(order_id=order.pk, actor=sales, promised_date=PROMISE)
    services.clarification_answer(clarification_id=question.pk, actor=sales, answer="RAL 7035")
    order.refresh_from_db()
    assert order.status == S.VALIDATED
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("RAL 7035", sales)


@pytest.mark.django_db
def test_the_order_page_keeps_a_refused_note(client, customer, users):
    # given: an order on credit hold
    order_worth(customer, 9000, S.ACKNOWLEDGED)
    order = order_worth(customer, 4000)
    services.order_validate(order_id=order.pk, actor=users["sales"])
    client.force_login(users["credit"])
    # when
    response = client.post(f"/orders/{order.pk}/credit/release/", {"note": "   "})
    # then
    assert response.status_code == 400
    assert "Say why credit is released, in the note." in response.text
    order.refresh_from_db()
    assert order.status == S.ON_HOLD


@pytest.mark.django_db
def test_sales_repromises_from_the_order_page_and_the_first_promise_stays(client, users):
    # given
    order = order_worth(
        CustomerFactory(),
        100,
        S.PLANNED,
        promised_date=PROMISE,
        first_promised_date=PROMISE,
    )
    client.force_login(users["sales"])
    # when: first without a reason, then properly
    refused = client.post(
        f"/orders/{order.pk}/repromise/", {"new_date": "2027-01-05", "reason": ""}
    )
    response = client.post(
        f"/orders/{order.pk}/repromise/",
        {"new_date": "2027-01-05", "reason": "Paint line down", "customer_told": "on"},
        follow=True,
    )
    # then
    assert refused.status_code == 400
    assert 'value="2027-01-05"' in refused.text
    assert f"{order.number}: promised date moved to Tue 5 Jan 2027." in response.text
    order.refresh_from_db()
    assert (order.first_promised_date, order.promised_date) == (PROMISE, dt.date(2027, 1, 5))
