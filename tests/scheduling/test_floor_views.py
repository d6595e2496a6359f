"""The shop floor pages: a work center's queue for today, start and finish with quantities."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from scheduling import services
from scheduling.models import (
    Item,
    OperationStatus,
    PlannedWorkOrder,
    PlanRun,
    WorkOrderOperation,
    WorkOrderStatus,
)
from scheduling.services.planning import request_replan
from tests.factories.scheduling import (
    DemandFactory,
    WorkCenterFactory,
    WorkOrderFactory,
    WorkOrderOperationFactory,
)
from tests.scheduling.conftest import MONDAY, day

pytestmark = pytest.mark.django_db


def run_plan() -> PlanRun:
    return services.regenerate_plan(run_id=request_replan(delay=0).pk)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def alerts(response) -> list[str]:
    return [text(m) for m in re.findall(r'role="alert">(.*?)<button', response.text, re.S)]


def queue(response) -> list[str]:
    return re.findall(r'data-operation="([^"]+)"', response.text)


def field_block(response, operation: WorkOrderOperation, field: str) -> str:
    """The HTML of one input of an operation's finish form: label, input and its error."""
    found = re.search(
        rf'<div id="div_op{operation.pk}_{field}".*?</div>\s*</div>', response.text, re.S
    )
    assert found, f"no {field} field for {operation}"
    return found.group(0)


def at(days: int, hour: int) -> dt.datetime:
    return MONDAY.replace(hour=hour) + dt.timedelta(days=days)


@pytest.fixture
def released(plant, make_user, client):
    """WO-000001 for 10 frames, released and placed by the plan: cutting then welding today."""
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(100))
    DemandFactory(reference="SO-000010/1", item=plant["frame"], quantity=10, due_date=day(28))
    planned = PlannedWorkOrder.objects.get(plan_run=run_plan())
    work_order = services.release_work_order(planned_key=planned.key, actor=make_user("planner"))
    run_plan()
    client.force_login(make_user("production"))
    laser, weld = work_order.operations.order_by("sequence")
    return {**plant, "work_order": work_order, "laser_op": laser, "weld_op": weld}


def report(client, operation, action, **data):
    url = reverse("scheduling:operation_report", args=[operation.pk, action])
    return client.post(url, data, follow=True)


def test_starting_then_finishing_an_operation_moves_it_to_done(released, client):
    # given
    laser = released["laser_op"]
    queue_url = reverse("scheduling:floor_queue", args=[released["laser"].pk])
    # when
    started = report(client, laser, "start")
    finished = report(client, laser, "finish", good_quantity="10", scrap_quantity="")
    # then
    assert started.redirect_chain == [(queue_url, 302)]
    assert alerts(started) == ["Started operation 10 of WO-000001."]
    assert field_block(started, laser, "good_quantity")
    assert alerts(finished) == ["Finished operation 10 of WO-000001: 10 good, 0 scrapped."]
    laser.refresh_from_db()
    assert (laser.status, laser.good_quantity, laser.scrap_quantity) == (
        OperationStatus.DONE,
        Decimal("10.000"),
        Decimal("0.000"),
    )
    assert queue(finished) == []


@pytest.mark.parametrize(
    ("good", "scrap", "field", "message"),
    [
        ("-3", "", "good_quantity", "Enter 0 or more."),
        ("abc", "", "good_quantity", "Enter a number, like 12."),
        ("", "", "good_quantity", "Enter how many good pieces (0 if none)."),
        ("0", "0", "good_quantity", "Report at least one good or scrapped piece."),
        ("9", "-1", "scrap_quantity", "Enter 0 or more."),
    ],
)
def test_a_finish_with_bad_quantities_shows_the_form_again(
    released, client, good, scrap, field, message
):
    # given
    laser = released["laser_op"]
    report(client, laser, "start")
    # when
    response = report(client, laser, "finish", good_quantity=good, scrap_quantity=scrap)
    # then: the message is next to the field and what was typed is still there
    assert response.status_code == 400
    block = field_block(response, laser, field)
    assert message in text(block)
    assert "is-invalid" in block
    typed = good if field == "good_quantity" else scrap
    assert f'value="{typed}"' in block or (typed == "" and "value=" not in block)
    laser.refresh_from_db()
    assert (laser.status, laser.good_quantity) == (OperationStatus.IN_PROGRESS, Decimal(0))


def test_an_operation_cannot_start_before_the_one_before_it_is_finished(released, client):
    # given
    weld = released["weld_op"]
    # when
    response = report(client, weld, "start")
    # then
    assert response.status_code == 200
    assert alerts(response) == ["Finish operation 10 of WO-000001 first."]
    weld.refresh_from_db()
    assert weld.status == OperationStatus.PLANNED


def test_finishing_an_operation_that_is_not_running_says_so(released, client):
    response = report(client, released["laser_op"], "finish", good_quantity="10")
    assert alerts(response) == ["WO-000001/10 is not running."]


def test_an_unknown_report_is_not_found(released, client):
    url = reverse("scheduling:operation_report", args=[released["laser_op"].pk, "pause"])
    assert client.post(url).status_code == 404


def test_the_queue_shows_today_and_what_is_overdue_or_running_in_planned_order(
    monday, client, make_user
):
    # given
    client.force_login(make_user("production"))
    press = WorkCenterFactory(name="Press")

    def operation(number, start, **kwargs):
        kwargs.setdefault("work_order__status", WorkOrderStatus.RELEASED)
        return WorkOrderOperationFactory(
            work_order__number=number,
            work_center=press,
            sequence=10,
            planned_start=start,
            planned_end=start + dt.timedelta(hours=1) if start else None,
            **kwargs,
        )

    operation("WO-000005", at(0, 9))
    operation("WO-000004", at(0, 7))
    operation("WO-000003", at(-3, 10))  # Friday's, not started: overdue
    operation("WO-000002", at(-3, 8), status=OperationStatus.IN_PROGRESS)
    operation("WO-000006", None)  # released a moment ago, the plan has not placed it yet
    operation("WO-000007", at(1, 7))  # tomorrow
    operation("WO-000008", at(0, 8), status=OperationStatus.DONE)
    operation("WO-000009", at(0, 8), work_order__status=WorkOrderStatus.FIRM)
    # when
    page = client.get(reverse("scheduling:floor_queue", args=[press.pk]))
    index = client.get(reverse("scheduling:floor"))
    # then
    assert queue(page) == [
        "WO-000002/10",
        "WO-000003/10",
        "WO-000004/10",
        "WO-000005/10",
        "WO-000006/10",
    ]
    assert "Overdue" in text(page.text.split('data-operation="WO-000003/10"')[1][:2000])
    assert "Queue for Mon 30 Nov 2026" in text(page.text)
    card = re.search(r'aria-label="Press: ([^"]+)"', index.text).group(1)
    assert card == "5 operations today"
    assert "1 running" in index.text
    assert "1 overdue" in index.text


def test_the_queue_is_touch_and_keyboard_friendly(released, client):
    # given
    report(client, released["laser_op"], "start")
    # when
    response = client.get(reverse("scheduling:floor_queue", args=[released["laser"].pk]))
    # then: real buttons in real forms, large enough for a finger
    assert re.search(
        r'<button type="submit" class="btn btn-lg btn-success floor-btn">Finish', response.text
    )
    assert 'inputmode="decimal"' in response.text


def test_the_floor_queue_costs_the_same_queries_for_2_and_30_operations(
    monday, client, make_user, django_assert_max_num_queries
):
    # given
    client.force_login(make_user("production"))
    press = WorkCenterFactory()

    def add(count: int) -> None:
        for n in range(count):
            work_order = WorkOrderFactory(demand_refs=[f"SO-{n:06d}/1"])
            WorkOrderOperationFactory(
                work_order=work_order,
                work_center=press,
                sequence=10,
                planned_start=at(0, 7),
                status=OperationStatus.IN_PROGRESS if n % 2 else OperationStatus.PLANNED,
            )
            WorkOrderOperationFactory(work_order=work_order, work_center=press, sequence=20)

    url = reverse("scheduling:floor_queue", args=[press.pk])
    add(1)
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200
    add(15)
    # when / then
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert len(queue(response)) == 32
    with django_assert_max_num_queries(6):
        assert client.get(reverse("scheduling:floor")).status_code == 200
