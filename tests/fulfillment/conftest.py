from decimal import Decimal

import pytest

from orders.states import OrderStatus
from scheduling.models import OperationStatus, WorkOrderStatus
from tests.factories.orders import ProductFactory, SalesOrderFactory, SalesOrderLineFactory
from tests.factories.scheduling import (
    WorkCenterFactory,
    WorkOrderFactory,
    WorkOrderOperationFactory,
)

LENGTH = {"nominal": "120", "tol_plus": "0.1", "tol_minus": "0.1"}


@pytest.fixture
def make_order(db):
    """An order with a made-to-spec line 1 (20 pcs, length 120 ±0.1 mm) and a bought-in line 2."""

    def make(status=OrderStatus.IN_PRODUCTION):
        order = SalesOrderFactory(status=status)
        SalesOrderLineFactory(
            order=order,
            line_no=1,
            quantity=Decimal("20"),
            product=ProductFactory(custom=True),
            specs={"length": LENGTH, "material": "6061-T6"},
        )
        SalesOrderLineFactory(order=order, line_no=2, product=ProductFactory(item=None))
        return order

    return make


@pytest.fixture
def make_work(db):
    """``make_work(order, good=20)``: a work order pegged to line 1 with one operation."""

    def make(
        order,
        *,
        good="20",
        status=WorkOrderStatus.DONE,
        operation_status=OperationStatus.DONE,
        sequence=30,
        center="Paint line",
        line_no=1,
    ):
        work_order = WorkOrderFactory(
            demand_refs=[f"{order.number}/{line_no}"],
            quantity=Decimal("20"),
            good_quantity=Decimal(good),
            status=status,
        )
        WorkOrderOperationFactory(
            work_order=work_order,
            sequence=sequence,
            status=operation_status,
            work_center=WorkCenterFactory(name=center),
        )
        return work_order

    return make
