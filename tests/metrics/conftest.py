"""Hand-built delivered orders whose figures are known, in the first half of March 2026."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from fulfillment.models import ReportKind
from orders.models import MessageKind, MessageStatus, OrderEventKind, OutboxMessage
from orders.states import OrderStatus, OrderType
from tests.factories.fulfillment import (
    BackorderFactory,
    DeliveryReportFactory,
    NonconformanceFactory,
    PackageContentFactory,
    PackageFactory,
    ShipmentFactory,
)
from tests.factories.metrics import ComplaintFactory
from tests.factories.orders import (
    CustomerFactory,
    OrderEventFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)
from tests.factories.users import UserFactory

TODAY = dt.date(2026, 3, 20)
START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 15)


def day(n: int) -> dt.date:
    return dt.date(2026, 3, n)


def at(n: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, n, hour, tzinfo=dt.UTC)


@pytest.fixture
def today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        yield TODAY


def delivered_order(
    *,
    first,
    actual,
    current=None,
    entered=None,
    customer=None,
    family="Brackets",
    status=OrderStatus.DELIVERED,
    **kwargs,
):
    """A delivered order with one line of 10 (entered 20 days before delivery by default)."""
    order = SalesOrderFactory(
        status=status,
        customer=customer or CustomerFactory(),
        first_promised_date=first,
        promised_date=current or first,
        requested_date=first,
        actual_delivery_date=actual,
        submitted_at=entered
        or dt.datetime.combine(actual - dt.timedelta(days=20), dt.time(9), tzinfo=dt.UTC),
        **kwargs,
    )
    SalesOrderLineFactory(order=order, line_no=1, product__family=family, quantity=Decimal(10))
    return order


def ship_first(order, quantity: str) -> None:
    shipment = ShipmentFactory(order=order, sequence=1)
    PackageContentFactory(
        package=PackageFactory(shipment=shipment),
        line=order.lines.get(),
        quantity=Decimal(quantity),
    )


@pytest.fixture
def known(today):
    """Seven delivered orders, each failing one thing (or nothing), plus noise outside."""
    sales, planner = UserFactory(username="sam"), UserFactory(username="pia")
    acme = CustomerFactory(name="Acme")
    perfect = delivered_order(first=day(10), actual=day(9), customer=acme, owner=sales)
    ship_first(perfect, "10")
    OrderEventFactory(
        order=perfect, kind=OrderEventKind.TRANSITION, transition="plan", actor=planner
    )
    late_silent = delivered_order(first=day(5), actual=day(8), owner=sales)
    late_told = delivered_order(
        first=day(6), current=day(12), actual=day(11), family="Frames", order_type=OrderType.RUSH
    )
    OrderEventFactory(
        order=late_told,
        kind=OrderEventKind.REPROMISE,
        data={"from": "2026-03-06", "to": "2026-03-12", "customer_told": True},
    )
    OutboxMessage.objects.create(
        order=late_told,
        kind=MessageKind.DELAY_NOTICE,
        subject="Delay",
        body="Delay",
        status=MessageStatus.SENT,
        sent_at=at(2),
    )
    incomplete = delivered_order(first=day(12), actual=day(12), customer=acme)
    ship_first(incomplete, "6")
    BackorderFactory(order=incomplete, line=incomplete.lines.get(), quantity=Decimal(4))
    damaged = delivered_order(first=day(12), actual=day(3))
    DeliveryReportFactory(order=damaged, kind=ReportKind.DAMAGE)
    documents = delivered_order(first=day(14), actual=day(14))
    ComplaintFactory(order=documents, complaint_type="documentation")
    escaped = delivered_order(first=day(15), actual=day(15))
    NonconformanceFactory(order=escaped)
    # Outside the period or not delivered: never counted.
    delivered_order(first=day(1), actual=day(1))
    delivered_order(first=day(16), actual=day(16))
    SalesOrderFactory(status=OrderStatus.SHIPPED, promised_date=day(4))
    return {
        "perfect": perfect,
        "late_silent": late_silent,
        "late_told": late_told,
        "incomplete": incomplete,
        "damaged": damaged,
        "documents": documents,
        "escaped": escaped,
        "acme": acme,
        "sales": sales,
        "planner": planner,
    }
