from datetime import date

import pytest

from scheduling.engine import Demand, Item, RoutingOp, plan
from scheduling.engine.calendar import (
    WorkCalendar,
    add_working_days,
    format_day,
    plant_datetime,
    sub_working_days,
)
from tests.scheduling.engine.helpers import TODAY, at, day, problem, work_center


def _one_job(minutes: int, wc, **kwargs):
    """A single 1-unit work order of ``minutes`` run time on ``wc``, due in three weeks."""
    return problem(
        items=(Item("X", make=True),),
        routings=(RoutingOp("X", 10, wc.id, 0, minutes),),
        work_centers=(wc,),
        demands=(Demand("SO-1", "X", 1, day(21)),),
        **kwargs,
    )


def test_capacity_skips_weekends_closed_dates_and_downtime():
    # given
    wc = work_center("MILL", closed_dates=frozenset({day(2)}), downtime=((day(3), 120),))

    # when
    calendar = WorkCalendar(wc, TODAY)

    # then
    assert [calendar.capacity(n) for n in range(8)] == [480, 480, 0, 360, 480, 0, 0, 480]


def test_plant_holiday_closes_every_work_center():
    # given
    wc = work_center("MILL")

    # when
    calendar = WorkCalendar(wc, TODAY, holidays=frozenset({day(1)}))

    # then
    assert [calendar.capacity(n) for n in range(3)] == [480, 0, 480]


def test_work_ending_before_a_closed_day_ends_that_evening_and_resumes_after_it():
    # given Monday and Tuesday give 960 working minutes; Wednesday is closed
    calendar = WorkCalendar(work_center("MILL", closed_dates=frozenset({day(2)})), TODAY)
    shift = problem().shift_start

    # when
    end = plant_datetime(TODAY, shift, calendar.end_g(960))
    resume = plant_datetime(TODAY, shift, calendar.start_g(960))

    # then
    assert end == at(1, 15)
    assert resume == at(3, 7)


def test_no_work_is_scheduled_on_a_closed_date():
    # given a 1,000-minute job from Monday and a holiday on Wednesday
    wc = work_center("MILL", closed_dates=frozenset({day(2)}))

    # when
    result = plan(_one_job(1000, wc))

    # then
    (op,) = result.operations
    assert (op.start, op.end) == (at(0, 7), at(3, 7, 40))
    loads = {b.day: (b.capacity_minutes, b.load_minutes) for b in result.load if b.day <= day(4)}
    assert loads == {day(0): (480, 480), day(1): (480, 480), day(3): (480, 40), day(4): (480, 0)}


def test_efficiency_stretches_clock_time():
    # given 400 standard minutes at 80 % efficiency
    wc = work_center("MILL", efficiency=0.8)

    # when
    result = plan(_one_job(400, wc))

    # then
    (op,) = result.operations
    assert op.run_minutes == 500
    assert (op.start, op.end) == (at(0, 7), at(1, 7, 20))


def test_minutes_already_gone_today_are_not_planned():
    # given the plan is made at 08:30
    wc = work_center("MILL")

    # when
    result = plan(_one_job(60, wc, start_minute=90))

    # then
    (op,) = result.operations
    assert (op.start, op.end) == (at(0, 8, 30), at(0, 9, 30))
    assert result.load[0].capacity_minutes == 390


def test_a_24_hour_day_ends_on_its_own_production_day():
    # given a work center running around the clock, and a job of exactly one day
    wc = work_center("OVEN", minutes_per_weekday=(1440,) * 7)

    # when
    result = plan(_one_job(1440, wc))

    # then
    (op,) = result.operations
    assert (op.start, op.end) == (at(0, 7), at(1, 7))
    assert result.work_orders[0].completion == day(0)


def test_working_days_skip_weekends_and_holidays():
    # given Friday 6 March and a holiday on Monday 9 March
    holidays = frozenset({date(2026, 3, 9)})

    # when
    later = add_working_days(date(2026, 3, 6), 2, holidays)
    earlier = sub_working_days(date(2026, 3, 11), 2, holidays)

    # then
    assert later == date(2026, 3, 11)
    assert earlier == date(2026, 3, 6)
    assert add_working_days(date(2026, 3, 6), 0, holidays) == date(2026, 3, 6)


def test_dates_read_with_weekday_and_year_only_when_it_differs():
    # given / when
    this_year = format_day(date(2026, 3, 3), TODAY)
    next_year = format_day(date(2027, 1, 5), TODAY)

    # then
    assert this_year == "Tue 3 Mar"
    assert next_year == "Tue 5 Jan 2027"


def test_a_work_center_with_no_working_minutes_is_refused():
    # given
    wc = work_center("IDLE", minutes_per_weekday=(0,) * 7)

    # when / then
    with pytest.raises(ValueError, match="no working minutes"):
        WorkCalendar(wc, TODAY)
