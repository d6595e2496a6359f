"""Admin for money: invoices with their payments and credit notes, and the order policy.

Payments and credit notes are recorded through the invoice page (services keep the invoice's
totals and status right), so they are read-only here.
"""

from django.contrib import admin

from orders.models import CreditNote, Invoice, Payment


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ["amount", "received_on", "reference", "recorded_by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CreditNoteInline(admin.TabularInline):
    model = CreditNote
    extra = 0
    can_delete = False
    readonly_fields = ["number", "amount", "reason", "issued_on", "issued_by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "customer",
        "order",
        "amount",
        "paid_amount",
        "credited_amount",
        "due_on",
        "status",
    ]
    list_filter = ["status"]
    search_fields = ["number", "order__number", "customer__name", "customer__code"]
    list_select_related = ["customer", "order"]
    raw_id_fields = ["customer", "order"]
    readonly_fields = ["paid_amount", "credited_amount"]
    inlines = [PaymentInline, CreditNoteInline]
