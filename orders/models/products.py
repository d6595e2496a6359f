from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models

from orders.specs import template_errors


class Product(models.Model):
    """Something we sell. Made products point at the scheduling item that is built."""

    sku = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    family = models.CharField(max_length=60, help_text="Product family, for reporting.")
    unit = models.CharField(max_length=10, default="pcs", help_text="Unit of measure.")
    unit_conversions = models.JSONField(
        default=dict,
        blank=True,
        help_text='Alternative units the customer may order in: {"box": "10"} is a box of 10.',
    )
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
    # For export documents (commercial invoice) and the packer's weight estimate.
    hs_code = models.CharField(
        "HS code", max_length=12, blank=True, help_text="Harmonized System tariff code."
    )
    country_of_origin = models.CharField(
        max_length=2, default="US", help_text="ISO 3166 two-letter code of manufacture."
    )
    unit_weight_kg = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, help_text="Net weight per unit."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    def clean(self) -> None:
        errors = {}
        if problems := template_errors(self.spec_template):
            errors["spec_template"] = problems
        if problems := conversion_errors(self.unit, self.unit_conversions):
            errors["unit_conversions"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def units(self) -> list[str]:
        """The base unit first, then the alternative units."""
        return [self.unit, *(u for u in self.unit_conversions or {} if u != self.unit)]

    def to_base_quantity(self, quantity: Decimal, unit: str) -> Decimal:
        """``quantity`` of ``unit`` in the base unit; ``KeyError`` for a unit not offered."""
        if unit == self.unit:
            return quantity
        return quantity * Decimal(str(self.unit_conversions[unit]))


def conversion_errors(unit: str, conversions) -> list[str]:
    if not isinstance(conversions, dict):
        return ["Unit conversions must map a unit to how many base units it holds."]
    errors = []
    for name, factor in conversions.items():
        try:
            valid = Decimal(str(factor)) > 0
        except InvalidOperation:
            valid = False
        if not name or name == unit or len(name) > 10:
            errors.append(f"'{name}' cannot be an alternative unit of {unit}.")
        elif not valid:
            errors.append(f"One {name} must be a positive number of {unit}.")
    return errors
