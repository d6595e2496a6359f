from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """The buyer keeps purchase orders: confirmations, slips, receipts, cancellations."""

    dependencies = [
        ("project", "0009_metrics_roles"),
        ("scheduling", "0004_purchasing"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
