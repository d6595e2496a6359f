from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fulfillment import services
from fulfillment.models import Inspection, Nonconformance
from fulfillment.selectors import inspection_checklist
from orders.errors import OrderError
from orders.models import OrderEvent
from orders.states import OrderStatus

pytestmark = pytest.mark.django_db

CHECKS = ("material_certificate", "finish_cosmetics", "packaging_marking")


def answers(length: str, **checks) -> dict:
    results = {"line1_length": services.ItemResult(measured=Decimal(length))}
    for key in CHECKS:
        results[key] = services.ItemResult(passed=checks.get(key, True), remark="")
    return results


def test_the_checklist_comes_from_the_specs(make_order):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    # when
    checklist = inspection_checklist(order=order)
    # then
    assert [(e.key, e.kind, e.label) for e in checklist] == [
        ("line1_length", "dimension", "Line 1: Length"),
        ("material_certificate", "check", "Material certificate"),
        ("finish_cosmetics", "check", "Finish and cosmetics"),
        ("packaging_marking", "check", "Packaging and marking"),
    ]
    length = checklist[0]
    assert (length.nominal, length.lower, length.upper, length.unit) == (
        Decimal("120"),
        Decimal("119.9"),
        Decimal("120.1"),
        "mm",
    )


@pytest.mark.parametrize(
    ("measured", "passes"),
    [
        ("120.03", True),  # inside
        ("120.1", True),  # on the upper limit
        ("119.9", True),  # on the lower limit
        ("120.11", False),  # outside, above
        ("119.89", False),  # outside, below
    ],
)
def test_a_measured_dimension_passes_only_within_its_tolerance(make_order, users, measured, passes):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    # when
    inspection = services.inspection_record(
        order_id=order.pk, actor=users["quality"], results=answers(measured)
    )
    # then
    item = inspection.items.get(key="line1_length")
    assert item.measured == Decimal(measured)
    assert item.passed is passes
    assert inspection.result == ("pass" if passes else "fail")
    order.refresh_from_db()
    assert order.status == (OrderStatus.QUALITY_RELEASED if passes else OrderStatus.QUALITY_HOLD)


def test_a_pass_releases_the_order_signed_by_the_inspector(make_order, users):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    # when
    inspection = services.inspection_record(
        order_id=order.pk, actor=users["quality"], results=answers("120.02")
    )
    # then
    assert inspection.signed_by == users["quality"]
    assert inspection.signed_at == inspection.finished_at
    assert inspection.items.count() == 4
    assert not Nonconformance.objects.exists()
    events = OrderEvent.objects.filter(order=order).values_list(
        "transition", "from_status", "to_status", "actor__username", "note"
    )
    assert list(events) == [
        ("inspect_pass", "produced", "quality_released", "quality", "Final inspection passed.")
    ]


def test_a_fail_holds_the_order_with_a_nonconformance(make_order, users):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    results = answers("120.3", finish_cosmetics=False)
    results["finish_cosmetics"] = services.ItemResult(passed=False, remark="scratch on face A")
    # when
    inspection = services.inspection_record(
        order_id=order.pk, actor=users["quality"], results=results
    )
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_HOLD
    assert inspection.signed_by is None
    nonconformance = Nonconformance.objects.get()
    expected = (
        "Line 1: Length measured 120.3 mm, allowed 119.9 to 120.1 mm; "
        "Finish and cosmetics failed (scratch on face A)."
    )
    assert (nonconformance.order, nonconformance.inspection, nonconformance.status) == (
        order,
        inspection,
        "open",
    )
    assert nonconformance.description == expected
    events = OrderEvent.objects.filter(order=order).values_list("transition", "to_status", "note")
    assert list(events) == [("inspect_fail", "quality_hold", expected)]


def test_a_missing_measurement_is_refused_and_nothing_recorded(make_order, users):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    results = answers("120")
    del results["line1_length"]
    # when
    with pytest.raises(OrderError, match=r"Line 1: Length: enter the measured value\."):
        services.inspection_record(order_id=order.pk, actor=users["quality"], results=results)
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.PRODUCED
    assert not Inspection.objects.exists()


def test_only_quality_inspects(make_order, users):
    # given
    order = make_order(status=OrderStatus.PRODUCED)
    # when / then
    with pytest.raises(PermissionDenied):
        services.inspection_record(
            order_id=order.pk, actor=users["production"], results=answers("120")
        )
    assert not Inspection.objects.exists()


def _failed(make_order, users):
    order = make_order(status=OrderStatus.PRODUCED)
    services.inspection_record(order_id=order.pk, actor=users["quality"], results=answers("121"))
    return order, Nonconformance.objects.get(order=order)


def test_use_as_is_needs_the_customers_deviation_reference(make_order, users):
    # given
    _order, nonconformance = _failed(make_order, users)
    # when
    with pytest.raises(OrderError, match="deviation approval reference"):
        services.nonconformance_disposition(
            nonconformance_id=nonconformance.pk, actor=users["quality"], disposition="use_as_is"
        )
    # then
    nonconformance.refresh_from_db()
    assert (nonconformance.status, nonconformance.disposition) == ("open", "")


def test_release_waits_for_the_disposition_then_is_signed(make_order, users):
    # given
    order, nonconformance = _failed(make_order, users)
    # when: released before the decision
    with pytest.raises(OrderError, match="1 nonconformance still need a disposition"):
        services.order_quality_release(order_id=order.pk, actor=users["quality"])
    services.nonconformance_disposition(
        nonconformance_id=nonconformance.pk,
        actor=users["quality"],
        disposition="use_as_is",
        deviation_reference="DEV-2026-014",
    )
    services.order_quality_release(order_id=order.pk, actor=users["quality"])
    # then
    order.refresh_from_db()
    nonconformance.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_RELEASED
    assert (nonconformance.status, nonconformance.disposition, nonconformance.decided_by) == (
        "closed",
        "use_as_is",
        users["quality"],
    )
    inspection = order.inspections.get()
    assert inspection.signed_by == users["quality"]
    assert inspection.signed_at is not None
    events = OrderEvent.objects.filter(order=order).values_list("kind", "transition", "note")
    assert list(events) == [
        ("transition", "inspect_fail", nonconformance.description),
        (
            "note",
            "",
            f"{nonconformance}: use as is (customer deviation), customer deviation DEV-2026-014.",
        ),
        ("transition", "quality_release", "Released after disposition."),
    ]


def test_a_decided_nonconformance_cannot_be_decided_again(make_order, users):
    # given
    _order, nonconformance = _failed(make_order, users)
    services.nonconformance_disposition(
        nonconformance_id=nonconformance.pk, actor=users["quality"], disposition="rework"
    )
    # when / then
    with pytest.raises(OrderError, match="already dispositioned"):
        services.nonconformance_disposition(
            nonconformance_id=nonconformance.pk, actor=users["quality"], disposition="scrap"
        )


def test_production_cannot_disposition_or_release(make_order, users):
    # given
    order, nonconformance = _failed(make_order, users)
    # when / then
    with pytest.raises(PermissionDenied):
        services.nonconformance_disposition(
            nonconformance_id=nonconformance.pk, actor=users["production"], disposition="scrap"
        )
    services.nonconformance_disposition(
        nonconformance_id=nonconformance.pk, actor=users["quality"], disposition="scrap"
    )
    with pytest.raises(PermissionDenied):
        services.order_quality_release(order_id=order.pk, actor=users["production"])
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_HOLD


def test_a_released_order_goes_back_on_hold_with_a_nonconformance(make_order, users):
    # given
    order = make_order(status=OrderStatus.QUALITY_RELEASED)
    # when
    nonconformance = services.order_quality_hold(
        order_id=order.pk, actor=users["quality"], description="Wrong labels on the crates"
    )
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_HOLD
    assert (nonconformance.order, nonconformance.status, nonconformance.inspection) == (
        order,
        "open",
        None,
    )
    events = OrderEvent.objects.filter(order=order).values_list("transition", "note")
    assert list(events) == [("quality_hold", "Wrong labels on the crates")]


def test_a_hold_without_a_description_is_refused(make_order, users):
    # given
    order = make_order(status=OrderStatus.QUALITY_RELEASED)
    # when / then
    with pytest.raises(OrderError, match="Describe the nonconformance"):
        services.order_quality_hold(order_id=order.pk, actor=users["quality"], description=" ")
    order.refresh_from_db()
    assert order.status == OrderStatus.QUALITY_RELEASED
    assert not Nonconformance.objects.exists()
