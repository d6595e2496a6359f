from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """Sales records and decides change requests; every staff role may read them."""

    dependencies = [("project", "0005_alert_roles"), ("orders", "0008_change_requests")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
