from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from orders.specs import template_errors


class Product(models.Model):
    """Something we sell. Made products point at the scheduling item that is built."""

    sku = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    family = models.CharField(max_length=60, help_text="Product family, for reporting.")
    unit = models.CharField(max_length=10, default="pcs", help_text="Unit of measure.")
    price = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    lead_time_days = models.PositiveSmallIntegerField(
        default=10, help_text="Standard lead time in working days."
    )
    inspection_days = models.PositiveSmallIntegerField(
        default=1, help_text="Working days of final inspection before shipping."
    )
    is_configurable = models.BooleanField(
        default=False, help_text="Custom product: specs are required and reviewed."
    )
    # Which spec fields an order line of this product needs; see orders/specs.py.
    spec_template = models.JSONField(default=list, blank=True)
    item = models.ForeignKey(
        "scheduling.Item",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        help_text="The manufactured or bought item behind this product.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    def clean(self) -> None:
        if errors := template_errors(self.spec_template):
            raise ValidationError({"spec_template": errors})
