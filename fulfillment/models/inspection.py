"""Final inspection of a produced order, its checklist items, and nonconformances."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import clock


class InspectionResult(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"


class ItemKind(models.TextChoices):
    DIMENSION = "dimension", "Dimension"  # a measured value against nominal and tolerances
    CHECK = "check", "Check"  # pass/fail by the inspector's eye or a document


class Inspection(models.Model):
    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.PROTECT, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspections"
    )
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(default=clock.now)
    result = models.CharField(max_length=4, choices=InspectionResult.choices)
    note = models.TextField(blank=True)
    # The quality release signature: at a pass, or at the release from a quality hold.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_inspections",
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-finished_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_by__isnull=True, signed_at__isnull=True)
                | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="inspection_signed_with_user_and_time",
            )
        ]

    def __str__(self) -> str:
        return f"Inspection {self.pk} of {self.order_id}: {self.result}"


class InspectionItem(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    # Empty for the order-wide checks (certificate, finish, packaging).
    line = models.ForeignKey(
        "orders.SalesOrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=120)
    unit = models.CharField(max_length=10, blank=True)
    nominal = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    tol_plus = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    tol_minus = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    measured = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField()
    remark = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "key"], name="unique_item_per_inspection"
            ),
            models.CheckConstraint(
                condition=~Q(kind="dimension") | Q(measured__isnull=False, nominal__isnull=False),
                name="dimension_item_measured",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {'pass' if self.passed else 'fail'}"


class Disposition(models.TextChoices):
    REWORK = "rework", "Rework"
    SCRAP = "scrap", "Scrap"
    USE_AS_IS = "use_as_is", "Use as is (customer deviation)"


class NonconformanceStatus(models.TextChoices):
    OPEN = "open", "Open"  # waiting for a disposition
    CLOSED = "closed", "Closed"  # dispositioned


class Nonconformance(models.Model):
    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.PROTECT, related_name="nonconformances"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="nonconformances"
    )
    description = models.TextField()
    disposition = models.CharField(max_length=10, choices=Disposition.choices, blank=True)
    # The customer's approval of the deviation; required to use nonconforming goods as they are.
    deviation_reference = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        max_length=6, choices=NonconformanceStatus.choices, default=NonconformanceStatus.OPEN
    )
    created_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(disposition=""),
                name="closed_nonconformance_has_disposition",
            ),
            models.CheckConstraint(
                condition=~Q(disposition="use_as_is") | ~Q(deviation_reference=""),
                name="use_as_is_needs_deviation_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"NC-{self.pk:05d}" if self.pk else "NC (new)"

    @property
    def number(self) -> str:
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.status == NonconformanceStatus.OPEN
