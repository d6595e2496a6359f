"""Manufacturing master data: items, bills of material, work centers and routings."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class LotRule(models.TextChoices):
    LOT_FOR_LOT = "lot_for_lot", "Lot for lot"
    FIXED = "fixed", "Fixed quantity"
    MIN_MULTIPLE = "min_mult", "Minimum and multiple"
    PERIOD = "period", "Combine the demands of N days"


class Item(models.Model):
    """Anything that is made or bought: finished goods, subassemblies, raw material."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    make = models.BooleanField(default=True, help_text="Made in the plant (else bought).")
    unit = models.CharField(max_length=10, default="pcs")
    on_hand = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal("0"))
    safety_stock = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal("0"))
    lead_time_days = models.PositiveSmallIntegerField(
        default=0, help_text="Purchase lead time (bought) or planning offset (made), in days."
    )
    preferred_supplier = models.CharField(max_length=200, blank=True)
    lot_rule = models.CharField(max_length=12, choices=LotRule.choices, default=LotRule.LOT_FOR_LOT)
    lot_quantity = models.DecimalField(
        max_digits=14, decimal_places=3, default=Decimal("0"), help_text="Fixed lot size."
    )
    lot_minimum = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal("0"))
    lot_multiple = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal("0"))
    lot_period_days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BomLine(models.Model):
    parent = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="bom_lines")
    component = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="used_in")
    quantity_per = models.DecimalField(max_digits=12, decimal_places=4)
    scrap_pct = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["parent", "component"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "component"], name="unique_bom_component"),
            models.CheckConstraint(condition=~Q(parent=models.F("component")), name="bom_no_self"),
            models.CheckConstraint(condition=Q(quantity_per__gt=0), name="bom_qty_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} <- {self.quantity_per} x {self.component_id}"


def default_week() -> list[int]:
    # One eight-hour shift Monday to Friday.
    return [480, 480, 480, 480, 480, 0, 0]


class WorkCenter(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    capability = models.CharField(
        max_length=40,
        blank=True,
        help_text="Work centers of one capability can take each other's jobs on the board.",
    )
    # Available minutes per weekday, Monday first.
    minutes_per_weekday = models.JSONField(default=default_week)
    efficiency = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("2.00"))],
        help_text="1.00 means standard times are met exactly.",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class RoutingOperation(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="routing")
    sequence = models.PositiveSmallIntegerField()
    work_center = models.ForeignKey(WorkCenter, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=100, blank=True)
    setup_minutes = models.PositiveIntegerField(default=0)
    run_minutes_per_unit = models.DecimalField(max_digits=10, decimal_places=3)
    setup_family = models.CharField(
        max_length=40, blank=True, help_text="Operations of one family share a setup."
    )

    class Meta:
        ordering = ["item", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["item", "sequence"], name="unique_routing_step"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} op {self.sequence} @ {self.work_center_id}"


class Holiday(models.Model):
    """A plant-wide day off: no work center works and inspection days skip it."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%a %d %b %Y} {self.name}"


class Downtime(models.Model):
    """Capacity lost at one work center on one day (maintenance, breakdown, training)."""

    work_center = models.ForeignKey(WorkCenter, on_delete=models.CASCADE, related_name="downtime")
    date = models.DateField()
    minutes_lost = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty when the work center is closed all day."
    )
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "work_center"]
        constraints = [
            models.UniqueConstraint(fields=["work_center", "date"], name="one_downtime_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.work_center} {self.date}: {self.minutes_lost or 'closed'}"


class NumberSequence(models.Model):
    """Gap-free document numbers (SO-000123, WO-000045, PO-000012), one row per prefix.

    Kept in the lowest app so that every app numbers its documents the same way.
    """

    prefix = models.CharField(max_length=10, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}-{self.last_value:06d}"
