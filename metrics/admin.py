from django.contrib import admin

from metrics.models import SnapshotDay


@admin.register(SnapshotDay)
class SnapshotDayAdmin(admin.ModelAdmin):
    """Which days the dashboard reads from the snapshot (rebuild with ``metrics_rebuild``)."""

    list_display = ("day", "delivered", "entered", "built_at")
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
