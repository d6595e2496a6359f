from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core import clock


class BlanketAgreement(models.Model):
    """A customer's commitment to buy a total quantity at a price within a period; each
    release is an order of its own that draws the agreement down."""

    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(
        "orders.Customer", on_delete=models.PROTECT, related_name="blankets"
    )
    product = models.ForeignKey("orders.Product", on_delete=models.PROTECT, related_name="+")
    total_quantity = models.DecimalField(max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    valid_from = models.DateField()
    valid_to = models.DateField()
    customer_reference = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-valid_to", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(total_quantity__gt=0), name="blanket_qty_pos"),
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="blanket_valid_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.customer.code} {self.product.sku}"

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to
