from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """Alerts, exceptions, delay notices and expediting reach their roles."""

    dependencies = [("project", "0004_credit_roles"), ("orders", "0007_alerts")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
