"""Admin for tracking: exception types with their escalation paths, and the records the
scan and the staff write (alerts are the scan's: read-only here)."""

from django.contrib import admin

from orders.models import (
    Alert,
    DelayNotice,
    EscalationLevel,
    ExceptionType,
    Notification,
    OrderException,
)


class EscalationLevelInline(admin.TabularInline):
    model = EscalationLevel
    extra = 1
    fields = ["level", "title", "role", "hours_to_act"]


@admin.register(ExceptionType)
class ExceptionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [EscalationLevelInline]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["order", "kind", "severity", "owner_role", "opened_at", "resolved_at"]
    list_filter = ["kind", "severity", "owner_role", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["order__number", "message"]
    list_select_related = ["order"]
    date_hierarchy = "opened_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DelayNotice)
class DelayNoticeAdmin(admin.ModelAdmin):
    list_display = ["order", "status", "promised_date", "revised_date", "drafted_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["order__number", "cause"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "approved_by", "message"]
    readonly_fields = ["sent_at", "approved_by", "message", "followed_up_at"]


@admin.register(OrderException)
class OrderExceptionAdmin(admin.ModelAdmin):
    list_display = ["exception_type", "order", "owner_role", "owner", "level", "due_at", "status"]
    list_filter = ["status", "exception_type", "owner_role"]
    search_fields = ["description", "order__number"]
    list_select_related = ["exception_type", "order", "owner"]
    raw_id_fields = ["order", "owner", "opened_by", "resolved_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "text"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
