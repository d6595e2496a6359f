from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """Shipping packs and ships; credit records payments and credit notes; staff see shipments."""

    dependencies = [
        ("project", "0007_fulfillment_roles"),
        ("fulfillment", "0002_shipping_and_delivery"),
        ("orders", "0011_invoice_credited_amount"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
