"""The data migration that closes the demands of orders already cancelled, shipped or closed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("fulfillment", "0002_shipping_and_delivery"),
    ("scheduling", "0002_demand_shipped_quantity"),
]
AFTER = [("fulfillment", "0003_close_ghost_demands")]


@pytest.mark.django_db(transaction=True)
def test_demands_of_finished_orders_are_closed_and_what_shipped_leaves_stock():
    # given: the schema before the migration, with one open demand per kind of order
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Customer = apps.get_model("orders", "Customer")
    SalesOrder = apps.get_model("orders", "SalesOrder")
    Line = apps.get_model("orders", "SalesOrderLine")
    Product = apps.get_model("orders", "Product")
    Item = apps.get_model("scheduling", "Item")
    Demand = apps.get_model("scheduling", "Demand")
    Allocation = apps.get_model("scheduling", "Allocation")
    Backorder = apps.get_model("fulfillment", "Backorder")
    customer = Customer.objects.create(code="C1", name="Kestrel Robotics")
    item = Item.objects.create(code="FRAME", name="Welded frame", on_hand=Decimal(50))
    product = Product.objects.create(sku="FRM-1", name="Frame", price=1, item=item)
    due = dt.date(2027, 3, 1)
    for number, status in [
        ("SO-1", "cancelled"),
        ("SO-2", "closed"),
        ("SO-3", "delivered"),
        ("SO-4", "shipped"),
        ("SO-5", "planned"),
    ]:
        order = SalesOrder.objects.create(number=number, customer=customer, status=status)
        line = Line.objects.create(
            order=order, line_no=1, product=product, quantity=Decimal(10), unit_price=1
        )
        demand = Demand.objects.create(
            reference=f"{number}/1", item=item, quantity=Decimal(10), due_date=due
        )
        Allocation.objects.create(item=item, demand=demand, quantity=Decimal(10))
        if number == "SO-4":
            Backorder.objects.create(order=order, line=line, quantity=Decimal(4))
    # when
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # then
    rows = {
        ref: (status, shipped)
        for ref, status, shipped in Demand.objects.values_list(
            "reference", "status", "shipped_quantity"
        )
    }
    assert rows == {
        "SO-1/1": ("cancelled", 0),
        "SO-2/1": ("fulfilled", 0),
        "SO-3/1": ("fulfilled", 10),
        "SO-4/1": ("open", 6),
        "SO-5/1": ("open", 0),
    }
    # 10 left with SO-3 and 6 with SO-4; only what is still owed stays reserved
    assert Item.objects.get(pk=item.pk).on_hand == 34
    assert dict(Allocation.objects.values_list("demand__reference", "quantity")) == {
        "SO-4/1": 4,
        "SO-5/1": 10,
    }
