from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """Project-wide pieces that belong to no one domain app: roles, navigation, demo data."""

    name = "config"
    label = "project"
    verbose_name = "Ordercraft"
