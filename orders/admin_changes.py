"""Admin for change requests and the revisions they made: a record to look at, not to edit.

Requests are analysed and decided through the order page (the services re-plan and tell the
customer), so every field is read-only here.
"""

from django.contrib import admin

from orders.models import ChangeRequest, OrderRevision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "order", "source", "status", "requested_at", "decided_at", "summary"]
    list_filter = ["status", "source"]
    search_fields = ["order__number", "reason", "summary"]
    list_select_related = ["order"]


@admin.register(OrderRevision)
class OrderRevisionAdmin(ReadOnlyAdmin):
    list_display = ["order", "number", "change_request", "actor", "created_at"]
    search_fields = ["order__number"]
    list_select_related = ["order", "change_request", "actor"]
