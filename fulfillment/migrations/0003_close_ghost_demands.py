"""Close the demands of orders the plant no longer owes anything on.

Before demands followed their orders, a cancelled, shipped, delivered or closed order kept its
demand open, so every plan booked capacity and material for it. This sets each open demand
to what its order says: cancelled with a cancelled order, fulfilled with a closed one, and
for shipped or delivered orders reduced to what is still owed on each line, its open
backorders (fulfilled when there are none). What shipped also leaves stock, as shipping does
from now on.
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import F, Sum
from django.db.models.functions import Greatest


def close_ghost_demands(apps, schema_editor):
    Demand = apps.get_model("scheduling", "Demand")
    Item = apps.get_model("scheduling", "Item")
    SalesOrder = apps.get_model("orders", "SalesOrder")
    Backorder = apps.get_model("fulfillment", "Backorder")
    demands = list(Demand.objects.filter(status="open"))
    numbers = {demand.reference.rpartition("/")[0] for demand in demands}
    orders = {
        order.number: order
        for order in SalesOrder.objects.filter(
            number__in=numbers, status__in=("cancelled", "shipped", "delivered", "closed")
        )
    }
    owed = {
        (row["order_id"], row["line__line_no"]): row["total"]
        for row in Backorder.objects.filter(
            status="open", order_id__in=[order.pk for order in orders.values()]
        )
        .values("order_id", "line__line_no")
        .annotate(total=Sum("quantity"))
        .order_by()
    }
    for demand in demands:
        number, _slash, line_no = demand.reference.rpartition("/")
        order = orders.get(number)
        if order is None or not line_no.isdigit():
            continue
        if order.status == "cancelled":
            demand.status = "cancelled"
        elif order.status == "closed":
            demand.status = "fulfilled"
        else:
            still_owed = owed.get((order.pk, int(line_no)), Decimal(0))
            quantity = max(demand.quantity - still_owed, Decimal(0))
            if quantity <= demand.shipped_quantity:
                continue
            Item.objects.filter(pk=demand.item_id).update(
                on_hand=Greatest(F("on_hand") - (quantity - demand.shipped_quantity), 0)
            )
            demand.shipped_quantity = quantity
            if quantity >= demand.quantity:
                demand.status = "fulfilled"
        demand.save(update_fields=["status", "shipped_quantity"])
        if demand.status != "open":
            demand.allocations.all().delete()
            continue
        # What is still reserved can be no more than what is still owed.
        still_owed = demand.quantity - demand.shipped_quantity
        demand.allocations.filter(quantity__gt=still_owed).update(quantity=still_owed)


class Migration(migrations.Migration):
    dependencies = [
        ("fulfillment", "0002_shipping_and_delivery"),
        ("orders", "0012_order_metric_indexes"),
        ("scheduling", "0002_demand_shipped_quantity"),
    ]

    operations = [migrations.RunPython(close_ghost_demands, migrations.RunPython.noop)]
