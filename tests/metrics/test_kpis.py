import datetime as dt

import pytest

from metrics import kpis
from orders.models import OrderEventKind, OrderRevision, SalesOrder
from tests.factories.metrics import ComplaintFactory, SurveyAnswerFactory
from tests.factories.orders import ChangeRequestFactory, OrderEventFactory
from tests.metrics.conftest import END, START, at, day, delivered_order

pytestmark = pytest.mark.django_db


def live(orders=None):
    cohort = kpis.delivered_in(orders or SalesOrder.objects.all(), start=START, end=END)
    return kpis.figures(kpis.merge(kpis.tally(cohort).values()))


def test_each_perfect_order_component_fails_on_its_own_order(known):
    # when
    figures = live()
    # then
    assert figures["perfect"].numerator == 1
    assert figures["perfect"].denominator == 7
    assert figures["perfect"].display == "14.3%"
    failed = {key: figures[key].numerator for key in figures if key.startswith("failed_")}
    assert failed == {
        "failed_on_time": 2,
        "failed_complete": 1,
        "failed_damage": 1,
        "failed_documentation": 1,
        "failed_quality": 1,
    }
    assert figures["otif"].numerator == 4


def test_on_time_is_measured_against_both_promises_and_counts_re_promises(known):
    # when
    figures = live()
    # then: the re-promise makes one late order on time against the current promise only
    assert (figures["on_time_first"].numerator, figures["on_time_current"].numerator) == (5, 6)
    assert figures["repromised"].numerator == 1
    assert (
        kpis.merge(
            kpis.tally(kpis.delivered_in(SalesOrder.objects, start=START, end=END)).values()
        ).n["repromises"]
        == 1
    )


def test_proactive_communication_counts_the_late_order_told_before_its_date(known):
    # when
    figures = live()
    # then: told on 2 March about the 6 March promise; the other late order heard nothing
    assert (figures["proactive"].numerator, figures["proactive"].denominator) == (1, 2)
    assert figures["proactive"].display == "50.0%"
    assert figures["notice_days"].value == 4
    told = kpis.orders_behind(
        "proactive", kpis.delivered_in(SalesOrder.objects, start=START, end=END), which="counted"
    )
    assert [order.number for order in told] == [known["late_told"].number]


def test_a_notice_sent_on_the_promised_day_is_not_proactive(known):
    # given
    known["late_silent"].messages.create(
        kind="delay_notice", subject="s", body="b", status="sent", sent_at=at(5, 8)
    )
    # when
    figures = live()
    # then
    assert (figures["proactive"].numerator, figures["proactive"].denominator) == (1, 2)


def test_fill_rate_counts_lines_and_units_of_the_first_shipment(known):
    # when
    figures = live()
    # then: two shipped orders, 10 of 10 and 6 of 10
    assert (figures["fill_lines"].numerator, figures["fill_lines"].denominator) == (1, 2)
    assert figures["fill_units"].display == "80.0%"


def test_cycle_time_median_and_p90_and_days_early_or_late(known):
    # given: one order entered 40 days before delivery instead of 20
    slow = known["escaped"]
    SalesOrder.objects.filter(pk=slow.pk).update(submitted_at=at(15) - dt.timedelta(days=40))
    # when
    counts = kpis.merge(
        kpis.tally(kpis.delivered_in(SalesOrder.objects, start=START, end=END)).values()
    )
    figures = kpis.figures(counts)
    # then
    assert counts.histogram("cycle") == [(20, 6), (40, 1)]
    assert (figures["cycle_median"].value, figures["cycle_p90"].value) == (20, 40)
    assert counts.histogram("delta_first") == [(-9, 1), (-1, 1), (0, 3), (3, 1), (5, 1)]
    assert counts.histogram("delta_current") == [(-9, 1), (-1, 2), (0, 3), (3, 1)]


def test_customer_voice_complaints_by_type_and_satisfaction(known):
    # given
    ComplaintFactory(order=known["perfect"], complaint_type="late")
    SurveyAnswerFactory(order=known["perfect"], score=4)
    SurveyAnswerFactory(order=known["damaged"], score=1)
    # when
    counts = kpis.merge(
        kpis.tally(kpis.delivered_in(SalesOrder.objects, start=START, end=END)).values()
    )
    figures = kpis.figures(counts)
    # then: a late complaint fails the last component of a perfect order
    assert figures["perfect"].numerator == 0
    assert dict(counts.histogram("complaint")) == {"documentation": 1, "late": 1}
    assert figures["complaint_rate"].numerator == 2
    assert figures["satisfaction"].value == 2.5
    assert (figures["survey_response"].numerator, figures["survey_response"].denominator) == (2, 7)


def test_date_slips_are_split_by_cause(known):
    # given: an accepted change moved the incomplete order's promise 5 days later
    order = known["incomplete"]
    change = ChangeRequestFactory(order=order, status="accepted", decided_at=at(3))
    OrderRevision.objects.create(
        order=order,
        number=1,
        change_request=change,
        diff={"lines": {"1": {}}, "promised_date": ["2026-03-07", "2026-03-12"]},
    )
    OrderEventFactory(
        order=order, kind=OrderEventKind.REPROMISE, data={"from": "2026-03-07", "to": "2026-03-12"}
    )
    # when
    counts = kpis.merge(
        kpis.tally(kpis.delivered_in(SalesOrder.objects, start=START, end=END)).values()
    )
    figures = kpis.figures(counts)
    # then
    assert counts.histogram("slip") == [
        ("Quantity or spec change", 1),
        ("Re-promise by the plant", 1),
    ]
    assert dict(counts.histogram("slip_days")) == {
        "Quantity or spec change": 5,
        "Re-promise by the plant": 6,
    }
    assert figures["change_slips"].display == "50.0%"
    assert (figures["changes_per_order"].numerator, figures["changed_share"].numerator) == (1, 1)


def test_repeat_order_rate_counts_customers_who_ordered_before(known):
    # given: Acme's second order was entered after its first
    cohort = kpis.entered_in(SalesOrder.objects, start=dt.date(2026, 2, 1), end=END)
    # when
    counts = kpis.merge(kpis.tally_entered(cohort).values())
    # then: 9 delivered orders were entered in February and March, Acme's second is a repeat
    assert (counts.n["entered"], counts.n["repeat_orders"]) == (9, 1)
    repeat = kpis.orders_behind("repeat_rate", cohort, which="counted")
    assert [order.customer.name for order in repeat] == ["Acme"]


@pytest.mark.parametrize(
    "key",
    [
        "perfect",
        "on_time_first",
        "on_time_current",
        "repromised",
        "otif",
        "failed_on_time",
        "failed_complete",
        "failed_damage",
        "failed_documentation",
        "failed_quality",
        "proactive",
        "complaint_rate",
        "promised_by_request",
    ],
)
def test_the_drill_down_lists_as_many_orders_as_the_figure_counts(known, key):
    # given
    cohort = kpis.delivered_in(SalesOrder.objects, start=START, end=END)
    figure = kpis.figure(key, kpis.merge(kpis.tally(cohort).values()))
    # when
    counted = kpis.orders_behind(key, cohort, which="counted").count()
    measured = kpis.orders_behind(key, cohort).count()
    # then
    assert (counted, measured) == (figure.numerator, figure.denominator)


def test_kpi_functions_give_the_figure_and_its_orders(known):
    # when
    result = kpis.perfect_order_rate(SalesOrder.objects.all(), start=START, end=END)
    late = kpis.on_time_first_promise(SalesOrder.objects.all(), start=START, end=END)
    # then
    assert result.figure.display == "14.3%"
    assert [order.pk for order in result.orders] == [known["perfect"].pk]
    assert late.orders.count() == late.figure.numerator == 5


def test_an_order_without_deliveries_in_the_period_gives_no_figure(today):
    # when
    figures = live()
    # then
    assert figures["perfect"].value is None
    assert figures["perfect"].display == "—"
    delivered_order(first=day(1), actual=day(1))
    assert live()["perfect"].value is None
