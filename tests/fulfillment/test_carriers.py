import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from fulfillment import services
from fulfillment.services.carriers import add_working_days, next_working_day
from orders.errors import OrderError
from orders.states import OrderStatus
from tests.factories.fulfillment import (
    CarrierFactory,
    CarrierServiceFactory,
    PackageFactory,
    ServiceLaneFactory,
    ServiceRateFactory,
    ShipmentFactory,
)
from tests.factories.orders import SalesOrderFactory

pytestmark = pytest.mark.django_db

# Wednesday 2 December 2026; the order is promised for Monday 7 December.
TODAY = dt.date(2026, 12, 2)
PROMISED = dt.date(2026, 12, 7)


def service(name, *, days, base, per_kg="0", liftgate=False, appointments=False, region="Midwest"):
    carrier = CarrierFactory(name=name.split()[0], code=name.split()[0].upper())
    svc = CarrierServiceFactory(
        carrier=carrier,
        name=" ".join(name.split()[1:]),
        liftgate=liftgate,
        appointments=appointments,
    )
    if region:
        ServiceLaneFactory(service=svc, region=region, transit_days=days)
    ServiceRateFactory(service=svc, base=Decimal(base), per_kg=Decimal(per_kg))
    return svc


@pytest.fixture
def shipment(db):
    order = SalesOrderFactory(status=OrderStatus.QUALITY_RELEASED, promised_date=PROMISED)
    shipment = ShipmentFactory(order=order)
    PackageFactory(shipment=shipment, weight_kg=Decimal("20"))
    return shipment


def names(options):
    return [str(option.service) for option in options]


def test_working_days_skip_the_weekend():
    assert next_working_day(dt.date(2026, 12, 5)) == dt.date(2026, 12, 7)  # Sat -> Mon
    assert add_working_days(dt.date(2026, 12, 3), 2) == dt.date(2026, 12, 7)  # Thu + 2 -> Mon


def test_on_time_and_cheaper_beats_on_time_and_dearer(shipment):
    # given
    service("Swift Express", days=1, base="90")
    service("Rivet Ground", days=3, base="40")
    # when
    options = services.carrier_options(shipment=shipment, today=TODAY)
    # then
    assert names(options) == ["Rivet Ground", "Swift Express"]
    first = options[0]
    assert first.suggested is True
    assert first.on_time is True
    assert first.arrival == dt.date(2026, 12, 7)
    assert first.cost == Decimal("40.00")
    assert first.reason == "Arrives on the promised Mon 7 Dec; 40.00 for 20 kg."
    assert options[1].suggested is False


def test_late_options_come_after_on_time_ones_earliest_first(shipment):
    # given
    service("Slow Freight", days=6, base="10")
    service("Slower Barge", days=9, base="5")
    service("Swift Express", days=1, base="90")
    # when
    options = services.carrier_options(shipment=shipment, today=TODAY)
    # then
    assert names(options) == ["Swift Express", "Slow Freight", "Slower Barge"]
    assert [o.on_time for o in options] == [True, False, False]
    assert options[1].arrival == dt.date(2026, 12, 10)
    assert options[1].reason == "3 days after the promised Mon 7 Dec; 10.00 for 20 kg."


def test_services_lacking_what_the_site_needs_are_unsuitable_and_last(shipment):
    # given
    order = shipment.order
    order.liftgate_required = True
    order.save()
    service("Cheap Parcel", days=1, base="15")
    service("Rivet LTL", days=5, base="120", liftgate=True)
    # when
    options = services.carrier_options(shipment=shipment, today=TODAY)
    # then
    assert names(options) == ["Rivet LTL", "Cheap Parcel"]
    assert options[0].suggested is True  # late but suitable beats unsuitable
    assert options[1].suitable is False
    assert options[1].reason.startswith("Unsuitable: no liftgate.")


def test_a_service_without_a_lane_to_the_region_is_left_out_with_a_note(shipment):
    # given
    service("Rivet Ground", days=2, base="40")
    service("Coastal Ground", days=1, base="20", region="West")
    # when
    choice = services.carrier_choice(shipment=shipment, today=TODAY)
    # then
    assert names(choice.options) == ["Rivet Ground"]
    assert choice.excluded == ["Coastal Ground: no lane to Midwest."]


def test_the_rate_band_follows_the_shipment_weight(shipment):
    # given
    svc = service("Rivet Ground", days=2, base="40", per_kg="1")
    ServiceRateFactory(service=svc, min_weight_kg=Decimal("15"), base=Decimal("30"), per_kg=0)
    ServiceRateFactory(service=svc, min_weight_kg=Decimal("50"), base=Decimal("99"), per_kg=0)
    # when
    option = services.carrier_options(shipment=shipment, today=TODAY)[0]
    # then
    assert option.cost == Decimal("30.00")


@time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False)
def test_on_a_saturday_the_goods_leave_on_monday(shipment):
    service("Rivet Ground", days=1, base="40")
    option = services.carrier_options(shipment=shipment)[0]
    assert option.ship_date == dt.date(2026, 12, 7)
    assert option.arrival == dt.date(2026, 12, 8)
    assert option.on_time is False


def test_choosing_a_carrier_records_it_with_cost_and_date(shipment, users):
    # given
    svc = service("Rivet Ground", days=3, base="40", per_kg="0.5")
    # when
    services.shipment_choose_carrier(
        shipment_id=shipment.pk, actor=users["shipping"], service_id=svc.pk, today=TODAY
    )
    # then
    shipment.refresh_from_db()
    assert shipment.carrier_id == svc.carrier_id
    assert shipment.service_id == svc.pk
    assert shipment.freight_cost == Decimal("50.00")
    assert shipment.estimated_delivery == dt.date(2026, 12, 7)
    event = shipment.order.events.get()
    assert event.note == (
        f"Carrier for {shipment.number}: Rivet Ground, freight 50.00, "
        "estimated delivery Mon 7 Dec 2026."
    )


def test_an_unsuitable_or_unknown_service_cannot_be_chosen(shipment, users):
    # given
    order = shipment.order
    order.liftgate_required = True
    order.save()
    parcel = service("Cheap Parcel", days=1, base="15")
    # when / then
    with pytest.raises(OrderError, match="unsuitable"):
        services.shipment_choose_carrier(
            shipment_id=shipment.pk, actor=users["shipping"], service_id=parcel.pk
        )
    with pytest.raises(OrderError, match="cannot take this shipment"):
        services.shipment_choose_carrier(
            shipment_id=shipment.pk, actor=users["shipping"], service_id=999999
        )
    shipment.refresh_from_db()
    assert shipment.service_id is None
    assert not order.events.exists()


def test_the_carrier_page_marks_the_suggestion_and_chooses(client, users, shipment):
    # given
    cheap = service("Rivet Ground", days=2, base="40")
    service("Swift Express", days=1, base="90")
    client.force_login(users["shipping"])
    url = reverse("fulfillment:carrier", args=[shipment.pk])
    # when
    page = client.get(url)
    chosen = client.post(url, {"service": cheap.pk})
    garbage = client.post(url, {"service": "abc"})
    # then
    assert page.status_code == 200
    assert page.text.count(">Suggested<") == 1
    assert chosen.status_code == 302
    shipment.refresh_from_db()
    assert shipment.service_id == cheap.pk
    assert garbage.status_code == 400
    assert "Choose a service." in garbage.text
