from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """Quality inspects and dispositions nonconformances; production reads them for rework."""

    dependencies = [("project", "0006_change_request_roles"), ("fulfillment", "0001_initial")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
