"""The demo plant that `make run` loads is one a planner could trust."""

import io

import pytest
from django.core.management import call_command

from fulfillment.selectors.demands import ghost_demands
from orders.models import SalesOrder
from orders.states import OrderStatus
from scheduling.models import Demand, DemandStatus

pytestmark = pytest.mark.django_db


def test_the_demo_plans_only_what_is_still_owed(role_groups):
    # when
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    # then: every order of every state is there, and the plan holds none of the finished ones
    statuses = set(SalesOrder.objects.values_list("status", flat=True))
    assert {OrderStatus.CANCELLED, OrderStatus.SHIPPED, OrderStatus.CLOSED} <= statuses
    assert Demand.objects.filter(status=DemandStatus.OPEN).count() > 100
    assert ghost_demands() == []
