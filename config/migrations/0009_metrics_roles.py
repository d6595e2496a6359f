from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """Managers see the dashboards."""

    dependencies = [
        ("project", "0008_shipping_roles"),
        ("metrics", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
