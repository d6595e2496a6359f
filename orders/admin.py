from django.contrib import admin

from orders.models import (
    Address,
    Contact,
    Customer,
    DocumentRequirement,
    OrderEvent,
    Product,
    SalesOrder,
    SalesOrderLine,
)


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ["user"]


class DocumentRequirementInline(admin.TabularInline):
    """Documents the customer needs with every shipment; shipping cannot ship without them."""

    model = DocumentRequirement
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "credit_limit", "payment_terms", "credit_hold"]
    list_filter = ["credit_hold", "payment_terms"]
    search_fields = ["code", "name"]
    inlines = [AddressInline, ContactInline, DocumentRequirementInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "family", "unit", "price", "lead_time_days", "is_configurable"]
    list_filter = ["family", "is_configurable", "active"]
    search_fields = ["sku", "name"]
    raw_id_fields = ["item"]


class LineInline(admin.TabularInline):
    model = SalesOrderLine
    extra = 0
    raw_id_fields = ["product"]


class EventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "transition", "from_status", "to_status", "actor", "at", "note"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SalesOrder)
class SalesOrderAdmin(admin.ModelAdmin):
    """Read-mostly: the status moves only through the order page's transitions."""

    list_display = ["number", "customer", "order_type", "status", "promised_date"]
    list_filter = ["status", "order_type"]
    search_fields = ["number", "customer__name", "customer_po"]
    list_select_related = ["customer"]
    readonly_fields = ["status", "first_promised_date", "created_at", "updated_at"]
    raw_id_fields = ["customer", "ship_to", "owner", "created_by"]
    inlines = [LineInline, EventInline]


import orders.admin_billing  # noqa: E402 -- billing models register themselves
import orders.admin_changes  # noqa: E402 -- change requests register themselves
import orders.admin_tracking  # noqa: E402, F401 -- tracking models register themselves
