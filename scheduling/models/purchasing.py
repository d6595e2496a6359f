"""Purchase orders kept true by the buyer: confirmations, slips, receipts and cancellations.

Every open line is a scheduled receipt for MRP. What the supplier confirms or moves, and what
arrives, is recorded as history; each change asks for a re-plan.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core import clock


class PurchaseOrderStatus(models.TextChoices):
    OPEN = "open", "Open"  # sent to the supplier; its open lines are scheduled receipts
    RECEIVED = "received", "Received"  # nothing more to come; something arrived
    CANCELLED = "cancelled", "Cancelled"  # nothing arrived and nothing more to come


class PurchaseOrder(models.Model):
    number = models.CharField(max_length=20, unique=True)
    supplier = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=PurchaseOrderStatus.choices, default=PurchaseOrderStatus.OPEN
    )
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supplier_reference = models.CharField(
        max_length=60, blank=True, help_text="The supplier's order confirmation number."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("receive_purchaseorder", "Can receive goods against purchase orders")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == PurchaseOrderStatus.OPEN


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    item = models.ForeignKey("scheduling.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    due_date = models.DateField(help_text="When the goods are expected; what MRP plans with.")
    confirmed_date = models.DateField(
        null=True, blank=True, help_text="The delivery date the supplier confirmed."
    )
    received_quantity = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    cancelled_quantity = models.DecimalField(
        max_digits=14, decimal_places=3, default=0, help_text="The rest no longer expected."
    )
    # Counts the buyer's changes: a page drawn before one cannot overwrite it.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="po_line_qty_pos"),
            models.CheckConstraint(condition=Q(received_quantity__gte=0), name="po_line_rcv_pos"),
            models.CheckConstraint(
                condition=Q(cancelled_quantity__gte=0) & Q(cancelled_quantity__lte=F("quantity")),
                name="po_line_cancelled_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purchase_order_id}: {self.quantity} x {self.item_id} due {self.due_date}"

    @property
    def open_quantity(self):
        """What is still to come from the supplier."""
        return max(self.quantity - self.received_quantity - self.cancelled_quantity, 0)

    @property
    def is_open(self) -> bool:
        return self.open_quantity > 0 and self.purchase_order.status == PurchaseOrderStatus.OPEN


class PurchaseEventKind(models.TextChoices):
    CREATED = "created", "Ordered"
    CONFIRMED = "confirmed", "Confirmed by the supplier"
    RESCHEDULED = "rescheduled", "Due date moved"
    RECEIVED = "received", "Goods received"
    CANCELLED = "cancelled", "Rest cancelled"


class PurchaseOrderEvent(models.Model):
    """One change to a purchase order: who, when, what, and why."""

    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="events"
    )
    line = models.ForeignKey(
        PurchaseOrderLine, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=12, choices=PurchaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.purchase_order_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class PurchaseReceipt(models.Model):
    """Goods that arrived against a line: they are in stock from then on."""

    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipts")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    received_at = models.DateTimeField(default=clock.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery_note = models.CharField(
        max_length=60, blank=True, help_text="The supplier's delivery note number."
    )

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x line {self.line_id} on {self.received_at:%Y-%m-%d}"
