"""Change requests on acknowledged orders, and the revisions accepting them creates.

A request is analysed in the background (what the change does to the plan, the price and the
work already done) before sales accepts or rejects it; accepting writes an ``OrderRevision``
that keeps the diff for the audit trail and the revised acknowledgment.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import clock
from orders.states import PROMISED, OrderStatus

# From acknowledgment until it leaves the plant: once shipped, a change is a return or a
# new order, not a revision.
CHANGEABLE = tuple(s for s in PROMISED if s != OrderStatus.SHIPPED)


class ChangeRequestStatus(models.TextChoices):
    ANALYSING = "analysing", "Analysing the impact"
    READY = "ready", "Ready to decide"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Analysis failed"


# Requests still waiting for a decision: at most one per order, so each is analysed against
# the order as it stands.
OPEN_CHANGE_STATUSES = (
    ChangeRequestStatus.ANALYSING,
    ChangeRequestStatus.READY,
    ChangeRequestStatus.FAILED,
)
DECIDED_CHANGE_STATUSES = (ChangeRequestStatus.ACCEPTED, ChangeRequestStatus.REJECTED)


class ChangeRequestSource(models.TextChoices):
    SALES = "sales", "Sales"
    PORTAL = "portal", "Customer portal"


class ChangeRequestManager(models.Manager):
    def allowed(self) -> bool:
        """On an order's ``change_requests`` manager: may a change be requested now?

        From acknowledgment until shipping, and once the previous request is decided.
        """
        order = getattr(self, "instance", None)
        if order is None or order.status not in CHANGEABLE:
            return False
        return not self.filter(status__in=OPEN_CHANGE_STATUSES).exists()


class ChangeRequest(models.Model):
    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="change_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=clock.now, db_index=True)
    source = models.CharField(
        max_length=10, choices=ChangeRequestSource.choices, default=ChangeRequestSource.SALES
    )
    reason = models.TextField(help_text="Why the customer asks for the change.")
    # What changes; anything left empty stays as it is.
    quantities = models.JSONField(
        default=dict, blank=True, help_text='New quantity per line number: {"1": "20"}.'
    )
    new_date = models.DateField(
        "new requested date", null=True, blank=True, help_text="The delivery date now asked for."
    )
    specs = models.JSONField(
        default=dict, blank=True, help_text='New spec values per line number: {"2": {...}}.'
    )
    ship_to = models.ForeignKey(
        "orders.Address",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="new ship-to",
    )
    summary = models.TextField(blank=True, help_text="The change in words, for lists.")
    status = models.CharField(
        max_length=10,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.ANALYSING,
        db_index=True,
    )
    impact = models.JSONField(default=dict, blank=True)
    analysis_started_at = models.DateTimeField(default=clock.now)
    analysed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the analysis failed.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = ChangeRequestManager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        permissions = [("decide_changerequest", "Can accept or reject a change request")]
        indexes = [models.Index(fields=["order", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["analysing", "ready", "failed"]),
                name="one_open_change_request_per_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["accepted", "rejected"], decided_at__isnull=False)
                | (~Q(status__in=["accepted", "rejected"]) & Q(decided_at__isnull=True)),
                name="change_request_decided_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Change request #{self.pk} on {self.order_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CHANGE_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_CHANGE_STATUSES

    @property
    def summary_parts(self) -> list[str]:
        """One sentence per changed thing."""
        return self.summary.splitlines()


class OrderRevision(models.Model):
    """One accepted change of an order: field -> [old, new], and the same per line."""

    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField()
    change_request = models.OneToOneField(
        ChangeRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revision",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    diff = models.JSONField(default=dict)

    class Meta:
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="unique_revision_per_order"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} revision {self.number}"
