"""Demand handed to planning by orders, and stock reserved for it."""

from django.db import models
from django.db.models import Q

from core import clock


class DemandStatus(models.TextChoices):
    OPEN = "open", "Open"
    FULFILLED = "fulfilled", "Fulfilled"
    CANCELLED = "cancelled", "Cancelled"


class Demand(models.Model):
    """An MPS entry: something a customer needs, by reference (orders owns the meaning)."""

    reference = models.CharField(max_length=60, unique=True, help_text="e.g. SO-000123/1")
    item = models.ForeignKey("scheduling.Item", on_delete=models.PROTECT, related_name="demands")
    quantity = models.DecimalField(max_digits=14, decimal_places=3, help_text="Ordered.")
    shipped_quantity = models.DecimalField(
        max_digits=14, decimal_places=3, default=0, help_text="Already shipped: no longer planned."
    )
    due_date = models.DateField(help_text="Requested or promised delivery date.")
    priority = models.PositiveSmallIntegerField(default=2, help_text="0 is rush; lower is sooner.")
    inspection_days = models.PositiveSmallIntegerField(default=1)
    transit_days = models.PositiveSmallIntegerField(default=0)
    customer = models.CharField(max_length=200, blank=True, help_text="For the board's cards.")
    status = models.CharField(
        max_length=10, choices=DemandStatus.choices, default=DemandStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "priority", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="demand_qty_pos"),
            models.CheckConstraint(condition=Q(shipped_quantity__gte=0), name="demand_shipped_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.quantity} x {self.item_id} by {self.due_date}"

    @property
    def open_quantity(self):
        """What the plan still has to make and ship."""
        return max(self.quantity - self.shipped_quantity, 0)


class Allocation(models.Model):
    """Stock of an item reserved for one demand; nobody else may plan with it."""

    item = models.ForeignKey("scheduling.Item", on_delete=models.CASCADE, related_name="+")
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="allocations")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "demand"], name="one_allocation_per_item"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="allocation_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.item_id} for {self.demand_id}"
