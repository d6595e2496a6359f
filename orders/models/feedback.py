"""What customers tell us through the portal: complaints, survey answers, delivery acceptance."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core import clock


class ComplaintType(models.TextChoices):
    QUALITY = "quality", "Quality"
    LATE = "late", "Late delivery"
    DAMAGE = "damage", "Damaged goods"
    DOCUMENTATION = "documentation", "Documentation"
    OTHER = "other", "Other"


class Complaint(models.Model):
    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="complaints"
    )
    contact = models.ForeignKey(
        "orders.Contact", null=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    complaint_type = models.CharField(max_length=20, choices=ComplaintType.choices)
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.complaint_type} complaint"


class SurveyAnswer(models.Model):
    """One contact's satisfaction score for one delivered order."""

    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="survey_answers"
    )
    contact = models.ForeignKey(
        "orders.Contact", on_delete=models.CASCADE, related_name="survey_answers"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "contact"], name="one_survey_answer_per_contact"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="survey_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} scored {self.score}"


class DeliveryAcceptance(models.Model):
    """The customer's word that a delivered order is complete and as ordered."""

    order = models.OneToOneField(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="acceptance"
    )
    contact = models.ForeignKey(
        "orders.Contact", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    accepted_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"{self.order_id} accepted {self.accepted_at:%Y-%m-%d}"
