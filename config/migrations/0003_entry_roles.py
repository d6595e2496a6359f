from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """Order entry permissions: payment terms (credit, manager) and promise override (manager)."""

    dependencies = [("project", "0002_planning_roles"), ("orders", "0004_entry")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
