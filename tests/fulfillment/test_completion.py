import pytest
from django.core.exceptions import PermissionDenied

from fulfillment import services
from orders.errors import OrderTransitionError
from orders.models import OrderEvent
from orders.states import OrderStatus
from scheduling.models import OperationStatus, WorkOrderStatus
from tests.factories.orders import SalesOrderFactory

pytestmark = pytest.mark.django_db


def test_an_order_whose_lines_are_made_and_work_done_is_completed(make_order, make_work, users):
    # given
    order = make_order()
    make_work(order, good="20")
    # when
    services.order_complete(order_id=order.pk, actor=users["production"])
    # then
    order.refresh_from_db()
    assert order.status == OrderStatus.PRODUCED
    assert order.produced_at is not None
    events = list(
        OrderEvent.objects.filter(order=order).values_list(
            "transition", "from_status", "to_status", "actor__username"
        )
    )
    assert events == [("complete", "in_production", "produced", "production")]


def test_a_short_quantity_is_listed_and_refuses_completion(make_order, make_work, users):
    # given
    order = make_order()
    make_work(order, good="18")
    # when
    problems = services.completion_check(order=order)
    with pytest.raises(services.CompletionError) as refused:
        services.order_complete(order_id=order.pk, actor=users["production"])
    # then
    assert problems == ["Line 1: 18 of 20 made"]
    assert refused.value.problems == ["Line 1: 18 of 20 made"]
    assert (
        refused.value.message == f"{order.number} cannot be completed yet: Line 1: 18 of 20 made."
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION
    assert not OrderEvent.objects.filter(order=order).exists()


def test_open_work_orders_and_operations_refuse_completion(make_order, make_work, users):
    # given: 15 made and closed, 5 more still running in the paint line
    order = make_order()
    make_work(order, good="15", status=WorkOrderStatus.CLOSED)
    running = make_work(
        order,
        good="5",
        status=WorkOrderStatus.IN_PROGRESS,
        operation_status=OperationStatus.IN_PROGRESS,
    )
    # when
    with pytest.raises(services.CompletionError) as refused:
        services.order_complete(order_id=order.pk, actor=users["production"])
    # then: its good quantity does not count until the work order is done
    assert refused.value.problems == [
        "Line 1: 15 of 20 made",
        f"{running.number} is still in progress",
        f"{running.number} still has operation 30 (Paint line) open",
    ]
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION


def test_a_released_work_order_with_enough_quantity_still_blocks(make_order, make_work, users):
    # given
    order = make_order()
    make_work(order, good="20")
    waiting = make_work(
        order,
        good="0",
        status=WorkOrderStatus.RELEASED,
        operation_status=OperationStatus.PLANNED,
        sequence=10,
        center="Saw",
    )
    # when
    problems = services.completion_check(order=order)
    # then
    assert problems == [
        f"{waiting.number} is still released",
        f"{waiting.number} still has operation 10 (Saw) open",
    ]


def test_bought_in_lines_and_other_orders_work_do_not_count(make_work, users, make_order):
    # given: only the bought-in line needs nothing; another order's work order is ignored
    order = make_order()
    order.lines.filter(line_no=1).delete()
    other = SalesOrderFactory(number=f"{order.number}0", status=OrderStatus.IN_PRODUCTION)
    make_work(other, good="0", status=WorkOrderStatus.IN_PROGRESS)
    # when
    problems = services.completion_check(order=order)
    services.order_complete(order_id=order.pk, actor=users["production"])
    # then
    assert problems == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PRODUCED


def test_only_production_completes(make_order, make_work, users):
    # given
    order = make_order()
    make_work(order)
    # when / then
    with pytest.raises(PermissionDenied):
        services.order_complete(order_id=order.pk, actor=users["quality"])
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION


def test_an_order_not_in_production_cannot_be_completed(make_order, users):
    # given
    order = make_order(status=OrderStatus.RELEASED)
    # when / then
    with pytest.raises(OrderTransitionError):
        services.order_complete(order_id=order.pk, actor=users["production"])
