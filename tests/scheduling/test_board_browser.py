"""A planner drags jobs on the capacity board in a real browser."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from scheduling import services
from scheduling.models import Item, PlannedOperation, WorkOrderOperation
from scheduling.services.planning import request_replan
from tests.factories.scheduling import DemandFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def monday():
    """Real time instead of the frozen Monday of conftest: a frozen clock stalls the browser."""
    return timezone.now()


def after(day: dt.date, weekday_wanted) -> dt.date:
    """The first day after ``day`` whose weekday passes ``weekday_wanted``."""
    day += dt.timedelta(days=1)
    while not weekday_wanted(day.weekday()):
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def board_page(plant, make_user, page, live_server):
    """The current plan has laser cutting then welding for SO-000020; a planner opens the board."""
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(100))
    DemandFactory(
        reference="SO-000020/1",
        item=plant["frame"],
        quantity=10,
        due_date=timezone.localdate() + dt.timedelta(days=40),
        customer="Kestrel Robotics",
    )
    services.regenerate_plan(run_id=request_replan(delay=0).pk)
    cutting = PlannedOperation.objects.select_related("work_center").get(
        plan_run__is_current=True, sequence=10
    )
    make_user("planner", username="planner")
    page.set_viewport_size({"width": 2600, "height": 1200})
    page.goto(f"{live_server.url}/accounts/login/?next=/planning/")
    page.get_by_label("Username").fill("planner")
    page.get_by_label("Password").fill("ordercraft")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Capacity board")).to_be_visible()
    return {"page": page, "cutting": cutting, "day": timezone.localdate(cutting.start)}


def cell(page, code: str, day: dt.date):
    return page.get_by_test_id(f"cell-{code}-{day.isoformat()}")


def test_a_planner_drags_a_job_to_another_day_and_it_is_pinned_there(board_page):
    # given
    page, cutting = board_page["page"], board_page["cutting"]
    code = cutting.work_center.code
    card = cell(page, code, board_page["day"]).get_by_test_id(f"job-{cutting.key}")
    expect(card).to_contain_text("SO-000020")
    expect(card).to_contain_text("Kestrel Robotics")
    target_day = after(board_page["day"], lambda weekday: weekday < 5)
    target = cell(page, code, target_day)
    # when
    card.drag_to(target.locator(".board-jobs"))
    # then
    alert = page.get_by_test_id("board-alert")
    expect(alert).to_have_text(
        f"SO-000020 laser cutting moved to {target_day:%a %-d %b} and pinned; re-planning…"
    )
    moved = target.get_by_test_id(f"job-{cutting.key}")
    expect(moved).to_be_visible()
    expect(moved.get_by_test_id("pinned")).to_have_text("Pinned")
    expect(cell(page, code, board_page["day"]).get_by_test_id(f"job-{cutting.key}")).to_have_count(
        0
    )
    operation = WorkOrderOperation.objects.get(pinned=True)
    assert (operation.sequence, operation.pin_day) == (10, target_day)


def test_a_job_dropped_on_a_closed_day_goes_back_and_the_planner_is_told_why(board_page):
    # given
    page, cutting = board_page["page"], board_page["cutting"]
    code = cutting.work_center.code
    saturday = after(board_page["day"], lambda weekday: weekday == 5)
    card = cell(page, code, board_page["day"]).get_by_test_id(f"job-{cutting.key}")
    # when
    card.drag_to(cell(page, code, saturday).locator(".board-jobs"))
    # then
    alert = page.get_by_test_id("board-alert")
    expect(alert).to_have_text(
        f"Not moved: {cutting.work_center.name} does not work on {saturday:%a %-d %b}."
    )
    expect(alert).to_be_focused()
    expect(cell(page, code, board_page["day"]).get_by_test_id(f"job-{cutting.key}")).to_be_visible()
    expect(cell(page, code, saturday).locator(".job-card")).to_have_count(0)
    assert not WorkOrderOperation.objects.exists()
