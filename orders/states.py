"""The order lifecycle: states, groups of states used in queries, and order types."""

from django.db import models


class OrderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"  # being entered, not yet handed in by sales
    ENTERED = "entered", "Entered"  # complete enough to review
    VALIDATED = "validated", "Validated"  # checked: customer, specs, quantities, credit
    ON_HOLD = "on_hold", "On hold"  # waiting for an answer or for credit; resumes where it was
    ACKNOWLEDGED = "acknowledged", "Acknowledged"  # promised date committed to the customer
    PLANNED = "planned", "Planned"  # in the master schedule, materials netted
    RELEASED = "released", "Released"  # work orders released to the shop floor
    IN_PRODUCTION = "in_production", "In production"  # first operation started
    PRODUCED = "produced", "Produced"  # every operation done, quantities verified
    QUALITY_HOLD = "quality_hold", "Quality hold"  # final inspection found a nonconformance
    QUALITY_RELEASED = "quality_released", "Quality released"  # signed off by quality
    PACKED = "packed", "Packed"  # packages built, documents printed
    SHIPPED = "shipped", "Shipped"  # handed to the carrier
    DELIVERED = "delivered", "Delivered"  # proof of delivery received
    CLOSED = "closed", "Closed"  # accepted by the customer; nothing left to do
    CANCELLED = "cancelled", "Cancelled"  # withdrawn before shipping


S = OrderStatus

# Every state from which an order may still be cancelled ("any state before shipped").
CANCELLABLE = (
    S.DRAFT,
    S.ENTERED,
    S.VALIDATED,
    S.ON_HOLD,
    S.ACKNOWLEDGED,
    S.PLANNED,
    S.RELEASED,
    S.IN_PRODUCTION,
    S.PRODUCED,
    S.QUALITY_HOLD,
    S.QUALITY_RELEASED,
    S.PACKED,
)
HOLDABLE = (S.ENTERED, S.VALIDATED)
# Orders the plant still has to work on or deliver.
OPEN = (*CANCELLABLE, S.SHIPPED)
# A date has been promised to the customer and not yet kept.
PROMISED = tuple(s for s in OPEN if s not in (S.DRAFT, S.ENTERED, S.VALIDATED, S.ON_HOLD))
LATE_STAGE = (S.PRODUCED, S.QUALITY_HOLD, S.QUALITY_RELEASED, S.PACKED, S.SHIPPED)
FINISHED = (S.DELIVERED, S.CLOSED, S.CANCELLED)


class OrderType(models.TextChoices):
    STANDARD = "standard", "Standard"
    CUSTOM = "custom", "Custom"
    RUSH = "rush", "Rush"
    BLANKET_RELEASE = "blanket_release", "Blanket release"


class Priority(models.IntegerChoices):
    # Lower sorts first in the plan: rush work is placed before everything else.
    RUSH = 0, "Rush"
    HIGH = 1, "High"
    NORMAL = 2, "Normal"
    LOW = 3, "Low"


class PaymentTerms(models.TextChoices):
    PREPAID = "prepaid", "Prepaid"
    NET15 = "net15", "Net 15 days"
    NET30 = "net30", "Net 30 days"
    NET45 = "net45", "Net 45 days"
    NET60 = "net60", "Net 60 days"

    @classmethod
    def days(cls, value: str) -> int:
        return 0 if value == cls.PREPAID else int(value.removeprefix("net"))
