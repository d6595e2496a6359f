import pytest
from django.urls import reverse

from orders.models import DocumentRequirement
from tests.factories.orders import CustomerFactory, DocumentRequirementFactory

pytestmark = pytest.mark.django_db


def test_sales_sets_the_documents_a_customer_needs_with_every_shipment(client, users):
    # given: the customer needs a test report today
    customer = CustomerFactory()
    DocumentRequirementFactory(customer=customer, kind="test_report")
    client.force_login(users["sales"])
    url = reverse("orders:customer_shipping", args=[customer.pk])
    # when
    response = client.post(
        url,
        {
            "required_documents": ["certificate", "invoice"],
            "accepts_partial_shipments": "on",
            "label_instructions": "PO and part number on every carton",
        },
    )
    # then
    assert response.status_code == 302
    kinds = sorted(
        DocumentRequirement.objects.filter(customer=customer).values_list("kind", flat=True)
    )
    assert kinds == ["certificate", "invoice"]
    customer.refresh_from_db()
    assert customer.accepts_partial_shipments is True
    assert customer.label_instructions == "PO and part number on every carton"
    form = client.get(url).context["form"]
    assert sorted(form.initial["required_documents"]) == ["certificate", "invoice"]


def test_an_unknown_document_is_refused_next_to_the_field(client, users):
    customer = CustomerFactory()
    client.force_login(users["sales"])
    response = client.post(
        reverse("orders:customer_shipping", args=[customer.pk]),
        {"required_documents": ["horoscope"], "packing_instructions": "Shrink-wrap pallets"},
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.text
    assert "Shrink-wrap pallets" in response.text
    assert DocumentRequirement.objects.count() == 0


def test_credit_sees_the_rules_but_does_not_change_them(client, users):
    customer = CustomerFactory()
    client.force_login(users["credit"])
    response = client.post(
        reverse("orders:customer_shipping", args=[customer.pk]),
        {"required_documents": ["certificate"]},
    )
    assert response.status_code == 403
    assert "Only sales changes a customer&#x27;s shipping rules." in response.text
    assert DocumentRequirement.objects.count() == 0
