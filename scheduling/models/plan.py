"""Plan runs and their results. A run writes rows under its own id and becomes the current
plan in one transaction at the end, so a failed or killed run leaves the previous plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import clock


class PlanRunStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class PlanTrigger(models.TextChoices):
    NIGHTLY = "nightly", "Nightly"
    MANUAL = "manual", "Run by a planner"
    CHANGE = "change", "After a change"


class PlanRun(models.Model):
    status = models.CharField(
        max_length=10, choices=PlanRunStatus.choices, default=PlanRunStatus.PENDING
    )
    trigger = models.CharField(max_length=10, choices=PlanTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=100, blank=True)
    is_current = models.BooleanField(default=False)
    # Counts of what the run produced: demands, operations, late, shortages, suggestions...
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Two runs at once cannot corrupt the plan: at most one waits and one runs.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status__in=["pending", "running"]),
                name="one_pending_and_one_running_plan",
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_plan"
            ),
        ]
        permissions = [("run_plan", "Can run the plan and change it on the board")]

    def __str__(self) -> str:
        return f"Plan run {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (PlanRunStatus.PENDING, PlanRunStatus.RUNNING)


class PlanRow(models.Model):
    plan_run = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class PlannedOperation(PlanRow):
    """One operation placed on a work center's calendar by a run."""

    key = models.CharField(max_length=80)
    work_order_key = models.CharField(max_length=60)
    work_order = models.ForeignKey(
        "scheduling.WorkOrder", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey("scheduling.Item", on_delete=models.CASCADE, related_name="+")
    work_center = models.ForeignKey(
        "scheduling.WorkCenter", on_delete=models.CASCADE, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField()
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    start = models.DateTimeField()
    end = models.DateTimeField()
    setup_minutes = models.PositiveIntegerField()
    run_minutes = models.PositiveIntegerField()
    pinned = models.BooleanField(default=False)
    demand_refs = models.JSONField(default=list)
    due_date = models.DateField(null=True, blank=True)
    priority = models.PositiveSmallIntegerField(default=2)
    late = models.BooleanField(default=False, help_text="A demand it serves is projected late.")

    class Meta:
        indexes = [
            models.Index(fields=["plan_run", "work_center", "start"]),
            models.Index(fields=["plan_run", "key"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.work_center_id} {self.start:%a %d %b %H:%M}"


class PlannedWorkOrder(PlanRow):
    """A make order that MRP says must exist; released into a real WorkOrder by the planner."""

    key = models.CharField(max_length=60)
    item = models.ForeignKey("scheduling.Item", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    start = models.DateField()
    due = models.DateField()
    completion = models.DateField(null=True, blank=True)
    demand_refs = models.JSONField(default=list)
    priority = models.PositiveSmallIntegerField(default=2)
    work_order = models.ForeignKey(
        "scheduling.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["plan_run", "due"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.quantity} x {self.item_id} due {self.due}"


class PurchaseSuggestion(PlanRow):
    key = models.CharField(max_length=60)
    item = models.ForeignKey("scheduling.Item", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    order_by = models.DateField()
    needed = models.DateField()
    arrival = models.DateField()
    demand_refs = models.JSONField(default=list)
    purchase_order = models.ForeignKey(
        "scheduling.PurchaseOrder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        indexes = [models.Index(fields=["plan_run", "order_by"])]

    def __str__(self) -> str:
        return f"{self.key}: buy {self.quantity} x {self.item_id} by {self.order_by}"


class Shortage(PlanRow):
    item = models.ForeignKey("scheduling.Item", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    date_needed = models.DateField()
    available_date = models.DateField()
    demand_refs = models.JSONField(default=list)
    reference = models.CharField(max_length=60, blank=True, help_text="The late receipt, if any.")

    class Meta:
        indexes = [models.Index(fields=["plan_run", "date_needed"])]

    def __str__(self) -> str:
        return f"short {self.quantity} x {self.item_id} on {self.date_needed}"


class PlannedReceipt(PlanRow):
    """The demands a run plans an open purchase order's goods for (receipt pegging)."""

    reference = models.CharField(max_length=60, help_text="The purchase order number.")
    item = models.ForeignKey("scheduling.Item", on_delete=models.CASCADE, related_name="+")
    demand_refs = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["plan_run", "reference"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.item_id} for {', '.join(self.demand_refs)}"


class LoadBucket(PlanRow):
    work_center = models.ForeignKey(
        "scheduling.WorkCenter", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    capacity_minutes = models.PositiveIntegerField()
    load_minutes = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["plan_run", "day"])]

    def __str__(self) -> str:
        return f"{self.work_center_id} {self.day}: {self.load_minutes}/{self.capacity_minutes}"

    @property
    def overloaded(self) -> bool:
        return self.load_minutes > self.capacity_minutes

    @property
    def percent(self) -> int:
        if not self.capacity_minutes:
            return 100 if self.load_minutes else 0
        return round(100 * self.load_minutes / self.capacity_minutes)


class DemandProjection(PlanRow):
    """When a run says a demand will be done, shipped and delivered, and what binds it."""

    reference = models.CharField(max_length=60)
    item = models.ForeignKey("scheduling.Item", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    due = models.DateField()
    projected_completion = models.DateField()
    projected_ship = models.DateField()
    projected_delivery = models.DateField()
    late_days = models.IntegerField()
    binding_kind = models.CharField(max_length=20)
    binding_message = models.CharField(max_length=300)
    # What binds, in parts: customer words are written from these, never from internal codes.
    binding_item = models.ForeignKey(
        "scheduling.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    binding_work_center = models.ForeignKey(
        "scheduling.WorkCenter", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    binding_date = models.DateField(null=True, blank=True)
    binding_reference = models.CharField(max_length=60, blank=True)

    class Meta:
        indexes = [models.Index(fields=["plan_run", "reference"])]

    def __str__(self) -> str:
        return f"{self.reference}: delivery {self.projected_delivery}"
