from django.contrib import admin

from scheduling.models import BomLine, Item, RoutingOperation, WorkCenter


class BomLineInline(admin.TabularInline):
    model = BomLine
    fk_name = "parent"
    extra = 0
    autocomplete_fields = ["component"]


class RoutingInline(admin.TabularInline):
    model = RoutingOperation
    extra = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "make", "unit", "on_hand", "lead_time_days", "lot_rule"]
    list_filter = ["make", "lot_rule"]
    search_fields = ["code", "name"]
    inlines = [BomLineInline, RoutingInline]


@admin.register(WorkCenter)
class WorkCenterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "efficiency"]
    search_fields = ["code", "name"]
