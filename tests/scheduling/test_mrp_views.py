"""Planner pages: MPS and release, shortages and buying, purchase and work orders."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scheduling import services
from scheduling.models import (
    Item,
    OperationStatus,
    PlannedWorkOrder,
    PlanRun,
    PurchaseOrder,
    PurchaseOrderStatus,
    PurchaseSuggestion,
    Shortage,
    WorkOrder,
    WorkOrderStatus,
)
from scheduling.services.planning import request_replan
from tests.factories.scheduling import (
    DemandFactory,
    ItemFactory,
    LoadBucketFactory,
    PlannedWorkOrderFactory,
    PlanRunFactory,
    PurchaseOrderLineFactory,
    PurchaseSuggestionFactory,
    ShortageFactory,
    WorkCenterFactory,
    WorkOrderFactory,
    WorkOrderOperationFactory,
)
from tests.scheduling.conftest import day

pytestmark = pytest.mark.django_db


def run_plan() -> PlanRun:
    return services.regenerate_plan(run_id=request_replan(delay=0).pk)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def cell(response, key: str) -> str:
    """The visible text of the table cell marked ``data-cell="<key>"``."""
    found = re.search(rf'data-cell="{re.escape(key)}"[^>]*>(.*?)</td>', response.text, re.S)
    assert found, f"no cell {key}"
    return text(found.group(1))


def alerts(response) -> list[str]:
    return [text(m) for m in re.findall(r'role="alert">(.*?)<button', response.text, re.S)]


def numbers(response, prefix: str = "WO") -> list[str]:
    return re.findall(rf'href="/planning/work-orders/\d+/">({prefix}-\d+)</a>', response.text)


@pytest.fixture
def planner(client, make_user):
    client.force_login(make_user("planner"))
    return client


@pytest.fixture
def buyer(client, make_user):
    client.force_login(make_user("buyer"))
    return client


@pytest.fixture
def late_frames(plant):
    """10 frames for SO-000010 due Friday; 15 of the 20 sheets arrive only on Thu 10 Dec."""
    DemandFactory(reference="SO-000010/1", item=plant["frame"], quantity=10, due_date=day(4))
    return {**plant, "run": run_plan()}


@pytest.fixture
def ready_frames(plant):
    """Sheet in stock: welding and cutting start this week for an order due on 28 Dec."""
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(100))
    DemandFactory(reference="SO-000010/1", item=plant["frame"], quantity=10, due_date=day(28))
    return {**plant, "run": run_plan()}


# MPS


def test_the_mps_sums_demand_per_iso_week_and_shows_weekly_load(ready_frames, planner):
    # given: two more lines of another order that week
    DemandFactory(reference="SO-000011/1", item=ready_frames["frame"], quantity=4, due_date=day(29))
    DemandFactory(reference="SO-000011/2", item=ready_frames["frame"], quantity=1, due_date=day(30))
    # when
    response = planner.get(reverse("scheduling:mps"))
    # then: Mon 28 Dec 2026 is in ISO week 53; two orders, three lines that week
    assert response.status_code == 200
    assert cell(response, "FRAME 2026-W53") == "15 (2 orders)"
    assert cell(response, "FRAME 2026-W52") == ""
    # 10 frames: 30 min setup + 10 x 12 min welding = 3 h of a 40 h week
    assert cell(response, "WELD 2026-W49") == "3.0 h · 8%"
    assert cell(response, "LASER 2026-W49") == "1.5 h · 4%"


def test_an_overloaded_week_is_red_and_a_nearly_full_one_amber(planner):
    # given
    run = PlanRunFactory(is_current=True)
    press = WorkCenterFactory(code="PRESS")
    saw = WorkCenterFactory(code="SAW")
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    LoadBucketFactory(plan_run=run, work_center=press, day=monday, load_minutes=600)
    LoadBucketFactory(plan_run=run, work_center=saw, day=monday, load_minutes=432)
    week = f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}"
    # when
    response = planner.get(reverse("scheduling:mps"))
    # then
    assert cell(response, f"PRESS {week}") == "10.0 h · 125% over capacity"
    assert re.search(rf'table-danger" data-cell="PRESS {week}"', response.text)
    assert cell(response, f"SAW {week}") == "7.2 h · 90% nearly full"
    assert re.search(rf'table-warning" data-cell="SAW {week}"', response.text)


def test_the_mps_searches_by_item_and_shows_the_chosen_weeks(ready_frames, planner):
    # given
    DemandFactory(item=ItemFactory(code="BRACKET"), quantity=3, due_date=day(9))
    url = reverse("scheduling:mps")
    # when
    brackets = planner.get(url, {"q": "brack"})
    january = planner.get(url, {"week_from": "2027-W01", "week_to": "2027-W02"})
    # then
    assert cell(brackets, "BRACKET 2026-W50") == "3 (1 order)"
    assert 'data-cell="FRAME' not in brackets.text
    assert re.findall(r'data-week="([^"]+)"', january.text) == ["2027-W01", "2027-W02"]
    # what fell due earlier stays visible, as late demand
    assert cell(january, "FRAME earlier") == "10 (1)"


def test_releasing_planned_work_from_the_mps_creates_the_work_order(ready_frames, planner):
    # given
    planned = PlannedWorkOrder.objects.get(plan_run=ready_frames["run"])
    url = reverse("scheduling:planned_release", args=[planned.pk])
    # when
    response = planner.post(url, {"next": reverse("scheduling:mps")}, follow=True)
    # then
    assert response.redirect_chain == [(reverse("scheduling:mps"), 302)]
    assert alerts(response) == ["WO-000001 released to the shop floor"]
    work_order = WorkOrder.objects.get()
    assert (work_order.number, work_order.status, work_order.demand_refs) == (
        "WO-000001",
        WorkOrderStatus.RELEASED,
        ["SO-000010/1"],
    )
    assert "Released as WO-000001" in response.text


def test_releasing_the_same_planned_work_twice_is_refused_not_a_crash(ready_frames, planner):
    # given
    planned = PlannedWorkOrder.objects.get(plan_run=ready_frames["run"])
    url = reverse("scheduling:planned_release", args=[planned.pk])
    planner.post(url, follow=True)
    # when
    response = planner.post(url, follow=True)
    # then
    assert response.status_code == 200
    assert alerts(response) == [f"{planned.key} is already work order WO-000001."]
    assert WorkOrder.objects.count() == 1


def test_a_firm_work_order_is_released_once(planner):
    # given
    PlanRunFactory(is_current=True)
    firm = WorkOrderFactory(status=WorkOrderStatus.FIRM, number="WO-000042")
    WorkOrderOperationFactory(work_order=firm)
    mps = planner.get(reverse("scheduling:mps"))
    url = reverse("scheduling:work_order_release", args=[firm.pk])
    # when
    first = planner.post(url, {"next": reverse("scheduling:mps")}, follow=True)
    second = planner.post(url, follow=True)
    # then
    assert numbers(mps) == ["WO-000042"]
    assert alerts(first) == ["WO-000042 released to the shop floor"]
    assert alerts(second) == ["WO-000042 is released; only planned work can be released."]
    assert second.redirect_chain == [(reverse("scheduling:work_order_detail", args=[firm.pk]), 302)]
    firm.refresh_from_db()
    assert firm.status == WorkOrderStatus.RELEASED


def test_a_manager_sees_the_mps_without_release_buttons(ready_frames, client, make_user):
    # given
    client.force_login(make_user("manager"))
    # when
    response = client.get(reverse("scheduling:mps"))
    # then
    assert response.status_code == 200
    assert "PWO-" in response.text
    assert "/release/" not in response.text


def test_a_foreign_next_address_is_not_followed(ready_frames, planner):
    planned = PlannedWorkOrder.objects.get(plan_run=ready_frames["run"])
    response = planner.post(
        reverse("scheduling:planned_release", args=[planned.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("scheduling:mps")


# Shortages and purchase suggestions


def test_a_shortage_names_the_order_it_hurts(late_frames, planner):
    # when
    response = planner.get(reverse("scheduling:shortages"))
    # then
    rows = re.search(r'data-testid="shortages">(.*?)</table>', response.text, re.S).group(1)
    assert text(re.search(r"<tbody>(.*?)</tbody>", rows, re.S).group(1)) == (
        "SHEET Aluminium sheet 15 pcs Thu 3 Dec 2026 Thu 10 Dec 2026 1 week SO-000010 PPO-"
        + re.search(r"PPO-(\S+)</td>", rows).group(1)
    )


def test_buy_creates_one_purchase_order_and_a_second_click_no_other(late_frames, buyer):
    # given
    suggestion = PurchaseSuggestion.objects.get(plan_run=late_frames["run"])
    url = reverse("scheduling:suggestion_buy", args=[suggestion.pk])
    # when
    first = buyer.post(url, {"next": reverse("scheduling:shortages")}, follow=True)
    second = buyer.post(url, {"next": reverse("scheduling:shortages")}, follow=True)
    # then
    assert alerts(first) == ["PO-000001 for 15 x SHEET from Alu Supply Co, due Thu 10 Dec"]
    assert alerts(second) == ["Already ordered as PO-000001."]
    assert PurchaseOrder.objects.count() == 1
    assert "Ordered: PO-000001" in second.text
    assert url not in second.text


def test_buying_a_suggestion_that_left_the_plan_says_so(buyer):
    response = buyer.post(reverse("scheduling:suggestion_buy", args=[999999]), follow=True)
    assert alerts(response) == ["That purchase suggestion is no longer in the plan."]
    assert not PurchaseOrder.objects.exists()


def test_shortages_and_suggestions_search_by_item(planner):
    # given
    run = PlanRunFactory(is_current=True)
    ShortageFactory(plan_run=run, item=ItemFactory(code="BOLT", make=False))
    ShortageFactory(plan_run=run, item=ItemFactory(code="NUT", make=False))
    PurchaseSuggestionFactory(plan_run=run, item=Item.objects.get(code="NUT"))
    # when
    response = planner.get(reverse("scheduling:shortages"), {"q": "nut"})
    # then
    assert "BOLT" not in response.text
    assert response.text.count("NUT ") == 2


def test_purchase_orders_are_searched_and_filtered_by_status(planner):
    # given
    open_line = PurchaseOrderLineFactory(
        purchase_order__number="PO-000001", item=ItemFactory(code="SHEET")
    )
    PurchaseOrderLineFactory(
        purchase_order__number="PO-000002", purchase_order__status=PurchaseOrderStatus.RECEIVED
    )
    PurchaseOrderLineFactory(
        purchase_order__number="PO-000003", purchase_order__status=PurchaseOrderStatus.CANCELLED
    )
    url = reverse("scheduling:purchase_order_list")

    def listed(**params):
        return re.findall(r'fw-semibold" href="[^"]+">(PO-\d+)<', planner.get(url, params).text)

    # when / then: the open ones first
    assert listed() == ["PO-000001"]
    assert listed(status="current") == ["PO-000001", "PO-000002"]
    assert listed(status="received") == ["PO-000002"]
    assert listed(status="all", q="sheet") == ["PO-000001"]
    assert listed(q=open_line.purchase_order.supplier) == ["PO-000001"]


# Work orders


def test_the_work_order_list_shows_active_work_by_default_and_filters(planner):
    # given
    running = WorkOrderFactory(number="WO-000001", status=WorkOrderStatus.IN_PROGRESS)
    WorkOrderFactory(number="WO-000002", status=WorkOrderStatus.DONE)
    firm = WorkOrderFactory(number="WO-000003", status=WorkOrderStatus.FIRM)
    url = reverse("scheduling:work_order_list")
    # when / then
    assert sorted(numbers(planner.get(url))) == [running.number, firm.number]
    assert numbers(planner.get(url, {"status": "done"})) == ["WO-000002"]
    assert len(numbers(planner.get(url, {"status": "all"}))) == 3


def test_the_work_order_list_searches_number_item_and_order(planner):
    # given
    WorkOrderFactory(
        number="WO-000001", item=ItemFactory(code="FRAME"), demand_refs=["SO-000010/1"]
    )
    WorkOrderFactory(number="WO-000002", item=ItemFactory(code="DOOR"), demand_refs=["SO-000011/1"])
    url = reverse("scheduling:work_order_list")
    # when / then
    assert numbers(planner.get(url, {"q": "000002"})) == ["WO-000002"]
    assert numbers(planner.get(url, {"q": "frame"})) == ["WO-000001"]
    assert numbers(planner.get(url, {"q": "SO-000011"})) == ["WO-000002"]


def test_the_work_order_list_is_sorted_and_paged(planner):
    # given
    for n in range(30):
        WorkOrderFactory(number=f"WO-{n + 1:06d}")
    url = reverse("scheduling:work_order_list")
    # when
    first = planner.get(url, {"sort": "-number"})
    second = planner.get(url, {"sort": "-number", "page": 2})
    # then
    assert numbers(first) == [f"WO-{n:06d}" for n in range(30, 5, -1)]
    assert numbers(second) == [f"WO-{n:06d}" for n in range(5, 0, -1)]
    assert "30 work orders · page 1 of 2" in first.text
    assert 'href="?sort=-number&amp;page=2"' in first.text


def test_the_work_order_list_shows_progress_orders_and_a_late_mark(planner):
    # given: its last operation is planned for the day after its due date
    due = timezone.localdate() + dt.timedelta(days=3)
    late = WorkOrderFactory(number="WO-000001", due_date=due, demand_refs=["SO-000010/1"])
    WorkOrderOperationFactory(work_order=late, sequence=10, status=OperationStatus.DONE)
    end = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(12)))
    WorkOrderOperationFactory(work_order=late, sequence=20, planned_end=end)
    # when
    response = planner.get(reverse("scheduling:work_order_list"))
    # then
    row = text(re.search(r"<tbody>(.*?)</tbody>", response.text, re.S).group(1))
    assert "SO-000010 Operations done: 1 / 2 Late" in row
    assert '<tr class="table-danger">' in response.text


def test_the_work_order_page_shows_its_operations(planner):
    # given
    work_order = WorkOrderFactory(number="WO-000007", status=WorkOrderStatus.FIRM)
    laser = WorkCenterFactory(name="Laser cutting")
    WorkOrderOperationFactory(work_order=work_order, sequence=10, work_center=laser)
    WorkOrderOperationFactory(work_order=work_order, sequence=20, work_center__name="Welding")
    # when
    response = planner.get(reverse("scheduling:work_order_detail", args=[work_order.pk]))
    # then
    table = re.search(r'data-testid="operations">(.*?)</table>', response.text, re.S).group(1)
    rows = [text(r) for r in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]
    assert [r.split(" — ")[0] for r in rows] == ["10 Laser cutting", "20 Welding"]
    assert "Release to the shop floor" in response.text
    assert reverse("scheduling:work_order_release", args=[work_order.pk]) in response.text


def test_production_is_linked_from_an_operation_to_its_work_center_queue(client, make_user):
    # given
    client.force_login(make_user("production"))
    operation = WorkOrderOperationFactory()
    # when
    response = client.get(reverse("scheduling:work_order_detail", args=[operation.work_order_id]))
    # then
    assert reverse("scheduling:floor_queue", args=[operation.work_center_id]) in response.text
    assert "Release to the shop floor" not in response.text


def test_an_unknown_work_order_is_not_found(planner):
    assert planner.get(reverse("scheduling:work_order_detail", args=[999999])).status_code == 404


# A page costs the same number of queries whatever the size of the plan


def fill_plan(run: PlanRun, count: int, first: int = 1) -> None:
    work_center = WorkCenterFactory()
    for n in range(first, first + count):
        item = ItemFactory(preferred_supplier="Alu Supply Co")
        DemandFactory(item=item, reference=f"SO-{n:06d}/1")
        DemandFactory(item=item, reference=f"SO-{n:06d}/2")
        PlannedWorkOrderFactory(plan_run=run, item=item, demand_refs=[f"SO-{n:06d}/1"])
        suggestion = PurchaseSuggestionFactory(plan_run=run, demand_refs=[f"SO-{n:06d}/1"])
        if n % 2:
            suggestion.purchase_order = PurchaseOrderLineFactory().purchase_order
            suggestion.save()
        ShortageFactory(plan_run=run, demand_refs=[f"SO-{n:06d}/1"])
        LoadBucketFactory(plan_run=run, work_center=work_center)
        work_order = WorkOrderFactory(status=WorkOrderStatus.FIRM if n % 2 else "released")
        WorkOrderOperationFactory.create_batch(2, work_order=work_order)


@pytest.mark.parametrize(
    ("url_name", "queries"),
    [
        ("scheduling:mps", 15),
        ("scheduling:shortages", 10),
        ("scheduling:purchase_order_list", 11),
        ("scheduling:work_order_list", 7),
    ],
)
def test_a_planning_page_costs_the_same_queries_for_2_and_40_rows(
    url_name, queries, planner, django_assert_max_num_queries
):
    # given
    run = PlanRunFactory(is_current=True)
    fill_plan(run, 2)
    url = reverse(url_name)
    # when / then
    with django_assert_max_num_queries(queries):
        assert planner.get(url).status_code == 200
    fill_plan(run, 38, first=3)
    with django_assert_max_num_queries(queries):
        assert planner.get(url).status_code == 200


def test_shortage_rows_come_from_the_current_plan_only(late_frames, planner):
    # given: an older plan's shortage is not shown
    ShortageFactory(plan_run=PlanRunFactory(), item=ItemFactory(code="OLDPART"))
    # when
    response = planner.get(reverse("scheduling:shortages"))
    # then
    assert Shortage.objects.count() == 2
    assert "OLDPART" not in response.text


@pytest.mark.parametrize(
    ("url_name", "target"),
    [
        ("scheduling:mps", 'data-testid="mps-demand"'),
        ("scheduling:shortages", 'data-testid="shortages"'),
        ("scheduling:purchase_order_list", 'data-testid="purchase-orders"'),
        ("scheduling:work_order_list", 'data-testid="work-order-table"'),
    ],
)
def test_a_filter_asked_through_htmx_gets_only_the_changing_part(url_name, target, planner):
    # when
    response = planner.get(reverse(url_name), {"q": "x"}, headers={"HX-Request": "true"})
    # then
    assert response.status_code == 200
    assert target in response.text
    assert "<html" not in response.text


def test_a_mistyped_week_is_pointed_out_and_the_default_weeks_are_shown(planner):
    # when
    response = planner.get(reverse("scheduling:mps"), {"week_from": "next week"})
    # then
    assert response.status_code == 200
    assert "Enter a week like 2026-W49." in response.text
    assert len(re.findall(r'data-week="', response.text)) == 12
