"""The demo's customer voice: what it adds to delivered orders, and that it adds it once."""

from decimal import Decimal

import pytest

from config.demo import voice
from fulfillment.models import Backorder, Nonconformance, PackageContent, Shipment
from orders.models import (
    ChangeRequest,
    Complaint,
    MessageKind,
    MessageStatus,
    OutboxMessage,
    SurveyAnswer,
)
from orders.states import OrderStatus
from tests.factories.fulfillment import (
    PackageContentFactory,
    PackageFactory,
    ShipmentFactory,
)
from tests.factories.orders import ContactFactory, CustomerFactory, SalesOrderFactory
from tests.factories.users import UserFactory
from tests.metrics.conftest import at, day, delivered_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def always(monkeypatch):
    """Every chance certain (change requests and nonconformances never), so counts are exact."""
    monkeypatch.setattr(voice, "NOTICE_CHANCE", 1.0)
    monkeypatch.setattr(voice, "SURVEY_CHANCE", 1.0)
    monkeypatch.setattr(voice, "COMPLAINT_CHANCE", {"failed": 1.0, "fine": 0.0})
    monkeypatch.setattr(voice, "CHANGE_CHANCE", 0.0)
    monkeypatch.setattr(voice, "BACKORDER_CHANCE", 1.0)
    monkeypatch.setattr(voice, "NONCONFORMANCE_CHANCE", 0.0)


@pytest.fixture
def demo_orders(today):
    customer = CustomerFactory(name="Acme")
    contact = ContactFactory(customer=customer, email="buyer@acme.test", is_primary=True)
    # Delivered early in March, so the answers (up to 12 days later) are before today, the 20th.
    late = delivered_order(
        first=day(3), actual=day(5), customer=customer, acknowledged_at=at(1), delivered_at=at(5)
    )
    on_time = delivered_order(
        first=day(6),
        actual=day(5),
        customer=customer,
        status=OrderStatus.CLOSED,
        acknowledged_at=at(1),
        shipped_at=at(3),
        delivered_at=at(5),
    )
    shipment = ShipmentFactory(order=on_time, sequence=1, shipped=True, shipped_at=at(3))
    PackageContentFactory(
        package=PackageFactory(shipment=shipment), line=on_time.lines.get(), quantity=Decimal(10)
    )
    SalesOrderFactory(status=OrderStatus.SHIPPED, customer=customer, promised_date=day(12))
    users = {name: UserFactory(username=name) for name in ("sales", "shipping", "quality")}
    return {"late": late, "on_time": on_time, "contact": contact, "users": users}


def table_counts() -> dict[str, int]:
    models = (Complaint, SurveyAnswer, OutboxMessage, ChangeRequest, Backorder, Nonconformance)
    return {model.__name__: model.objects.count() for model in (*models, Shipment)}


def test_the_customer_voice_lands_on_delivered_orders_once(always, demo_orders):
    # given
    late, on_time = demo_orders["late"], demo_orders["on_time"]
    # when
    first = voice.seed_customer_voice(seed=2026, users=demo_orders["users"])
    after_first = table_counts()
    second = voice.seed_customer_voice(seed=2026, users=demo_orders["users"])
    # then
    assert first == {
        "complaints": 1,
        "surveys": 2,
        "notices": 1,
        "changes": 0,
        "backorders": 1,
        "nonconformances": 0,
    }
    assert set(second.values()) == {0}
    assert table_counts() == after_first
    notice = OutboxMessage.objects.get()
    assert (notice.order, notice.kind, notice.status) == (
        late,
        MessageKind.DELAY_NOTICE,
        MessageStatus.SENT,
    )
    assert notice.sent_at.date() < late.first_promised_date
    assert notice.recipients == ["buyer@acme.test"]
    assert Complaint.objects.get().order == late
    assert set(SurveyAnswer.objects.values_list("order", flat=True)) == {late.pk, on_time.pk}
    assert all(1 <= a.score <= 5 for a in SurveyAnswer.objects.all())
    backorder = Backorder.objects.get()
    first_shipped = PackageContent.objects.get(package__shipment__sequence=1).quantity
    assert (backorder.order, backorder.status, backorder.shipment.sequence) == (
        on_time,
        "shipped",
        2,
    )
    assert first_shipped + backorder.quantity == Decimal(10)
    assert first_shipped < Decimal(10)


def test_a_notice_is_never_dated_on_or_after_the_promise(always, demo_orders):
    # given: a late order acknowledged the day before its promise: no time to warn
    rushed = delivered_order(
        first=day(10),
        actual=day(13),
        customer=demo_orders["late"].customer,
        acknowledged_at=at(10, 12),
    )
    # when
    voice.seed_customer_voice(seed=2026, users=demo_orders["users"])
    # then
    assert not OutboxMessage.objects.filter(order=rushed).exists()
    assert OutboxMessage.objects.filter(order=demo_orders["late"]).count() == 1
