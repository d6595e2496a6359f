import re

import pytest
from django.urls import reverse

from fulfillment.models import Inspection, Nonconformance
from orders.states import OrderStatus
from scheduling.models import WorkOrderStatus

pytestmark = pytest.mark.django_db

PASSING = {
    "line1_length__value": "120.1",
    "material_certificate__value": "pass",
    "finish_cosmetics__value": "pass",
    "packaging_marking__value": "pass",
}


def input_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)


def test_the_completion_page_lists_what_is_left(client, users, make_order, make_work):
    # given
    order = make_order()
    make_work(order, good="18")
    client.force_login(users["production"])
    # when
    response = client.get(reverse("fulfillment:completion", args=[order.pk]))
    # then
    assert response.status_code == 200
    assert "Line 1: 18 of 20 made" in response.text
    assert "Complete production" in response.text


def test_completing_with_discrepancies_is_refused_with_the_list(
    client, users, make_order, make_work
):
    # given
    order = make_order()
    work_order = make_work(order, good="0", status=WorkOrderStatus.IN_PROGRESS)
    client.force_login(users["production"])
    # when
    response = client.post(reverse("fulfillment:complete", args=[order.pk]))
    # then
    assert response.status_code == 400
    assert "Line 1: 0 of 20 made" in response.text
    assert f"{work_order.number} is still in progress" in response.text
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION


def test_completing_a_finished_order_goes_back_to_the_order(client, users, make_order, make_work):
    # given
    order = make_order()
    make_work(order, good="20")
    client.force_login(users["production"])
    # when
    response = client.post(reverse("fulfillment:complete", args=[order.pk]))
    # then
    assert response.status_code == 302
    assert response.url == reverse("orders:detail", args=[order.pk])
    order.refresh_from_db()
    assert order.status == OrderStatus.PRODUCED


def test_the_order_page_links_to_the_inspection(client, users, make_order):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    client.force_login(users["quality"])
    # when
    response = client.get(reverse("orders:detail", args=[order.pk]))
    # then
    assert reverse("fulfillment:inspection", args=[order.pk]) in response.text


def test_the_inspection_page_shows_the_checklist(client, users, make_order):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    client.force_login(users["quality"])
    # when
    response = client.get(reverse("fulfillment:inspection", args=[order.pk]))
    # then
    assert response.status_code == 200
    for label in ("Line 1: Length", "Material certificate", "Finish and cosmetics"):
        assert label in response.text
    assert "119.9 to 120.1" in response.text


def test_letters_and_missing_values_are_shown_beside_the_fields_and_kept(client, users, make_order):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    client.force_login(users["quality"])
    data = {
        **PASSING,
        "line1_length__value": "12O.05",
        "finish_cosmetics__value": "fail",
        "packaging_marking__remark": "labels checked",
    }
    del data["material_certificate__value"]
    # when
    response = client.post(reverse("fulfillment:inspection", args=[order.pk]), data)
    # then
    assert response.status_code == 400
    html = response.text
    assert "Enter a number, e.g. 120.02." in html
    assert "Choose pass or fail." in html
    assert "Say what is wrong." in html
    assert input_value(html, "line1_length__value") == "12O.05"
    assert input_value(html, "packaging_marking__remark") == "labels checked"
    assert re.search(r'value="fail"[^>]*checked', html)
    assert not Inspection.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.PRODUCED


def test_an_inspection_on_the_limit_releases_the_order(client, users, make_order):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    client.force_login(users["quality"])
    # when
    response = client.post(reverse("fulfillment:inspection", args=[order.pk]), PASSING, follow=True)
    # then
    assert response.status_code == 200
    assert "passed final inspection and is released" in response.text
    assert "Quality release signed by" in response.text
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_RELEASED


def test_fail_disposition_and_release_through_the_pages(client, users, make_order):
    # given: a failed inspection
    order = make_order(status=OrderStatus.PRODUCED)
    client.force_login(users["quality"])
    url = reverse("fulfillment:inspection", args=[order.pk])
    client.post(url, {**PASSING, "line1_length__value": "120.2"})
    nonconformance = Nonconformance.objects.get(order=order)
    disposition_url = reverse("fulfillment:disposition", args=[nonconformance.pk])
    # when: use as is without the customer's deviation
    refused = client.post(disposition_url, {"disposition": "use_as_is", "note": "within fit"})
    # then
    assert refused.status_code == 400
    assert "needs the customer&#x27;s deviation approval reference" in refused.text
    assert input_value(refused.text, "note") == "within fit"
    # when: with it, then released
    client.post(disposition_url, {"disposition": "use_as_is", "deviation_reference": "DEV-7"})
    response = client.post(reverse("fulfillment:quality_release", args=[order.pk]))
    # then
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_RELEASED


def test_releasing_with_an_open_nonconformance_is_refused(client, users, make_order):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    client.force_login(users["quality"])
    client.post(
        reverse("fulfillment:inspection", args=[order.pk]),
        {**PASSING, "line1_length__value": "119"},
    )
    # when
    response = client.post(reverse("fulfillment:quality_release", args=[order.pk]))
    # then
    assert response.status_code == 400
    assert "1 nonconformance still need a disposition before release." in response.text
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_HOLD


def test_posting_an_inspection_twice_is_refused(client, users, make_order):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    client.force_login(users["quality"])
    url = reverse("fulfillment:inspection", args=[order.pk])
    client.post(url, PASSING)
    # when
    response = client.post(url, PASSING)
    # then
    assert response.status_code == 400
    assert "not waiting for inspection" in response.text
    assert Inspection.objects.count() == 1


def test_the_quality_queue_lists_orders_waiting(client, users, make_order):
    # given
    produced = make_order(status=OrderStatus.PRODUCED)
    make_order(status=OrderStatus.IN_PRODUCTION)
    client.force_login(users["quality"])
    # when
    response = client.get(reverse("fulfillment:quality_queue"))
    # then
    queue = re.search(r'data-testid="quality-queue">(.*?)</table>', response.text, re.S).group(1)
    assert re.findall(r"SO-\d+", queue) == [produced.number]


def test_the_quality_queue_is_searched_filtered_and_paged(
    client, users, make_order, django_assert_max_num_queries
):
    # given: 30 orders waiting for inspection, one on hold
    waiting = [make_order(status=OrderStatus.PRODUCED) for _n in range(30)]
    held = make_order(status=OrderStatus.QUALITY_HOLD)
    client.force_login(users["quality"])
    url = reverse("fulfillment:quality_queue")

    def listed(**params) -> list[str]:
        return [order.number for order in client.get(url, params).context["orders"]]

    # then
    with django_assert_max_num_queries(15):
        first_page = listed()
    assert len(first_page) == 25
    assert len(listed(page=2)) == 6
    assert listed(stage="hold") == [held.number]
    assert listed(q=waiting[3].number) == [waiting[3].number]
