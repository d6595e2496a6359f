import factory
from django.utils import timezone

from fulfillment.models import (
    Inspection,
    InspectionItem,
    InspectionResult,
    ItemKind,
    Nonconformance,
)
from orders.states import OrderStatus
from tests.factories.orders import SalesOrderFactory
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
