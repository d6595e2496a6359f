import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from scheduling.models import (
    Allocation,
    BomLine,
    Demand,
    DemandProjection,
    Downtime,
    Holiday,
    Item,
    LoadBucket,
    PlannedOperation,
    PlannedReceipt,
    PlannedWorkOrder,
    PlanRun,
    PlanRunStatus,
    PlanTrigger,
    PurchaseEventKind,
    PurchaseOrder,
    PurchaseOrderEvent,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseSuggestion,
    RoutingOperation,
    Shortage,
    WorkCenter,
    WorkOrder,
    WorkOrderOperation,
    WorkOrderStatus,
)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    code = factory.Sequence(lambda n: f"IT-{n:05d}")
    name = factory.Faker("catch_phrase")
    make = True
    unit = "pcs"
    on_hand = Decimal("0")
    lead_time_days = 5


class BomLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BomLine

    parent = factory.SubFactory(ItemFactory)
    component = factory.SubFactory(ItemFactory, make=False)
    quantity_per = Decimal("1")


class WorkCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkCenter

    code = factory.Sequence(lambda n: f"WC{n:02d}")
    name = factory.Sequence(lambda n: f"Work center {n}")


class RoutingOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingOperation

    item = factory.SubFactory(ItemFactory)
    sequence = factory.Sequence(lambda n: (n % 9 + 1) * 10)
    work_center = factory.SubFactory(WorkCenterFactory)
    setup_minutes = 30
    run_minutes_per_unit = Decimal("2.5")


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    date = factory.Sequence(lambda n: dt.date(2027, 1, 1) + dt.timedelta(days=n))
    name = "Plant holiday"


class DowntimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Downtime

    work_center = factory.SubFactory(WorkCenterFactory)
    date = factory.Sequence(lambda n: dt.date(2027, 2, 1) + dt.timedelta(days=n))
    minutes_lost = None
    reason = "Maintenance"


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand

    reference = factory.Sequence(lambda n: f"SO-{n + 500000:06d}/1")
    item = factory.SubFactory(ItemFactory)
    quantity = Decimal("10")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=28))
    priority = 2
    inspection_days = 1


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    demand = factory.SubFactory(DemandFactory)
    item = factory.SelfAttribute("demand.item")
    quantity = Decimal("1")


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrder

    number = factory.Sequence(lambda n: f"PO-{n + 700000:06d}")
    supplier = factory.Faker("company")


class PurchaseOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrderLine

    purchase_order = factory.SubFactory(PurchaseOrderFactory)
    item = factory.SubFactory(ItemFactory, make=False)
    quantity = Decimal("100")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class PurchaseOrderEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrderEvent

    purchase_order = factory.SubFactory(PurchaseOrderFactory)
    kind = PurchaseEventKind.CONFIRMED
    note = "Confirmed."


class PurchaseReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseReceipt

    line = factory.SubFactory(PurchaseOrderLineFactory)
    quantity = Decimal("10")
    delivery_note = factory.Sequence(lambda n: f"DN-{n:05d}")


class WorkOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrder

    number = factory.Sequence(lambda n: f"WO-{n + 800000:06d}")
    item = factory.SubFactory(ItemFactory)
    quantity = Decimal("10")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    status = WorkOrderStatus.RELEASED


class WorkOrderOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkOrderOperation

    work_order = factory.SubFactory(WorkOrderFactory)
    sequence = factory.Sequence(lambda n: (n % 9 + 1) * 10)
    work_center = factory.SubFactory(WorkCenterFactory)
    setup_minutes = 30
    run_minutes_per_unit = Decimal("3")


class PlanRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanRun

    trigger = PlanTrigger.MANUAL
    status = PlanRunStatus.DONE


class PlannedOperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedOperation

    plan_run = factory.SubFactory(PlanRunFactory)
    key = factory.Sequence(lambda n: f"PWO-X-{n}/10")
    work_order_key = factory.LazyAttribute(lambda o: o.key.split("/")[0])
    item = factory.SubFactory(ItemFactory)
    work_center = factory.SubFactory(WorkCenterFactory)
    sequence = 10
    quantity = Decimal("5")
    start = factory.LazyFunction(timezone.now)
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=2))
    setup_minutes = 30
    run_minutes = 90


class PlannedWorkOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedWorkOrder

    plan_run = factory.SubFactory(PlanRunFactory)
    key = factory.Sequence(lambda n: f"PWO-X-{n}")
    item = factory.SubFactory(ItemFactory)
    quantity = Decimal("5")
    start = factory.LazyFunction(timezone.localdate)
    due = factory.LazyAttribute(lambda o: o.start + dt.timedelta(days=5))


class PlannedReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedReceipt

    plan_run = factory.SubFactory(PlanRunFactory)
    reference = factory.Sequence(lambda n: f"PO-{n + 700000:06d}")
    item = factory.SubFactory(ItemFactory, make=False)
    demand_refs = factory.LazyFunction(list)


class PurchaseSuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseSuggestion

    plan_run = factory.SubFactory(PlanRunFactory)
    key = factory.Sequence(lambda n: f"PPO-X-{n}")
    item = factory.SubFactory(ItemFactory, make=False)
    quantity = Decimal("50")
    order_by = factory.LazyFunction(timezone.localdate)
    needed = factory.LazyAttribute(lambda o: o.order_by + dt.timedelta(days=10))
    arrival = factory.SelfAttribute("needed")


class ShortageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shortage

    plan_run = factory.SubFactory(PlanRunFactory)
    item = factory.SubFactory(ItemFactory, make=False)
    quantity = Decimal("5")
    date_needed = factory.LazyFunction(timezone.localdate)
    available_date = factory.LazyAttribute(lambda o: o.date_needed + dt.timedelta(days=3))


class LoadBucketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LoadBucket

    plan_run = factory.SubFactory(PlanRunFactory)
    work_center = factory.SubFactory(WorkCenterFactory)
    day = factory.LazyFunction(timezone.localdate)
    capacity_minutes = 480
    load_minutes = 240


class DemandProjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandProjection

    plan_run = factory.SubFactory(PlanRunFactory)
    reference = factory.Sequence(lambda n: f"SO-{n + 600000:06d}/1")
    item = factory.SubFactory(ItemFactory)
    quantity = Decimal("5")
    due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    projected_completion = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=15)
    )
    projected_ship = factory.LazyAttribute(lambda o: o.projected_completion + dt.timedelta(days=1))
    projected_delivery = factory.LazyAttribute(lambda o: o.projected_ship + dt.timedelta(days=2))
    late_days = 0
    binding_kind = "capacity"
    binding_message = "CNC milling is full until Mon 7 Dec"
