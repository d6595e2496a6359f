from django.db import migrations

from config.roles import sync_role_groups


class Migration(migrations.Migration):
    """Credit releases credit holds and records deposits; blanket agreements for sales."""

    dependencies = [("project", "0003_entry_roles"), ("orders", "0006_blanket_agreements")]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
