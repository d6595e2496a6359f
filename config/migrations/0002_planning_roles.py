from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """Planning permissions reach the planner, production and manager roles."""

    dependencies = [("project", "0001_roles")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
