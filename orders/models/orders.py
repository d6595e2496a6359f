from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from core import clock
from orders.specs import spec_errors
from orders.states import (
    CANCELLABLE,
    FINISHED,
    HOLDABLE,
    OrderStatus,
    OrderType,
    PaymentTerms,
    Priority,
)

S = OrderStatus


def _perm(name: str) -> str:
    return f"orders.{name}_salesorder"


class HoldKind(models.TextChoices):
    CREDIT = "credit", "Credit"
    CLARIFICATION = "clarification", "Waiting for information"
    OTHER = "other", "Other"


# (transition method, permission label) for every lifecycle step; one permission each.
TRANSITION_PERMISSIONS = [
    ("submit", "Can submit a draft order"),
    ("validate", "Can validate an entered order"),
    ("hold", "Can put an order on hold"),
    ("resume", "Can resume an order from hold"),
    ("acknowledge", "Can acknowledge an order to the customer"),
    ("plan", "Can plan an order"),
    ("release", "Can release an order to production"),
    ("start", "Can start production of an order"),
    ("complete", "Can complete production of an order"),
    ("inspect_pass", "Can pass an order's final inspection"),
    ("inspect_fail", "Can fail an order's final inspection"),
    ("quality_release", "Can release an order from quality hold"),
    ("quality_hold", "Can put a released order back on quality hold"),
    ("pack", "Can pack an order"),
    ("ship", "Can ship an order"),
    ("deliver", "Can confirm delivery of an order"),
    ("close", "Can close a delivered order"),
    ("cancel", "Can cancel an order"),
]
TRANSITIONS = tuple(name for name, _label in TRANSITION_PERMISSIONS)
# Permissions that are not lifecycle steps.
OTHER_PERMISSIONS = [
    ("change_payment_terms", "Can change an order's payment terms from the customer's default"),
    ("override_promise", "Can promise a delivery date earlier than the quote, with a reason"),
]


class SalesOrder(ConcurrentTransitionMixin, models.Model):
    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey("orders.Customer", on_delete=models.PROTECT, related_name="orders")
    order_type = models.CharField(
        max_length=20, choices=OrderType.choices, default=OrderType.STANDARD
    )
    ship_to = models.ForeignKey(
        "orders.Address", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    customer_po = models.CharField("customer PO number", max_length=60, blank=True)
    blanket = models.ForeignKey(
        "orders.BlanketAgreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="releases",
        help_text="For a blanket release: the agreement it draws down.",
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = FSMField(
        max_length=20, default=S.DRAFT, choices=S.choices, protected=True, db_index=True
    )
    held_from = models.CharField(max_length=20, blank=True, help_text="Where a held order resumes.")
    hold_reason = models.CharField(max_length=200, blank=True)
    # Why it is held decides who may release it: credit holds only the credit role.
    hold_kind = models.CharField(max_length=20, choices=HoldKind.choices, blank=True)

    # The five dates that make promises measurable.
    requested_date = models.DateField(null=True, blank=True)
    first_promised_date = models.DateField(
        null=True, blank=True, help_text="Set at acknowledgment; never edited."
    )
    promised_date = models.DateField(
        "current promised date",
        null=True,
        blank=True,
        help_text="Changed only by a recorded re-promise with a reason.",
    )
    projected_delivery_date = models.DateField(null=True, blank=True)
    actual_delivery_date = models.DateField(null=True, blank=True)

    payment_terms = models.CharField(
        max_length=10, choices=PaymentTerms.choices, default=PaymentTerms.NET30
    )
    # Special delivery requirements, shown to shipping at packing and carrier choice.
    partial_shipments_allowed = models.BooleanField(
        default=False, help_text="Ship what is made; the rest stays open as a backorder."
    )
    delivery_window = models.CharField(
        max_length=80, blank=True, help_text="When the site receives goods, e.g. Mon-Fri 7-15h."
    )
    delivery_appointment = models.DateTimeField(
        null=True, blank=True, help_text="Booked delivery appointment, when the site needs one."
    )
    appointment_required = models.BooleanField(default=False)
    liftgate_required = models.BooleanField(default=False, help_text="No dock at the site.")
    site_contact = models.CharField(
        max_length=120, blank=True, help_text="Who receives the goods, with a phone number."
    )
    packing_instructions = models.TextField(blank=True)
    label_instructions = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_orders",
        help_text="The sales person accountable for this order's promise.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_orders",
    )
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The one-time token of the entry form that created the order: a second submit finds it.
    entry_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Milestone timestamps, each set by its transition.
    submitted_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    produced_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            *((f"{name}_salesorder", label) for name, label in TRANSITION_PERMISSIONS),
            ("release_credit_hold", "Can release an order from credit hold"),
            ("expedite_salesorder", "Can expedite an order (rush priority and re-plan)"),
            ("record_deposit", "Can record a customer's deposit"),
            *OTHER_PERMISSIONS,
        ]
        indexes = [
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["promised_date"]),
            # The dashboard's live days: orders delivered and entered today.
            models.Index(fields=["actual_delivery_date"]),
            models.Index(fields=["submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_promised_date__isnull=True) | Q(promised_date__isnull=False),
                name="promised_date_set_once_first_promised",
            ),
            models.CheckConstraint(
                condition=Q(priority__lte=Priority.LOW), name="priority_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    # Cheap predicates used by lists and pages.
    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED

    @property
    def is_late(self) -> bool:
        if not self.promised_date:
            return False
        if self.actual_delivery_date:
            return self.actual_delivery_date > self.promised_date
        return self.status not in FINISHED and (
            self.promised_date < clock.today()
            or (
                self.projected_delivery_date is not None
                and self.projected_delivery_date > self.promised_date
            )
        )

    @property
    def slack_days(self) -> int | None:
        """Days between projected and promised delivery; negative means late."""
        if not (self.promised_date and self.projected_delivery_date):
            return None
        return (self.promised_date - self.projected_delivery_date).days

    @property
    def has_delivery_requirements(self) -> bool:
        return bool(
            self.delivery_window
            or self.delivery_appointment
            or self.appointment_required
            or self.liftgate_required
            or self.site_contact
            or self.packing_instructions
            or self.label_instructions
        )

    @property
    def can_cancel(self) -> bool:
        return self.status in CANCELLABLE

    # Transitions: each only sets the fields of its milestone (CONVENTIONS.md).
    @transition(field=status, source=S.DRAFT, target=S.ENTERED, permission=_perm("submit"))
    def submit(self) -> None:
        """Sales hands in a complete order for review."""
        self.submitted_at = clock.now()

    @transition(field=status, source=S.ENTERED, target=S.VALIDATED, permission=_perm("validate"))
    def validate(self) -> None:
        """Customer, ship-to, specs, quantities and credit have been checked."""

    @transition(field=status, source=HOLDABLE, target=S.ON_HOLD, permission=_perm("hold"))
    def hold(self, reason: str = "", kind: str = "other") -> None:
        """Stop the order until a question is answered or credit is released."""
        self.held_from = self.status
        self.hold_reason = reason[:200]
        self.hold_kind = kind

    @transition(
        field=status,
        source=S.ON_HOLD,
        target=RETURN_VALUE(*HOLDABLE),
        permission=_perm("resume"),
    )
    def resume(self) -> str:
        """Take the order off hold, back to where it was stopped."""
        back_to = self.held_from or S.ENTERED
        self.held_from = ""
        self.hold_reason = ""
        self.hold_kind = ""
        return back_to

    @transition(
        field=status, source=S.VALIDATED, target=S.ACKNOWLEDGED, permission=_perm("acknowledge")
    )
    def acknowledge(self, promised_date: date | None = None) -> None:
        """Commit a delivery date to the customer; the first promise is kept forever."""
        if promised_date is not None:
            self.promised_date = promised_date
        if self.first_promised_date is None:
            self.first_promised_date = self.promised_date
        self.acknowledged_at = clock.now()

    @transition(field=status, source=S.ACKNOWLEDGED, target=S.PLANNED, permission=_perm("plan"))
    def plan(self) -> None:
        """The order's demand is in the master schedule with its materials netted."""

    @transition(field=status, source=S.PLANNED, target=S.RELEASED, permission=_perm("release"))
    def release(self) -> None:
        """Work orders go to the shop floor."""
        self.released_at = clock.now()

    @transition(field=status, source=S.RELEASED, target=S.IN_PRODUCTION, permission=_perm("start"))
    def start(self) -> None:
        """The first operation has started."""

    @transition(
        field=status, source=S.IN_PRODUCTION, target=S.PRODUCED, permission=_perm("complete")
    )
    def complete(self) -> None:
        """Every operation is done and the produced quantities match the order."""
        self.produced_at = clock.now()

    @transition(
        field=status,
        source=S.PRODUCED,
        target=S.QUALITY_RELEASED,
        permission=_perm("inspect_pass"),
    )
    def inspect_pass(self) -> None:
        """Final inspection found the order conforming; quality signs the release."""

    @transition(
        field=status, source=S.PRODUCED, target=S.QUALITY_HOLD, permission=_perm("inspect_fail")
    )
    def inspect_fail(self) -> None:
        """Final inspection found a nonconformance; the order waits for a disposition."""

    @transition(
        field=status,
        source=S.QUALITY_HOLD,
        target=S.QUALITY_RELEASED,
        permission=_perm("quality_release"),
    )
    def quality_release(self) -> None:
        """The nonconformance is dispositioned; quality releases the order."""

    @transition(
        field=status,
        source=S.QUALITY_RELEASED,
        target=S.QUALITY_HOLD,
        permission=_perm("quality_hold"),
    )
    def quality_hold(self) -> None:
        """A problem found after release stops the order before packing."""

    @transition(field=status, source=S.QUALITY_RELEASED, target=S.PACKED, permission=_perm("pack"))
    def pack(self) -> None:
        """Packages are built and labelled."""

    @transition(field=status, source=S.PACKED, target=S.SHIPPED, permission=_perm("ship"))
    def ship(self) -> None:
        """Handed to the carrier."""
        self.shipped_at = clock.now()

    @transition(field=status, source=S.SHIPPED, target=S.DELIVERED, permission=_perm("deliver"))
    def deliver(self, delivered_on: date | None = None) -> None:
        """The customer has received the goods."""
        self.delivered_at = clock.now()
        self.actual_delivery_date = delivered_on or clock.today()

    @transition(field=status, source=S.DELIVERED, target=S.CLOSED, permission=_perm("close"))
    def close(self) -> None:
        """The customer accepted the delivery; nothing is left to do."""
        self.closed_at = clock.now()

    @transition(field=status, source=CANCELLABLE, target=S.CANCELLED, permission=_perm("cancel"))
    def cancel(self) -> None:
        """Withdraw the order before it ships."""
        self.cancelled_at = clock.now()
        self.held_from = ""


class SalesOrderLine(models.Model):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField()
    product = models.ForeignKey("orders.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    unit = models.CharField(max_length=10)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    # Quantity and unit as the customer ordered them, when that was one of the product's
    # alternative units; ``quantity`` and ``unit`` always hold the base unit.
    entered_quantity = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    entered_unit = models.CharField(max_length=10, blank=True)
    # Values for the product's spec template; validated by orders.specs.
    specs = models.JSONField(default=dict, blank=True)
    # Set only where the line's dates differ from the order's.
    requested_date = models.DateField(null=True, blank=True)
    promised_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="unique_line_no_per_order"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no} {self.product_id} x {self.quantity}"

    def clean(self) -> None:
        errors = spec_errors(
            self.product.spec_template,
            self.specs,
            require_all=self.product.is_configurable,
            enforce_required=False,
        )
        if errors:
            raise ValidationError({"specs": list(errors.values())})

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))

    @property
    def ordered_as(self) -> str:
        """The quantity as the customer ordered it, e.g. ``3 box (30 pcs)``."""
        base = f"{self.quantity.normalize():f} {self.unit}"
        if self.entered_unit and self.entered_quantity is not None:
            return f"{self.entered_quantity.normalize():f} {self.entered_unit} ({base})"
        return base


# Line value as a database expression, for aggregates (credit exposure, order totals).
LINE_AMOUNT = F("quantity") * F("unit_price")
