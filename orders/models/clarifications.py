from django.conf import settings
from django.db import models

from core import clock


class Clarification(models.Model):
    """An open question about an order; while one is open the order waits on hold."""

    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="clarifications"
    )
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_of = models.CharField(max_length=200, help_text="Who must answer (customer contact).")
    asked_at = models.DateTimeField(default=clock.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.question[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
