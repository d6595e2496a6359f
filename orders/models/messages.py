"""Customer messages go through this outbox, written in the same transaction as the change.

A task sends each message and marks it sent; a beat sweep picks up anything left behind
(broker down, worker killed), so a message is never lost and never sent twice on purpose.
"""

from django.db import models

from core import clock


class MessageKind(models.TextChoices):
    ACKNOWLEDGMENT = "acknowledgment", "Order acknowledgment"
    REVISED_ACKNOWLEDGMENT = "revised_acknowledgment", "Revised acknowledgment"
    DELAY_NOTICE = "delay_notice", "Delay notice"
    REVISED_DATE = "revised_date", "Revised delivery date"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    RESOLVED = "resolved", "Back on track"
    REPORT_RESOLVED = "report_resolved", "Delivery report resolved"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class OutboxMessage(models.Model):
    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=30, choices=MessageKind.choices)
    # Several messages of one kind (a re-sent acknowledgment) are told apart by revision.
    revision = models.PositiveSmallIntegerField(default=1)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # Which revision of the attached document this message carries (a re-send: the same one).
    attachment_revision = models.PositiveSmallIntegerField(default=1)
    document = models.ForeignKey(
        "orders.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "revision"], name="one_message_per_kind_and_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} r{self.revision} ({self.status})"
