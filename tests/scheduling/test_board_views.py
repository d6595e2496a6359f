"""The capacity board, moves on it, and plan runs, through the views a planner uses."""

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling import services
from scheduling.models import (
    Item,
    PlannedOperation,
    PlanRun,
    PlanRunStatus,
    PlanTrigger,
    WorkOrder,
    WorkOrderOperation,
    WorkOrderStatus,
)
from scheduling.services.planning import request_replan
from tests.factories.scheduling import (
    DemandFactory,
    LoadBucketFactory,
    PlannedOperationFactory,
    PlanRunFactory,
    WorkCenterFactory,
    WorkOrderOperationFactory,
)
from tests.scheduling.conftest import MONDAY, day

pytestmark = pytest.mark.django_db

BOARD = reverse("scheduling:board")
MOVE = reverse("scheduling:board_move")
HTMX = {"HTTP_HX_REQUEST": "true"}
# Written as names: ruff flags look-alike characters in strings.
X, DASH = "\N{MULTIPLICATION SIGN}", "\N{EN DASH}"
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"}


class _Element(HTMLParser):
    """The text, attributes and inner test ids of the element with one ``data-testid``."""

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid, self.depth, self.attrs, self.text, self.inner = testid, 0, None, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag not in VOID
            if "data-testid" in attrs:
                self.inner.append(attrs["data-testid"])
        elif self.attrs is None and attrs.get("data-testid") == self.testid:
            self.depth, self.attrs = 1, attrs

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def element(html: str, testid: str) -> _Element:
    found = _Element(testid)
    found.feed(html)
    assert found.attrs is not None, f"no element with data-testid={testid}"
    return found


def text(html: str, testid: str) -> str:
    return " ".join("".join(element(html, testid).text).split())


def run_plan() -> PlanRun:
    return services.regenerate_plan(run_id=request_replan(delay=0).pk)


@pytest.fixture
def planned(plant, make_user):
    """10 frames for Kestrel Robotics: cutting then welding, both on Monday 30 November."""
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(100))
    DemandFactory(
        reference="SO-000010/1",
        item=plant["frame"],
        quantity=10,
        due_date=day(28),
        customer="Kestrel Robotics",
    )
    run = run_plan()
    return {
        **plant,
        "run": run,
        "weld_op": PlannedOperation.objects.get(plan_run=run, sequence=20),
    }


@pytest.fixture
def planner(make_user, client):
    user = make_user("planner")
    client.force_login(user)
    return user


def test_the_board_shows_a_planned_job_in_its_day_and_work_center(planned, planner, client):
    # given
    key = planned["weld_op"].key
    # when
    response = client.get(BOARD)
    # then
    assert response.status_code == 200
    html = response.text
    assert text(html, f"job-{key}") == (
        f"SO-000010 Kestrel Robotics FRAME {X} 10 Due Mon 28 Dec Move… Work center Welding Day Move"
    )
    assert element(html, "cell-WELD-2026-11-30").inner == [f"job-{key}"]
    assert html.count(f'data-testid="job-{key}"') == 1
    assert text(html, "cell-WELD-2026-11-30").startswith("3.0 / 8.0 h SO-000010")
    assert text(html, "board-period") == f"Mon 30 Nov 2026 {DASH} Sun 13 Dec 2026"
    assert "Tue 1 Dec" in html
    assert text(html, "cell-WELD-2026-12-05") == "Closed"


def test_the_period_can_be_chosen_and_is_kept_within_two_to_six_weeks(planned, planner, client):
    # when
    six = client.get(BOARD, {"start": "2026-12-07", "weeks": "9"})
    broken = client.get(BOARD, {"start": "not-a-date", "weeks": "x"})
    # then
    assert text(six.text, "board-period") == f"Mon 7 Dec 2026 {DASH} Sun 17 Jan 2027"
    assert 'href="?start=2026-10-26&amp;weeks=6"' in six.text
    assert 'href="?start=2027-01-18&amp;weeks=6"' in six.text
    assert text(broken.text, "board-period") == f"Mon 30 Nov 2026 {DASH} Sun 13 Dec 2026"


def test_an_overloaded_day_is_marked_red_and_a_closed_day_grey(monday, planner, client):
    # given: the press has ten hours of work on Tuesday and four on Wednesday
    run = PlanRunFactory(is_current=True)
    press = WorkCenterFactory(code="PRESS", name="Press")
    LoadBucketFactory(
        plan_run=run, work_center=press, day=day(1), capacity_minutes=480, load_minutes=600
    )
    LoadBucketFactory(
        plan_run=run, work_center=press, day=day(2), capacity_minutes=480, load_minutes=240
    )
    # when
    html = client.get(BOARD).text
    # then
    tuesday = element(html, "cell-PRESS-2026-12-01")
    assert "overloaded" in tuesday.attrs["class"].split()
    assert tuesday.inner == ["overloaded"]
    assert text(html, "cell-PRESS-2026-12-01") == "10.0 / 8.0 h Overloaded"
    wednesday = element(html, "cell-PRESS-2026-12-02")
    assert wednesday.attrs["class"].split() == ["board-cell"]
    assert text(html, "cell-PRESS-2026-12-02") == "4.0 / 8.0 h"
    assert element(html, "cell-PRESS-2026-12-05").attrs["class"].split() == [
        "board-cell",
        "closed",
    ]


def _jobs(count: int) -> None:
    """``count`` jobs on four work centers over ten days; every other one pinned by a planner."""
    run = PlanRunFactory(is_current=True)
    centers = [WorkCenterFactory(capability="mill") for _ in range(4)]
    for n in range(count):
        demand = DemandFactory(customer=f"Customer {n}")
        center = centers[n % 4]
        start = MONDAY + dt.timedelta(days=n % 10, hours=2)
        work_order = None
        key = f"PWO-Q-{n}/10"
        if n % 2:
            operation = WorkOrderOperationFactory(
                sequence=10,
                work_center=center,
                pinned=True,
                pin_day=start.date(),
                work_order__status=WorkOrderStatus.FIRM,
                work_order__demand_refs=[demand.reference],
            )
            work_order, key = operation.work_order, operation.key
        PlannedOperationFactory(
            plan_run=run,
            key=key,
            work_order=work_order,
            work_center=center,
            start=start,
            demand_refs=[demand.reference],
            due_date=demand.due_date,
        )


def test_the_board_costs_the_same_queries_for_2_and_for_40_jobs(
    monday, planner, client, django_assert_max_num_queries
):
    # given
    _jobs(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(BOARD).text.count('data-testid="job-') == 2
    PlanRun.objects.all().delete()
    _jobs(40)
    # when / then
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(BOARD).text
    assert html.count('data-testid="job-') == 40
    assert html.count('data-testid="pinned"') == 20
    assert "Customer 39" in html


def test_without_a_plan_the_board_offers_to_run_it(monday, planner, client):
    # when
    html = client.get(BOARD).text
    # then
    assert text(html, "board-empty") == (
        "No plan yet The board fills in once the plan has run: every work center's load and "
        "the jobs on it, day by day. Run plan now"
    )


def test_a_manager_sees_the_board_but_cannot_move_jobs(planned, make_user, client):
    # given
    client.force_login(make_user("manager"))
    # when
    html = client.get(BOARD).text
    # then
    assert 'data-can-move="false"' in html
    assert "Move…" not in html
    assert "Sortable.min.js" not in html
    assert text(html, f"job-{planned['weld_op'].key}") == (
        f"SO-000010 Kestrel Robotics FRAME {X} 10 Due Mon 28 Dec"
    )


def test_a_late_job_and_an_at_risk_job_are_marked(monday, planner, client):
    # given: jobs ending Monday; one projected late, one due the next day, one with slack
    run = PlanRunFactory(is_current=True)
    center = WorkCenterFactory(code="LATHE", name="Lathe")
    start = MONDAY + dt.timedelta(hours=2)
    for key, due, late in [
        ("PWO-L", day(20), True),
        ("PWO-R", day(1), False),
        ("PWO-S", day(10), False),
    ]:
        PlannedOperationFactory(
            plan_run=run,
            key=f"{key}/10",
            item__code=f"{key}-ITEM",
            work_center=center,
            start=start,
            due_date=due,
            late=late,
        )
    # when
    html = client.get(BOARD).text
    # then
    move = "Move… Work center Lathe Day Move"
    assert text(html, "job-PWO-L/10") == f"PWO-L PWO-L-ITEM {X} 5 Due Sun 20 Dec Late {move}"
    assert text(html, "job-PWO-R/10") == f"PWO-R PWO-R-ITEM {X} 5 Due Tue 1 Dec At risk {move}"
    assert text(html, "job-PWO-S/10") == f"PWO-S PWO-S-ITEM {X} 5 Due Thu 10 Dec {move}"


def test_a_refused_drop_answers_400_with_the_reason_and_changes_nothing(
    planned, planner, client, django_capture_on_commit_callbacks
):
    # given
    key = planned["weld_op"].key
    # when: dropped on Saturday
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            MOVE,
            {
                "operation_key": key,
                "work_center": planned["weld"].pk,
                "day": "2026-12-05",
                "version": 0,
            },
            **HTMX,
        )
    # then
    assert response.status_code == 400
    assert text(response.text, "board-alert") == "Not moved: Welding does not work on Sat 5 Dec."
    assert element(response.text, "cell-WELD-2026-11-30").inner == [f"job-{key}"]
    assert "HX-Trigger" not in response.headers
    assert not WorkOrder.objects.exists()
    assert not WorkOrderOperation.objects.filter(pinned=True).exists()
    assert list(PlanRun.objects.values_list("status", flat=True)) == [PlanRunStatus.DONE]
    assert queued == []


def test_a_refused_keyboard_move_shows_the_form_again_as_entered(planned, planner, client):
    # given
    key = planned["weld_op"].key
    # when
    response = client.post(
        MOVE,
        {
            "operation_key": key,
            "version": 0,
            "work_center": planned["weld"].pk,
            "day": "2026-12-05",
            "start": "2026-11-30",
            "weeks": "3",
        },
    )
    # then: the whole page, the reason on top and in the job's opened Move… form
    assert response.status_code == 400
    html = response.text
    assert text(html, "board-alert") == "Not moved: Welding does not work on Sat 5 Dec."
    assert text(html, "board-period") == f"Mon 30 Nov 2026 {DASH} Sun 20 Dec 2026"
    card = text(html, f"job-{key}")
    assert "Move… Welding does not work on Sat 5 Dec. Work center* Welding Day*" in card
    assert '<details class="move-control mt-1" open>' in html
    assert 'value="2026-12-05"' in html
    assert not WorkOrder.objects.exists()


def test_an_accepted_drop_pins_the_job_and_asks_for_a_new_plan(
    planned, planner, client, django_capture_on_commit_callbacks
):
    # given
    key = planned["weld_op"].key
    # when: welding dropped on Thursday
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            MOVE,
            {
                "operation_key": key,
                "version": 0,
                "work_center": planned["weld"].pk,
                "day": "2026-12-03",
                "start": "2026-11-30",
                "weeks": "2",
            },
            **HTMX,
        )
    # then
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "plan-requested"
    html = response.text
    assert text(html, "board-alert") == (
        "SO-000010 welding moved to Thu 3 Dec and pinned; re-planning…"
    )
    operation = WorkOrderOperation.objects.select_related("work_order").get(pinned=True)
    assert (operation.sequence, operation.pin_day, operation.work_center.code) == (
        20,
        day(3),
        "WELD",
    )
    assert operation.work_order.status == WorkOrderStatus.FIRM
    pending = PlanRun.objects.get(status=PlanRunStatus.PENDING)
    assert (pending.trigger, pending.requested_by) == (PlanTrigger.MANUAL, planner)
    assert len(queued) == 1
    # the card waits in Thursday's cell, pinned, until the new plan places it there
    assert element(html, "cell-WELD-2026-11-30").inner == []
    assert element(html, "cell-WELD-2026-12-03").inner == [f"job-{key}", "pinned"]
    assert text(html, f"job-{key}") == (
        f"SO-000010 Pinned Kestrel Robotics FRAME {X} 10 Due Mon 28 Dec "
        "Moved here; re-planning… Unpin"
    )


def test_the_next_plan_puts_the_dropped_job_where_it_was_pinned(planned, planner, client):
    # given
    client.post(
        MOVE,
        {
            "operation_key": planned["weld_op"].key,
            "version": 0,
            "work_center": planned["weld"].pk,
            "day": "2026-12-03",
        },
        **HTMX,
    )
    # when
    services.regenerate_plan(run_id=PlanRun.objects.get(status=PlanRunStatus.PENDING).pk)
    html = client.get(BOARD).text
    # then
    operation = WorkOrderOperation.objects.get(pinned=True)
    assert element(html, "cell-WELD-2026-12-03").inner == [
        f"job-{operation.key}",
        "pinned",
    ]
    assert "Moved here" not in html
    assert text(html, "cell-WELD-2026-12-03").startswith("3.0 / 8.0 h SO-000010 Pinned Kestrel")


def test_a_keyboard_move_redirects_to_the_board_with_a_message(planned, planner, client):
    # when
    response = client.post(
        MOVE,
        {
            "operation_key": planned["weld_op"].key,
            "version": 0,
            "work_center": planned["weld"].pk,
            "day": "2026-12-03",
            "start": "2026-11-30",
            "weeks": "4",
        },
        follow=True,
    )
    # then
    assert response.redirect_chain == [(f"{BOARD}?start=2026-11-30&weeks=4", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "SO-000010 welding moved to Thu 3 Dec and pinned; re-planning…"
    ]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form", "htmx"])
def test_an_empty_move_answers_400_with_the_missing_fields(planned, planner, client, headers):
    # when
    response = client.post(MOVE, {}, **headers)
    # then
    assert response.status_code == 400
    assert text(response.text, "board-alert").startswith(
        "Not moved: Job: This field is required. Work center: This field is required. "
        "Day: This field is required."
    )
    assert not WorkOrder.objects.exists()


def test_a_move_with_an_unknown_work_center_answers_400(planned, planner, client):
    # when
    response = client.post(
        MOVE, {"operation_key": planned["weld_op"].key, "work_center": "999999", "day": "x"}
    )
    # then
    assert response.status_code == 400
    assert text(response.text, "board-alert").startswith(
        "Not moved: Work center: Select a valid choice. That choice is not one of the "
        "available choices. Day: Enter a valid date."
    )


def test_unpinning_lets_the_plan_place_the_job_again(planned, planner, client):
    # given
    operation = services.move_operation(
        operation_key=planned["weld_op"].key,
        work_center_id=planned["weld"].pk,
        day=day(3),
        actor=planner,
    )
    run_plan()
    html = client.get(BOARD).text
    assert f'action="/planning/operations/{operation.pk}/unpin/"' in html
    # when
    response = client.post(
        reverse("scheduling:operation_unpin", args=[operation.pk]),
        {"next": f"{BOARD}?start=2026-11-30&weeks=3"},
        follow=True,
    )
    # then
    assert response.redirect_chain == [(f"{BOARD}?start=2026-11-30&weeks=3", 302)]
    operation.refresh_from_db()
    assert (operation.pinned, operation.pin_day) == (False, None)
    assert PlanRun.objects.filter(status=PlanRunStatus.PENDING).count() == 1
    assert [str(m) for m in response.context["messages"]] == [
        f"{operation.key} is no longer pinned; re-planning…"
    ]


def test_run_start_asks_for_a_manual_run(
    monday, planner, client, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("scheduling:run_start"), follow=True)
    # then
    assert response.redirect_chain == [(BOARD, 302)]
    run = PlanRun.objects.get()
    assert (run.status, run.trigger, run.requested_by) == (
        PlanRunStatus.PENDING,
        PlanTrigger.MANUAL,
        planner,
    )
    assert len(queued) == 1
    assert [str(m) for m in response.context["messages"]] == [
        "Plan run requested; the board refreshes when it is done."
    ]
    assert text(response.text, "run-percent") == "0%"


def test_run_progress_polls_while_a_run_works_and_then_refreshes_the_board(monday, planner, client):
    # given
    run = PlanRunFactory(
        status=PlanRunStatus.RUNNING, progress=30, stage="Exploding bills of material"
    )
    url = reverse("scheduling:run_progress")
    # when
    working = client.get(url, **HTMX)
    PlanRun.objects.filter(pk=run.pk).update(
        status=PlanRunStatus.DONE, progress=100, finished_at=MONDAY
    )
    done = client.get(url, {"watching": run.pk}, **HTMX)
    # then
    assert text(working.text, "run-percent") == "30%"
    assert f"Plan run #{run.pk}: Exploding bills of material" in working.text
    assert 'hx-trigger="every 2s"' in working.text
    assert "HX-Trigger" not in working.headers
    assert done.headers["HX-Trigger"] == "plan-updated"
    assert 'hx-trigger="every 2s"' not in done.text
    assert text(done.text, "run-progress") == (
        "Plan updated Mon 30 Nov 06:00; the board shows it now. Reload the page"
    )


def test_the_run_list_shows_runs_newest_first_with_a_failed_runs_error(monday, planner, client):
    # given
    done = PlanRunFactory(
        is_current=True,
        requested_at=MONDAY - dt.timedelta(hours=2),
        duration_ms=1500,
        counts={
            "demands": 12,
            "late_demands": 1,
            "operations": 40,
            "shortages": 2,
            "purchase_suggestions": 3,
            "overloaded_days": 4,
        },
    )
    failed = PlanRunFactory(
        status=PlanRunStatus.FAILED,
        requested_at=MONDAY - dt.timedelta(hours=1),
        requested_by=planner,
        error="Item FRAME has a bill of material that contains itself.",
    )
    url = reverse("scheduling:run_list")
    # when
    everything = client.get(url).text
    only_failed = client.get(url, {"status": "failed"}).text
    # then
    assert everything.index(f'data-testid="run-{failed.pk}"') < everything.index(
        f'data-testid="run-{done.pk}"'
    )
    assert text(everything, f"run-{done.pk}") == (
        f"{done.pk} Done Current plan Run by a planner System Mon 30 Nov 2026 04:00 — 1.5 s "
        "12 1 40 2 3 4"
    )
    assert text(everything, f"run-error-{failed.pk}") == (
        "Item FRAME has a bill of material that contains itself."
    )
    assert f'data-testid="run-{done.pk}"' not in only_failed
    assert text(only_failed, f"run-{failed.pk}").startswith(
        f"{failed.pk} Failed Run by a planner {planner.get_full_name()} Mon 30 Nov 2026 05:00"
    )
