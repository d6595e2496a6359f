from django.contrib import admin

from fulfillment.models import Inspection, InspectionItem, Nonconformance


class InspectionItemInline(admin.TabularInline):
    model = InspectionItem
    extra = 0
    readonly_fields = ["line", "kind", "label", "nominal", "tol_plus", "tol_minus", "measured"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["order", "result", "inspector", "finished_at", "signed_by", "signed_at"]
    list_filter = ["result"]
    search_fields = ["order__number"]
    inlines = [InspectionItemInline]


@admin.register(Nonconformance)
class NonconformanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "order", "status", "disposition", "deviation_reference"]
    list_filter = ["status", "disposition"]
    search_fields = ["order__number", "description", "deviation_reference"]
