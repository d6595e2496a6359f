import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import (
    ChangeRequest,
    Complaint,
    DeliveryAcceptance,
    OrderEvent,
    OrderEventKind,
    SalesOrder,
    SurveyAnswer,
)
from orders.states import OrderStatus as S
from tests.factories.orders import SalesOrderFactory, SalesOrderLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(users):
    return users["customer"].contact.customer


@pytest.fixture
def contact_client(client, users):
    client.force_login(users["customer"])
    return client


def _portal_notes(order) -> list[str]:
    return list(
        OrderEvent.objects.filter(order=order, kind=OrderEventKind.NOTE, data__source="portal")
        .order_by("pk")
        .values_list("note", flat=True)
    )


def test_a_complaint_is_recorded_and_shows_on_the_staff_timeline(
    contact_client, client, customer, users
):
    # given
    order = SalesOrderFactory(customer=customer, status=S.SHIPPED)
    # when
    response = contact_client.post(
        reverse("portal:complaint", args=[order.pk]),
        {"complaint-complaint_type": "damage", "complaint-text": "Two crates arrived crushed."},
    )
    # then
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.order, complaint.complaint_type, complaint.text) == (
        order,
        "damage",
        "Two crates arrived crushed.",
    )
    assert complaint.contact == users["customer"].contact
    assert _portal_notes(order) == ["Complaint (Damaged goods): Two crates arrived crushed."]
    client.force_login(users["sales"])
    assert (
        "Two crates arrived crushed." in client.get(reverse("orders:detail", args=[order.pk])).text
    )


def test_an_empty_complaint_is_refused_and_nothing_is_recorded(contact_client, customer):
    order = SalesOrderFactory(customer=customer, status=S.SHIPPED)
    response = contact_client.post(
        reverse("portal:complaint", args=[order.pk]), {"complaint-complaint_type": "late"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert Complaint.objects.count() == 0
    assert _portal_notes(order) == []


def test_a_survey_is_answered_once_after_delivery(contact_client, customer):
    # given
    order = SalesOrderFactory(customer=customer, status=S.DELIVERED)
    url = reverse("portal:survey", args=[order.pk])
    # when
    first = contact_client.post(url, {"survey-score": "4", "survey-comment": "Good packing"})
    second = contact_client.post(url, {"survey-score": "1"})
    # then
    assert (first.status_code, second.status_code) == (302, 400)
    assert list(SurveyAnswer.objects.values_list("score", "comment")) == [(4, "Good packing")]
    assert _portal_notes(order) == ["Satisfaction survey: 4/5 — Good packing"]


def test_the_survey_waits_for_delivery(contact_client, customer):
    order = SalesOrderFactory(customer=customer, status=S.IN_PRODUCTION)
    response = contact_client.post(reverse("portal:survey", args=[order.pk]), {"survey-score": "5"})
    assert response.status_code == 400
    assert "The survey opens once the order is delivered." in response.text
    assert SurveyAnswer.objects.count() == 0


def test_accepting_a_delivery_closes_the_order_on_the_timeline(contact_client, customer, users):
    # given
    order = SalesOrderFactory(customer=customer, status=S.DELIVERED)
    # when
    response = contact_client.post(
        reverse("portal:accept", args=[order.pk]), {"accept-note": "All good"}
    )
    # then
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.CLOSED
    assert DeliveryAcceptance.objects.get().order == order
    close = OrderEvent.objects.get(order=order, kind=OrderEventKind.TRANSITION)
    assert (close.transition, close.from_status, close.to_status, close.actor) == (
        "close",
        S.DELIVERED,
        S.CLOSED,
        users["customer"],
    )
    assert _portal_notes(order) == ["Delivery accepted by the customer: All good"]


def test_an_undelivered_order_cannot_be_accepted(contact_client, customer):
    order = SalesOrderFactory(customer=customer, status=S.SHIPPED)
    response = contact_client.post(reverse("portal:accept", args=[order.pk]))
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == S.SHIPPED
    assert DeliveryAcceptance.objects.count() == 0


def test_a_reorder_makes_a_draft_for_the_original_salesperson(contact_client, customer, users):
    # given
    order = SalesOrderFactory(customer=customer, status=S.CLOSED, owner=users["sales"])
    SalesOrderLineFactory(order=order, line_no=1, quantity=Decimal("12"))
    SalesOrderLineFactory(order=order, line_no=2, quantity=Decimal("3.5"))
    # when
    response = contact_client.post(reverse("portal:reorder", args=[order.pk]))
    # then
    assert response.status_code == 302
    draft = SalesOrder.objects.exclude(pk=order.pk).get()
    assert (draft.status, draft.customer, draft.owner, draft.created_by) == (
        S.DRAFT,
        customer,
        users["sales"],
        users["customer"],
    )
    assert list(draft.lines.values_list("line_no", "product", "quantity")) == list(
        order.lines.values_list("line_no", "product", "quantity")
    )
    assert _portal_notes(order) == [f"Reordered by the customer as {draft.number}."]
    assert not users["customer"].has_perm("orders.add_salesorder")


def test_an_open_order_cannot_be_reordered(contact_client, customer):
    order = SalesOrderFactory(customer=customer, status=S.PLANNED)
    response = contact_client.post(reverse("portal:reorder", args=[order.pk]))
    assert response.status_code == 400
    assert SalesOrder.objects.count() == 1


def test_a_change_request_reaches_sales_from_the_portal(
    contact_client, customer, django_capture_on_commit_callbacks
):
    # given
    order = SalesOrderFactory(
        customer=customer, status=S.ACKNOWLEDGED, promised_date=dt.date(2030, 5, 1)
    )
    SalesOrderLineFactory(order=order, line_no=1, quantity=Decimal("10"))
    # when
    with django_capture_on_commit_callbacks():
        response = contact_client.post(
            reverse("portal:change_request", args=[order.pk]),
            {"change-quantity_1": "14", "change-reason": "Demand went up"},
        )
    # then
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.order, change.source, change.reason, change.quantities) == (
        order,
        "portal",
        "Demand went up",
        {"1": "14"},
    )


def test_a_change_request_without_a_change_is_refused(contact_client, customer):
    order = SalesOrderFactory(customer=customer, status=S.ACKNOWLEDGED)
    SalesOrderLineFactory(order=order, line_no=1, quantity=Decimal("10"))
    response = contact_client.post(
        reverse("portal:change_request", args=[order.pk]), {"change-reason": "Just because"}
    )
    assert response.status_code == 400
    assert "Nothing would change" in response.text
    assert ChangeRequest.objects.count() == 0


@pytest.mark.parametrize("action", ["complaint", "survey", "accept", "reorder", "change_request"])
def test_actions_on_another_customers_order_are_404(contact_client, action):
    order = SalesOrderFactory(status=S.DELIVERED)
    response = contact_client.post(
        reverse(f"portal:{action}", args=[order.pk]),
        {"complaint-complaint_type": "other", "complaint-text": "x", "survey-score": "5"},
    )
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == S.DELIVERED
    assert Complaint.objects.count() + SurveyAnswer.objects.count() == 0
