"""After the goods leave: backorders, carrier tracking events, delivery reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import clock


class BackorderStatus(models.TextChoices):
    OPEN = "open", "Open"  # still to be made or shipped
    SHIPPED = "shipped", "Shipped"  # left in a later shipment
    CANCELLED = "cancelled", "Cancelled"  # the customer no longer wants it


class Backorder(models.Model):
    """Quantity of a line not made when the rest shipped; it stays open until it ships."""

    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.PROTECT, related_name="backorders"
    )
    line = models.ForeignKey(
        "orders.SalesOrderLine", on_delete=models.PROTECT, related_name="backorders"
    )
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    status = models.CharField(
        max_length=10, choices=BackorderStatus.choices, default=BackorderStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=clock.now)
    # Quality's release of the backorder quantity once it is made (signed with user and time).
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    shipment = models.ForeignKey(
        "fulfillment.Shipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backorders",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["order", "line", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="backorder_quantity_positive"),
            models.CheckConstraint(
                condition=~Q(status="shipped") | Q(shipment__isnull=False),
                name="shipped_backorder_has_shipment",
            ),
        ]

    def __str__(self) -> str:
        return f"Backorder {self.order_id}/{self.line_id} x {self.quantity} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == BackorderStatus.OPEN


class TrackingEventCode(models.TextChoices):
    PICKED_UP = "picked_up", "Picked up"
    IN_TRANSIT = "in_transit", "In transit"
    OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
    DELIVERED = "delivered", "Delivered"
    EXCEPTION = "exception", "Delivery exception"


class TrackingEvent(models.Model):
    """A carrier's scan of a shipment, from its webhook or entered by hand."""

    shipment = models.ForeignKey(
        "fulfillment.Shipment", on_delete=models.CASCADE, related_name="tracking_events"
    )
    # The carrier's own id of the event: a second delivery of it is a replay and is refused.
    external_id = models.CharField(max_length=100)
    code = models.CharField(max_length=20, choices=TrackingEventCode.choices)
    description = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=120, blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=clock.now)
    signed_by = models.CharField(max_length=120, blank=True, help_text="Name at delivery.")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["shipment", "occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "external_id"], name="tracking_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.code} at {self.occurred_at:%Y-%m-%d %H:%M}"


class WebhookAttempt(models.Model):
    """Every call to the carrier webhook, kept so refused ones can be looked into."""

    carrier = models.ForeignKey(
        "fulfillment.Carrier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=clock.now, db_index=True)
    accepted = models.BooleanField()
    reason = models.CharField(max_length=200, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    # The first bytes of the body, for diagnosis; never executed or rendered unescaped.
    body_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{'accepted' if self.accepted else 'refused'} at {self.received_at}: {self.reason}"


class ReportKind(models.TextChoices):
    DAMAGE = "damage", "Damaged goods"
    SHORTAGE = "shortage", "Short delivery"
    WRONG_ITEM = "wrong_item", "Wrong item"
    DOCUMENTATION = "documentation", "Missing or wrong documents"
    OTHER = "other", "Other"


class ReportResolution(models.TextChoices):
    REPLACEMENT = "replacement", "Replacement order"
    CREDIT_NOTE = "credit_note", "Credit note"
    NO_ACTION = "no_action", "No action needed"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class DeliveryReport(models.Model):
    """Damage or a discrepancy found at delivery, and how it was put right."""

    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.PROTECT, related_name="delivery_reports"
    )
    shipment = models.ForeignKey(
        "fulfillment.Shipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    line = models.ForeignKey(
        "orders.SalesOrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    description = models.TextField()
    reported_at = models.DateTimeField(default=clock.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A report from the customer portal links the customer's complaint.
    complaint = models.OneToOneField(
        "orders.Complaint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delivery_report",
    )
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    resolution = models.CharField(max_length=20, choices=ReportResolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    replacement_order = models.ForeignKey(
        "orders.SalesOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit_note = models.ForeignKey(
        "orders.CreditNote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(resolution=""),
                name="resolved_report_has_resolution",
            ),
            models.CheckConstraint(
                condition=~Q(resolution="replacement") | Q(replacement_order__isnull=False),
                name="replacement_resolution_has_order",
            ),
            models.CheckConstraint(
                condition=~Q(resolution="credit_note") | Q(credit_note__isnull=False),
                name="credit_resolution_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"DR-{self.pk:05d}" if self.pk else "DR (new)"

    @property
    def number(self) -> str:
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN
