"""A demand follows its order through the whole lifecycle: the plan holds only what is owed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fulfillment.models import BackorderStatus
from fulfillment.selectors.demands import ghost_demands
from fulfillment.services import backorder_cancel, shipment_ship
from fulfillment.services.delivery import order_close, shipment_deliver
from orders import services
from orders.models import OrderPolicy
from orders.states import OrderStatus as S
from scheduling.models import Allocation, Demand, DemandStatus, Item
from tests.factories.fulfillment import BackorderFactory
from tests.fulfillment.shipping_setup import packed_shipment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def established_customers(db):
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})


def demand_of(order, line_no=1) -> tuple[str, Decimal, Decimal]:
    demand = Demand.objects.get(reference=f"{order.number}/{line_no}")
    return demand.status, demand.quantity, demand.open_quantity


def fire(order, transition, actor):
    return services.order_transition(order_id=order.pk, transition=transition, actor=actor)


def test_a_demand_follows_its_order_from_acknowledgment_to_close(make_user):
    # given: a packed order set up as shipping finds it, but validated and not yet promised
    admin = make_user("admin")
    shipment = packed_shipment(inspector=make_user("quality"), order_status=S.VALIDATED)
    order = shipment.order
    item = order.lines.get(line_no=1).product.item
    Item.objects.filter(pk=item.pk).update(on_hand=Decimal(20))
    assert not Demand.objects.exists()
    # when / then: acknowledged, line 1 (made) is owed in full; line 2 (bought in) is not planned
    services.order_acknowledge(
        order_id=order.pk, actor=admin, promised_date=timezone.localdate() + dt.timedelta(days=20)
    )
    assert demand_of(order) == (DemandStatus.OPEN, Decimal(20), Decimal(20))
    assert Demand.objects.count() == 1
    for transition in ("plan", "release", "start", "complete", "inspect_pass", "pack"):
        order = fire(order, transition, admin)
        assert demand_of(order) == (DemandStatus.OPEN, Decimal(20), Decimal(20)), transition
    Allocation.objects.create(item=item, demand=Demand.objects.get(), quantity=Decimal(20))
    # shipped: what left is no longer owed, and it left stock with its reservation
    shipment_ship(shipment_id=shipment.pk, actor=admin, tracking_number="1Z42")
    assert demand_of(order) == (DemandStatus.FULFILLED, Decimal(20), Decimal(0))
    assert Item.objects.get(pk=item.pk).on_hand == 0
    assert not Allocation.objects.exists()
    shipment_deliver(shipment_id=shipment.pk, actor=admin, received_by="J. Doe")
    order.refresh_from_db()
    assert order.status == S.DELIVERED
    assert demand_of(order)[0] == DemandStatus.FULFILLED
    order_close(order_id=order.pk, actor=admin)
    order.refresh_from_db()
    assert (order.status, demand_of(order)[0]) == (S.CLOSED, DemandStatus.FULFILLED)
    assert ghost_demands() == []


def test_a_backorder_keeps_the_rest_open_until_it_is_cancelled(make_user):
    # given: 12 of line 1's 20 pieces are packed; the other 8 are backordered
    admin = make_user("admin")
    shipment = packed_shipment(inspector=make_user("quality"))
    order = shipment.order
    line = order.lines.get(line_no=1)
    content = shipment.packages.get(number=1).contents.get()
    content.quantity = Decimal(12)
    content.save()
    backorder = BackorderFactory(order=order, line=line, quantity=Decimal(8))
    services.order_demands_plan(order=order)
    # when
    shipment_ship(shipment_id=shipment.pk, actor=admin, tracking_number="1Z43")
    # then: the plan still has to make the 8
    assert demand_of(order) == (DemandStatus.OPEN, Decimal(20), Decimal(8))
    assert ghost_demands() == []
    # when: the customer no longer wants them
    backorder_cancel(backorder_id=backorder.pk, actor=admin, reason="Customer found stock")
    # then
    backorder.refresh_from_db()
    assert backorder.status == BackorderStatus.CANCELLED
    assert demand_of(order) == (DemandStatus.FULFILLED, Decimal(20), Decimal(8))


@pytest.mark.parametrize("status", [S.ACKNOWLEDGED, S.IN_PRODUCTION, S.PACKED])
def test_cancelling_an_order_cancels_its_demand_and_frees_its_stock(make_user, status):
    # given
    shipment = packed_shipment(inspector=make_user("quality"), order_status=status)
    order = shipment.order
    services.order_demands_plan(order=order)
    demand = Demand.objects.get()
    Allocation.objects.create(item=demand.item, demand=demand, quantity=Decimal(5))
    # when
    services.order_transition(
        order_id=order.pk,
        transition="cancel",
        actor=make_user("sales"),
        note="The customer's project was stopped",
    )
    # then
    assert demand_of(order)[0] == DemandStatus.CANCELLED
    assert not Allocation.objects.exists()
    assert ghost_demands() == []


def test_an_accepted_change_and_an_expedite_reach_the_demand(make_user):
    # given: an acknowledged order of 20
    sales = make_user("sales")
    shipment = packed_shipment(inspector=make_user("quality"), order_status=S.VALIDATED)
    order = shipment.order
    promised = timezone.localdate() + dt.timedelta(days=30)
    services.order_acknowledge(order_id=order.pk, actor=sales, promised_date=promised)
    later = promised + dt.timedelta(days=7)
    change = services.change_request_create(
        order_id=order.pk, actor=sales, reason="Their line moved", quantities={"1": "26"}
    )
    change.status = "ready"
    change.save(update_fields=["status"])
    # when
    services.change_request_accept(change_request_id=change.pk, actor=sales, promised_date=later)
    # then
    demand = Demand.objects.get()
    assert (demand.quantity, demand.due_date, demand.priority) == (Decimal(26), later, 2)
    # when
    services.order_expedite(order_id=order.pk, actor=sales)
    # then
    demand.refresh_from_db()
    assert demand.priority == 0
