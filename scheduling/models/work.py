"""Work orders: firm (planner-fixed) or released work, and the shop floor's progress on it."""

from django.db import models
from django.db.models import Q

from core import clock


class WorkOrderStatus(models.TextChoices):
    FIRM = "firm", "Firm planned"  # fixed by the planner (e.g. dragged on the board)
    RELEASED = "released", "Released"  # on the shop floor, components reserved
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"  # every operation finished
    CLOSED = "closed", "Closed"  # quantities booked into stock
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_WORK = (WorkOrderStatus.FIRM, WorkOrderStatus.RELEASED, WorkOrderStatus.IN_PROGRESS)


class WorkOrder(models.Model):
    number = models.CharField(max_length=20, unique=True)
    item = models.ForeignKey("scheduling.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    due_date = models.DateField()
    priority = models.PositiveSmallIntegerField(default=2)
    status = models.CharField(
        max_length=12, choices=WorkOrderStatus.choices, default=WorkOrderStatus.FIRM, db_index=True
    )
    # Demand references this work serves (pegging), e.g. ["SO-000123/1"].
    demand_refs = models.JSONField(default=list, blank=True)
    good_quantity = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    scrap_quantity = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    created_at = models.DateTimeField(default=clock.now)
    released_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "priority", "number"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="wo_qty_pos")]
        permissions = [("release_workorder", "Can release work orders to production")]

    def __str__(self) -> str:
        return self.number


class OperationStatus(models.TextChoices):
    PLANNED = "planned", "Waiting"
    IN_PROGRESS = "in_progress", "Running"
    DONE = "done", "Done"


class WorkOrderOperation(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="operations")
    sequence = models.PositiveSmallIntegerField()
    work_center = models.ForeignKey(
        "scheduling.WorkCenter", on_delete=models.PROTECT, related_name="operations"
    )
    description = models.CharField(max_length=100, blank=True)
    setup_minutes = models.PositiveIntegerField(default=0)
    run_minutes_per_unit = models.DecimalField(max_digits=10, decimal_places=3)
    setup_family = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=12, choices=OperationStatus.choices, default=OperationStatus.PLANNED
    )
    # From the current plan; refreshed when a plan run is switched in.
    planned_start = models.DateTimeField(null=True, blank=True)
    planned_end = models.DateTimeField(null=True, blank=True)
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    good_quantity = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    scrap_quantity = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    # A planner's pin: this operation starts on pin_day, whatever the plan would prefer.
    pinned = models.BooleanField(default=False)
    pin_day = models.DateField(null=True, blank=True)
    # Counts the planners' changes (moves, unpins): a board drawn before one cannot undo it.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["work_order", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["work_order", "sequence"], name="unique_wo_step"),
            models.CheckConstraint(
                condition=Q(pinned=False) | Q(pin_day__isnull=False), name="pin_has_a_day"
            ),
        ]
        permissions = [("report_progress", "Can start and finish operations on the floor")]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        """The operation's key in the planning engine."""
        return f"{self.work_order.number}/{self.sequence}"

    @property
    def remaining_quantity(self):
        return max(self.work_order.quantity - self.good_quantity - self.scrap_quantity, 0)
