"""What needs attention: alerts from the at-risk scan, delay notices to customers, exceptions
with an escalation path, and the staff's in-app notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import clock


class AlertKind(models.TextChoices):
    LATE = "late", "Projected late"
    DUE_SOON = "due_soon", "Due soon, not started"
    MATERIAL = "material", "Waiting for material"
    INFORMATION = "information", "Waiting for information"
    QUALITY_HOLD = "quality_hold", "Quality hold"
    CREDIT_HOLD = "credit_hold", "Credit hold"


class Severity(models.TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


class Alert(models.Model):
    """One rule firing for one order. The scan opens, updates and resolves it; resolved
    alerts stay as history."""

    order = models.ForeignKey("orders.SalesOrder", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    owner_role = models.CharField(max_length=20, help_text="The role that should act.")
    message = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    opened_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["resolved_at", "-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_alert_per_order_and_kind",
            )
        ]
        indexes = [models.Index(fields=["owner_role", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} ({'open' if self.is_open else 'resolved'})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class DelayNoticeStatus(models.TextChoices):
    DRAFT = "draft", "Waiting for approval"
    SENT = "sent", "Sent to the customer"
    WITHDRAWN = "withdrawn", "Withdrawn (back on track)"


class DelayNotice(models.Model):
    """A delay notice drafted from its cause; sent at once or after sales approves it."""

    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="delay_notices"
    )
    cause = models.CharField(max_length=300, help_text="What happened, in plain words.")
    action = models.CharField(max_length=300, help_text="What we are doing about it.")
    promised_date = models.DateField()
    revised_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=DelayNoticeStatus.choices, default=DelayNoticeStatus.DRAFT
    )
    drafted_at = models.DateTimeField(default=clock.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    message = models.ForeignKey(
        "orders.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-drafted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status="draft"),
                name="one_draft_delay_notice_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"Delay notice {self.order_id} -> {self.revised_date} ({self.status})"


class ExceptionType(models.Model):
    """A kind of problem that needs a decision, with its escalation path (in the admin)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EscalationLevel(models.Model):
    exception_type = models.ForeignKey(
        ExceptionType, on_delete=models.CASCADE, related_name="levels"
    )
    level = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=20, help_text="Role (group) that owns the exception.")
    title = models.CharField(max_length=100, help_text="e.g. planner, production manager")
    hours_to_act = models.PositiveSmallIntegerField(default=24)

    class Meta:
        ordering = ["exception_type", "level"]
        constraints = [
            models.UniqueConstraint(fields=["exception_type", "level"], name="unique_level")
        ]

    def __str__(self) -> str:
        return f"{self.exception_type} level {self.level}: {self.title}"


class ExceptionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class OrderException(models.Model):
    exception_type = models.ForeignKey(ExceptionType, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(
        "orders.SalesOrder",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_role = models.CharField(max_length=20)
    level = models.PositiveSmallIntegerField(default=1)
    due_at = models.DateTimeField(help_text="When the current level must have acted.")
    status = models.CharField(
        max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=clock.now)
    decision = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    lessons_learned = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_at"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.exception_type}: {self.description[:40]}"


class Notification(models.Model):
    """The bell in the staff menu."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text[:40]}"
