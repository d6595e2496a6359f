from django.contrib import admin

from fulfillment.models import (
    Backorder,
    Carrier,
    CarrierService,
    DeliveryReport,
    Inspection,
    InspectionItem,
    Nonconformance,
    Package,
    PackageContent,
    ServiceLane,
    ServiceRate,
    Shipment,
    TrackingEvent,
    WebhookAttempt,
)


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


# --- Carriers, shipments and backorders ------------------------------------------------------


class CarrierServiceInline(admin.TabularInline):
    model = CarrierService
    extra = 0
    show_change_link = True
    fields = ["code", "name", "liftgate", "appointments", "active"]


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    inlines = [CarrierServiceInline]


class ServiceLaneInline(admin.TabularInline):
    model = ServiceLane
    extra = 0


class ServiceRateInline(admin.TabularInline):
    model = ServiceRate
    extra = 0


@admin.register(CarrierService)
class CarrierServiceAdmin(admin.ModelAdmin):
    """A service's transit days by region (lanes) and cost by weight band (rates)."""

    list_display = ["__str__", "code", "liftgate", "appointments", "active"]
    list_filter = ["carrier", "liftgate", "appointments", "active"]
    search_fields = ["name", "code", "carrier__name"]
    list_select_related = ["carrier"]
    inlines = [ServiceLaneInline, ServiceRateInline]


class PackageContentInline(admin.TabularInline):
    model = PackageContent
    extra = 0
    raw_id_fields = ["line"]


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "packaging", "weight_kg"]
    search_fields = ["shipment__number"]
    raw_id_fields = ["shipment"]
    inlines = [PackageContentInline]


class PackageInline(admin.TabularInline):
    model = Package
    extra = 0
    show_change_link = True


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    fields = ["occurred_at", "code", "location", "description", "signed_by", "external_id"]
    readonly_fields = ["external_id"]


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "order",
        "sequence",
        "status",
        "service",
        "freight_cost",
        "estimated_delivery",
        "tracking_number",
    ]
    list_filter = ["status", "carrier"]
    search_fields = ["number", "order__number", "tracking_number"]
    list_select_related = ["order", "service__carrier"]
    raw_id_fields = ["order", "invoice"]
    inlines = [PackageInline, TrackingEventInline]


@admin.register(Backorder)
class BackorderAdmin(admin.ModelAdmin):
    list_display = ["order", "line", "quantity", "status", "released_at", "shipment"]
    list_filter = ["status"]
    search_fields = ["order__number"]
    list_select_related = ["order", "line", "shipment"]
    raw_id_fields = ["order", "line", "shipment"]


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    """Every carrier webhook call; the refused ones say why."""

    list_display = ["received_at", "carrier", "accepted", "reason", "remote_addr"]
    list_filter = ["accepted", "carrier"]
    search_fields = ["reason", "body_excerpt"]
    readonly_fields = [
        "carrier",
        "received_at",
        "accepted",
        "reason",
        "remote_addr",
        "body_excerpt",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DeliveryReport)
class DeliveryReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "order", "kind", "status", "resolution", "reported_at"]
    list_filter = ["status", "kind", "resolution"]
    search_fields = ["order__number", "description"]
    list_select_related = ["order"]
    raw_id_fields = [
        "order",
        "shipment",
        "line",
        "complaint",
        "replacement_order",
        "credit_note",
    ]
