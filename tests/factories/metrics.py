import datetime as dt

import factory

from metrics.models import DailyDistribution, DailyFigures, SnapshotDay
from orders.models import Complaint, ComplaintType, SurveyAnswer
from orders.states import OrderType
from tests.factories.orders import ContactFactory, CustomerFactory, SalesOrderFactory


class SnapshotDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SnapshotDay
        django_get_or_create = ["day"]

    day = dt.date(2026, 3, 2)


class DailyFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyFigures

    day = dt.date(2026, 3, 2)
    customer = factory.SubFactory(CustomerFactory)
    family = "Brackets"
    order_type = OrderType.STANDARD
    delivered = 1


class DailyDistributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DailyDistribution

    figures = factory.SubFactory(DailyFiguresFactory)
    day = factory.SelfAttribute("figures.day")
    measure = "cycle"
    value = "10"
    count = 1


# The portal writes these through orders.services; tests of the figures build them directly.
class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    order = factory.SubFactory(SalesOrderFactory)
    contact = factory.SubFactory(ContactFactory, customer=factory.SelfAttribute("..order.customer"))
    complaint_type = ComplaintType.QUALITY
    text = "Burrs on the edges."


class SurveyAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyAnswer

    order = factory.SubFactory(SalesOrderFactory)
    contact = factory.SubFactory(ContactFactory, customer=factory.SelfAttribute("..order.customer"))
    score = 5
