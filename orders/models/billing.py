"""Money around an order: invoices and payments (credit exposure), deposits, the deposit rule."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import clock


class InvoiceStatus(models.TextChoices):
    OPEN = "open", "Open"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


class Invoice(models.Model):
    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey(
        "orders.SalesOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    customer = models.ForeignKey(
        "orders.Customer", on_delete=models.PROTECT, related_name="invoices"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    paid_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    # Sum of the credit notes against it (damaged or short deliveries).
    credited_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    issued_on = models.DateField(default=timezone.localdate)
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN, db_index=True
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["customer", "status"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount")]

    def __str__(self) -> str:
        return self.number

    @property
    def open_amount(self) -> Decimal:
        return max(self.amount - self.paid_amount - self.credited_amount, Decimal("0"))

    @property
    def is_overdue(self) -> bool:
        return self.status == InvoiceStatus.OPEN and self.due_on < clock.today()


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    received_on = models.DateField(default=timezone.localdate)
    reference = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount")]

    def __str__(self) -> str:
        return f"{self.amount} on {self.invoice_id}"


class CreditNote(models.Model):
    """Money given back on an invoice (a damaged or short delivery); lowers what is owed."""

    number = models.CharField(max_length=20, unique=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    reason = models.CharField(max_length=200)
    issued_on = models.DateField(default=timezone.localdate)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="credit_note_amount")]

    def __str__(self) -> str:
        return self.number


class Deposit(models.Model):
    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.PROTECT, related_name="deposits"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    received_on = models.DateField(default=timezone.localdate)
    reference = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount")]

    def __str__(self) -> str:
        return f"{self.amount} deposit on {self.order_id}"


class OrderPolicy(models.Model):
    """Plant-wide rules for taking orders; one row, edited in the admin."""

    deposit_for_new_customers = models.BooleanField(
        default=True, help_text="Ask new customers for a deposit before acknowledging."
    )
    new_customer_max_orders = models.PositiveSmallIntegerField(
        default=1, help_text="A customer with at most this many earlier delivered orders is new."
    )
    deposit_custom_orders_over = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("25000"),
        help_text="Custom orders worth more than this need a deposit (0: never).",
    )
    deposit_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("30"))
    delay_notices_automatic = models.BooleanField(
        default=False, help_text="Send delay notices without waiting for sales approval."
    )
    delay_notice_reminder_hours = models.PositiveSmallIntegerField(default=4)
    delay_notice_escalation_hours = models.PositiveSmallIntegerField(default=8)
    due_soon_days = models.PositiveSmallIntegerField(
        default=5, help_text="Alert when an order is due within this many days and not started."
    )
    auto_close_days = models.PositiveSmallIntegerField(
        default=14,
        help_text="Close a delivered order after this many days without a report or acceptance.",
    )

    class Meta:
        verbose_name = "order policy"
        verbose_name_plural = "order policy"

    def __str__(self) -> str:
        return "Order policy"

    @classmethod
    def current(cls) -> "OrderPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
