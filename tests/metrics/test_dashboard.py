import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from metrics import kpis, selectors, services, tasks
from metrics.models import DailyFigures, Period, RollupFigures, SnapshotDay
from orders.models import SalesOrder
from orders.states import OrderType
from tests.factories.metrics import ComplaintFactory
from tests.metrics.conftest import END, START, day, delivered_order

pytestmark = pytest.mark.django_db
URL = reverse("metrics:dashboard")
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def live_figures(filters: selectors.Filters) -> dict:
    cohort = kpis.delivered_in(selectors.filtered_orders(filters), start=START, end=END)
    entered = kpis.entered_in(selectors.filtered_orders(filters), start=START, end=END)
    counts = kpis.merge([*kpis.tally(cohort).values(), *kpis.tally_entered(entered).values()])
    return {key: (f.value, f.numerator, f.denominator) for key, f in kpis.figures(counts).items()}


def test_filters_narrow_the_orders_measured(known):
    # given
    filters = {
        "customer": selectors.Filters(START, END, customer_id=known["acme"].pk),
        "family": selectors.Filters(START, END, family="Frames"),
        "type": selectors.Filters(START, END, order_type=OrderType.RUSH),
        "owner": selectors.Filters(START, END, owner_id=known["sales"].pk),
        "planner": selectors.Filters(START, END, planner_id=known["planner"].pk),
    }
    # when
    delivered = {
        name: selectors.dashboard_get(filters=f).figures["perfect"].denominator
        for name, f in filters.items()
    }
    # then
    assert delivered == {"customer": 2, "family": 1, "type": 1, "owner": 2, "planner": 1}


@pytest.mark.parametrize(
    "filter_of",
    [
        lambda k: {},
        lambda k: {"customer_id": k["acme"].pk},
        lambda k: {"family": "Frames"},
        lambda k: {"owner_id": k["sales"].pk},
        lambda k: {"planner_id": k["planner"].pk},
    ],
)
def test_snapshot_and_live_figures_agree(known, filter_of):
    # given
    filters = selectors.Filters(START, END, **filter_of(known))
    expected = live_figures(filters)
    # when
    services.snapshot_build(start=START, end=END)
    dashboard = selectors.dashboard_get(filters=filters)
    # then
    assert (dashboard.snapshot_days, dashboard.live_days) == (14, 0)
    got = {key: (f.value, f.numerator, f.denominator) for key, f in dashboard.figures.items()}
    assert got == expected


def test_rebuilding_a_range_twice_changes_nothing(known):
    # given
    services.snapshot_build(start=START, end=END)
    first = list(DailyFigures.objects.order_by("day", "customer_id").values())
    # when
    call_command(
        "metrics_rebuild", "--from", "2026-03-02", "--to", "2026-03-15", stdout=io.StringIO()
    )
    # then
    again = list(DailyFigures.objects.order_by("day", "customer_id").values())
    assert [{**r, "id": 0} for r in again] == [{**r, "id": 0} for r in first]
    assert SnapshotDay.objects.filter(day__gte=START, day__lte=END).count() == 14
    assert sum(r["delivered"] for r in again) == 7


def test_the_nightly_build_restates_late_complaints(known, today):
    # given: yesterday's build, then a complaint on an order delivered last week
    tasks.snapshot_nightly_task()
    ComplaintFactory(order=known["perfect"], complaint_type="quality")
    # when
    tasks.snapshot_nightly_task()
    # then
    dashboard = selectors.dashboard_get(filters=selectors.Filters(START, END))
    assert dashboard.figures["perfect"].numerator == 0
    assert SnapshotDay.objects.latest("day").day == dt.date(2026, 3, 19)
    assert dashboard.live_days == 0


def test_today_is_computed_live_next_to_the_snapshot(known, today):
    # given
    services.snapshot_build(start=START, end=today)
    delivered_order(first=today, actual=today)
    # when
    dashboard = selectors.dashboard_get(filters=selectors.Filters(START, today))
    # then
    assert (dashboard.snapshot_days, dashboard.live_days) == (18, 1)
    assert dashboard.figures["perfect"].numerator == 3  # the 16th, today, and the perfect one


def test_rebuild_refuses_a_range_after_yesterday(today):
    with pytest.raises(CommandError, match="after the last day"):
        call_command("metrics_rebuild", "--from", "2026-03-25", stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a date"):
        call_command("metrics_rebuild", "--from", "03/25/2026", stdout=io.StringIO())


def test_the_manager_sees_the_figures_with_their_definitions(known, client, users):
    # given
    client.force_login(users["manager"])
    # when
    response = client.get(URL, PERIOD)
    # then
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="perfect-value"' in text
    assert ">14.3%</a>" in text
    assert "Below the 90% alarm line" in text
    assert "1 of 7 delivered orders" in text
    assert "World class 95-98%" in text
    assert 'title="Share of the orders delivered late against the first promise' in text
    assert "Mon 2 Mar 2026 to Sun 15 Mar 2026" in text
    assert "@media print" in text


def test_the_dashboard_costs_the_same_queries_whatever_the_row_count(
    known, client, users, django_assert_max_num_queries
):
    # given
    client.force_login(users["manager"])
    services.snapshot_build(start=START, end=dt.date(2026, 3, 10))
    with django_assert_max_num_queries(30) as few:
        client.get(URL, PERIOD)
    for n in range(12):
        order = delivered_order(first=day(3 + n % 12), actual=day(3 + n % 12))
        ComplaintFactory(order=order)
    services.snapshot_build(start=START, end=dt.date(2026, 3, 10))
    # when / then
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, PERIOD)
    assert response.status_code == 200


def test_a_wrong_period_is_explained_beside_the_field_and_kept(client, users, today):
    # given
    client.force_login(users["manager"])
    # when
    response = client.get(URL, {"start": "2026-03-10", "end": "2026-03-01", "customer": "999"})
    # then
    text = response.content.decode()
    assert response.status_code == 200
    assert "The period must end on or after its first day." in text
    assert 'value="2026-03-10"' in text
    assert "Select a valid choice" in text
    assert "Correct the filters above" in text


def test_the_drill_down_lists_and_searches_the_orders_behind_a_figure(known, client, users):
    # given
    client.force_login(users["manager"])
    url = reverse("metrics:drill_down", args=["failed_on_time"])
    # when
    listed = client.get(url, {**PERIOD, "which": "counted"})
    searched = client.get(url, {**PERIOD, "which": "counted", "q": known["late_told"].number})
    # then
    assert "2 orders · page 1 of 1" in listed.content.decode()
    assert known["late_silent"].number in listed.content.decode()
    assert "1 order · page 1 of 1" in searched.content.decode()
    assert "Wed 11 Mar 2026" in searched.content.decode()


def test_the_csv_export_has_one_row_per_order_of_the_figure(known, client, users):
    # given
    client.force_login(users["manager"])
    url = reverse("metrics:drill_down_csv", args=["on_time_first"])
    # when
    response = client.get(url, {**PERIOD, "which": "counted"})
    # then
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["Order", "Customer", "Type"]
    assert len(rows) - 1 == 5
    assert sorted(r[0] for r in rows[1:]) == sorted(
        o.number
        for o in (known[k] for k in ("perfect", "incomplete", "damaged", "documents", "escaped"))
    )


def test_an_unknown_figure_is_not_found(client, users):
    client.force_login(users["manager"])
    assert client.get(reverse("metrics:drill_down", args=["nothing"])).status_code == 404


def test_the_orders_of_a_period_are_only_read(known, client, users):
    # given
    client.force_login(users["manager"])
    before = list(SalesOrder.objects.order_by("pk").values())
    # when
    client.get(URL, PERIOD)
    # then
    assert list(SalesOrder.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    "filter_of",
    [lambda k: {}, lambda k: {"customer_id": k["acme"].pk}, lambda k: {"order_type": "rush"}],
)
def test_the_rollups_agree_with_the_live_figures_on_weeks_and_loose_days(known, filter_of):
    # given: Wednesday 4 to Wednesday 18 March: 4-8 and 16-18 are read as days, 9-15 as a week
    start, end = dt.date(2026, 3, 4), dt.date(2026, 3, 18)
    filters = selectors.Filters(start, end, **filter_of(known))
    expected = {
        key: (f.value, f.numerator, f.denominator)
        for key, f in selectors.dashboard_get(filters=filters).figures.items()
    }
    expected_repeat = selectors.dashboard_get(filters=filters).repeat_by_customer
    # when: built in two pieces, the second restating a day of the first
    services.snapshot_build(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 10))
    services.snapshot_build(start=dt.date(2026, 3, 10), end=dt.date(2026, 3, 19))
    dashboard = selectors.dashboard_get(filters=filters)
    # then
    assert selectors.rollup_scope(filters) is not None
    assert (dashboard.snapshot_days, dashboard.live_days) == (15, 0)
    weeks = RollupFigures.objects.filter(period=Period.WEEK, dimension="")
    # The week of the 16th is not rolled up: today is the 20th, so its last days are not built.
    assert list(weeks.values_list("start", "delivered")) == [
        (dt.date(2026, 3, 2), 2),
        (dt.date(2026, 3, 9), 5),
    ]
    got = {key: (f.value, f.numerator, f.denominator) for key, f in dashboard.figures.items()}
    assert got == expected
    assert dashboard.repeat_by_customer == expected_repeat


def test_a_week_is_rolled_up_only_once_all_its_days_are_built(known):
    # when: Monday 2 to Saturday 7 March only
    services.snapshot_build(start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 7))
    # then
    assert not RollupFigures.objects.filter(period=Period.WEEK).exists()
    # A day without deliveries or entries needs no rollup row: only the 3rd had a delivery.
    days = RollupFigures.objects.filter(period=Period.DAY, dimension="")
    assert list(days.values_list("start", "delivered")) == [(dt.date(2026, 3, 3), 1)]
    dashboard = selectors.dashboard_get(filters=selectors.Filters(START, END))
    assert (dashboard.snapshot_days, dashboard.live_days) == (6, 8)
    assert dashboard.figures["perfect"].denominator == 7
