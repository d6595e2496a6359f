"""The buyer's purchase-order pages, as a buyer and a planner use them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from scheduling import services
from scheduling.models import Item, PurchaseOrderEvent, PurchaseReceipt
from tests.factories.scheduling import (
    PlannedReceiptFactory,
    PlanRunFactory,
    PurchaseOrderLineFactory,
)
from tests.scheduling.conftest import day

pytestmark = pytest.mark.django_db
LIST = reverse("scheduling:purchase_order_list")


def action_url(line, action: str) -> str:
    return reverse(
        "scheduling:purchase_line_action", args=[line.purchase_order_id, line.pk, action]
    )


@pytest.fixture
def buyer(client, make_user, monday):
    client.force_login(make_user("buyer"))
    return client


@pytest.fixture
def line(plant):
    line = PurchaseOrderLineFactory(
        purchase_order__number="PO-000042",
        purchase_order__supplier="Alu Supply Co",
        item=plant["sheet"],
        quantity=Decimal(40),
        due_date=day(7),
    )
    run = PlanRunFactory(is_current=True)
    PlannedReceiptFactory(
        plan_run=run, reference="PO-000042", item=plant["sheet"], demand_refs=["SO-000266/1"]
    )
    return line


def listed(response) -> list[str]:
    return re.findall(r'fw-semibold" href="[^"]+">(PO-\d+)<', response.text)


def test_the_list_marks_late_lines_and_names_the_orders_they_serve(buyer, line, plant):
    # given: another supplier's order was due last week
    PurchaseOrderLineFactory(
        purchase_order__number="PO-000007",
        purchase_order__supplier="Metals Depot",
        item=plant["sheet"],
        due_date=day(-4),
    )
    # when
    response = buyer.get(LIST)
    # then: the late one first, marked; PO-000042 serves SO-000266
    assert listed(response) == ["PO-000007", "PO-000042"]
    assert response.text.count("Overdue") == 1
    assert "SO-000266" in response.text
    assert listed(buyer.get(LIST, {"status": "late"})) == ["PO-000007"]
    assert listed(buyer.get(LIST, {"supplier": "Alu Supply Co"})) == ["PO-000042"]
    assert listed(buyer.get(LIST, {"q": "depot"})) == ["PO-000007"]


def test_the_buyer_sees_the_line_actions_and_a_planner_only_reads(buyer, line, client, make_user):
    url = reverse("scheduling:purchase_order_detail", args=[line.purchase_order_id])
    page = buyer.get(url).text
    for action in ("receive", "confirm", "reschedule", "cancel"):
        assert f'data-testid="{action}-form"' in page
    client.force_login(make_user("planner"))
    page = client.get(url).text
    assert "Alu Supply Co" in page
    assert not re.search(r'data-testid="(receive|confirm|reschedule|cancel)-form"', page)
    assert client.post(action_url(line, "receive"), {}).status_code == 403


def test_an_over_receipt_is_refused_beside_the_quantity_with_the_input_kept(buyer, line):
    # when
    response = buyer.post(
        action_url(line, "receive"),
        {
            f"line{line.pk}-receive-quantity": "45",
            f"line{line.pk}-receive-delivery_note": "DN-88120",
            f"line{line.pk}-receive-version": "0",
        },
    )
    # then
    assert response.status_code == 400
    assert "Only 40 pcs are still due on this line; at most 44 pcs can be received" in (
        response.text
    )
    assert re.search(r'name="line\d+-receive-quantity" value="45"[^>]*is-invalid', response.text)
    assert 'value="DN-88120"' in response.text
    assert not PurchaseReceipt.objects.exists()
    assert Item.objects.get(pk=line.item_id).on_hand == 5


def test_a_receipt_through_htmx_saves_and_reloads_the_page(buyer, line):
    # when
    response = buyer.post(
        action_url(line, "receive"),
        {
            f"line{line.pk}-receive-quantity": "15",
            f"line{line.pk}-receive-delivery_note": "DN-88120",
            f"line{line.pk}-receive-version": "0",
        },
        headers={"HX-Request": "true"},
    )
    # then
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse(
        "scheduling:purchase_order_detail", args=[line.purchase_order_id]
    )
    page = buyer.get(response["HX-Redirect"]).text
    assert "Goods received; the stock on hand is up" in page
    assert "DN-88120" in page
    assert Item.objects.get(pk=line.item_id).on_hand == 20


def test_a_refused_slip_through_htmx_returns_the_line_with_the_message(buyer, line):
    # when
    response = buyer.post(
        action_url(line, "reschedule"),
        {
            f"line{line.pk}-reschedule-due_date": day(-2).isoformat(),
            f"line{line.pk}-reschedule-reason": "Typo",
            f"line{line.pk}-reschedule-version": "0",
        },
        headers={"HX-Request": "true"},
    )
    # then
    assert response.status_code == 400
    assert response.text.lstrip().startswith("<section")
    assert "Sat 28 Nov 2026 is in the past." in response.text
    assert not PurchaseOrderEvent.objects.exists()


def test_a_page_drawn_before_a_colleagues_change_is_told_to_reload(buyer, line, make_user):
    # given
    colleague = make_user("buyer", username="colleague")
    services.purchase_line_reschedule(
        line_id=line.pk, actor=colleague, due_date=day(14), reason="Mill delay"
    )
    # when
    response = buyer.post(
        action_url(line, "confirm"),
        {
            f"line{line.pk}-confirm-confirmed_date": day(9).isoformat(),
            f"line{line.pk}-confirm-version": "0",
        },
    )
    # then
    assert response.status_code == 400
    assert "PO-000042 was changed by someone else since you opened it" in response.text
    line.refresh_from_db()
    assert (line.due_date, line.confirmed_date) == (day(14), None)


def test_the_purchase_order_page_costs_the_same_queries_with_more_history(
    buyer, line, make_user, django_assert_max_num_queries
):
    url = reverse("scheduling:purchase_order_detail", args=[line.purchase_order_id])
    with django_assert_max_num_queries(14):
        assert buyer.get(url).status_code == 200
    actor = make_user("buyer", username="second")
    for n in range(5):
        PurchaseOrderLineFactory(purchase_order=line.purchase_order, item=line.item)
        services.purchase_line_receive(line_id=line.pk, actor=actor, quantity="1")
        services.purchase_line_reschedule(
            line_id=line.pk, actor=actor, due_date=day(10 + n), reason="Moved"
        )
    with django_assert_max_num_queries(14):
        assert buyer.get(url).status_code == 200
