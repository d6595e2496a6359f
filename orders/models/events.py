from django.conf import settings
from django.db import models

from core import clock


class OrderEventKind(models.TextChoices):
    CREATED = "created", "Created"
    TRANSITION = "transition", "Status changed"
    NOTE = "note", "Note"
    REPROMISE = "repromise", "Promised date changed"
    DOCUMENT = "document", "Document created"
    MESSAGE = "message", "Message to the customer"


class OrderEvent(models.Model):
    """One row of an order's timeline: its audit trail and the source of cycle times."""

    order = models.ForeignKey("orders.SalesOrder", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=OrderEventKind.choices)
    transition = models.CharField(max_length=40, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=clock.now, db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order", "at", "pk"]
        indexes = [models.Index(fields=["order", "at"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.from_status}->{self.to_status}"
