import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from fulfillment.models import (
    Backorder,
    Carrier,
    CarrierService,
    DeliveryReport,
    Inspection,
    InspectionItem,
    InspectionResult,
    ItemKind,
    Nonconformance,
    Package,
    PackageContent,
    ReportKind,
    ServiceLane,
    ServiceRate,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
    TrackingEventCode,
    WebhookAttempt,
)
from orders.states import OrderStatus
from tests.factories.orders import SalesOrderFactory, SalesOrderLineFactory
from tests.factories.users import UserFactory


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.QUALITY_HOLD)
    inspector = factory.SubFactory(UserFactory)
    result = InspectionResult.FAIL
    finished_at = factory.LazyFunction(timezone.now)


class InspectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionItem

    inspection = factory.SubFactory(InspectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = ItemKind.CHECK
    key = factory.Sequence(lambda n: f"check_{n}")
    label = "Finish and cosmetics"
    passed = True


class NonconformanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nonconformance

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.QUALITY_HOLD)
    inspection = factory.SubFactory(InspectionFactory, order=factory.SelfAttribute("..order"))
    description = "Line 1: Length measured 120.3 mm, allowed 119.9 to 120.1 mm."


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carrier
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"CAR{n}")
    name = factory.Sequence(lambda n: f"Carrier {n}")
    tracking_url = "https://track.example.com/?n={tracking}"
    webhook_secret = factory.Sequence(lambda n: f"test-secret-{n:04d}")


class CarrierServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarrierService

    carrier = factory.SubFactory(CarrierFactory)
    code = factory.Sequence(lambda n: f"SVC{n}")
    name = "Ground"


class ServiceLaneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLane

    service = factory.SubFactory(CarrierServiceFactory)
    region = "Midwest"
    transit_days = 3


class ServiceRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRate

    service = factory.SubFactory(CarrierServiceFactory)
    min_weight_kg = Decimal("0")
    base = Decimal("40.00")
    per_kg = Decimal("0.50")


class ShipmentFactory(factory.django.DjangoModelFactory):
    """A shipment being packed for a quality released order."""

    class Meta:
        model = Shipment

    number = factory.Sequence(lambda n: f"SH-{n + 100000:06d}")
    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.QUALITY_RELEASED)
    sequence = 1
    status = ShipmentStatus.PACKING

    class Params:
        shipped = factory.Trait(
            status=ShipmentStatus.SHIPPED,
            carrier=factory.SubFactory(CarrierFactory),
            service=factory.SubFactory(
                CarrierServiceFactory, carrier=factory.SelfAttribute("..carrier")
            ),
            tracking_number=factory.Sequence(lambda n: f"1Z{n + 1000000:010d}"),
            shipped_at=factory.LazyFunction(timezone.now),
            freight_cost=Decimal("85.00"),
        )


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    shipment = factory.SubFactory(ShipmentFactory)
    number = factory.Sequence(lambda n: n + 1)
    length_cm = Decimal("60")
    width_cm = Decimal("40")
    height_cm = Decimal("30")
    weight_kg = Decimal("18.5")


class PackageContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackageContent

    package = factory.SubFactory(PackageFactory)
    line = factory.SubFactory(
        SalesOrderLineFactory, order=factory.SelfAttribute("..package.shipment.order")
    )
    quantity = Decimal("10")


class BackorderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Backorder

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.SHIPPED)
    line = factory.SubFactory(SalesOrderLineFactory, order=factory.SelfAttribute("..order"))
    quantity = Decimal("5")


class TrackingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackingEvent

    shipment = factory.SubFactory(ShipmentFactory, shipped=True)
    external_id = factory.Sequence(lambda n: f"evt-{n:06d}")
    code = TrackingEventCode.IN_TRANSIT
    description = "Departed hub"
    location = "Chicago, IL"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=2))


class WebhookAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookAttempt

    accepted = False
    reason = "Bad signature"


class DeliveryReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryReport

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.DELIVERED)
    kind = ReportKind.DAMAGE
    description = "Two cartons crushed; 4 pieces bent."
