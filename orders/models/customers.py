from decimal import Decimal

from django.conf import settings
from django.db import models

from orders.models.documents import RequirableDocument
from orders.states import PaymentTerms


class Customer(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    credit_limit = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    payment_terms = models.CharField(
        max_length=10, choices=PaymentTerms.choices, default=PaymentTerms.NET30
    )
    credit_hold = models.BooleanField(
        default=False, help_text="While set, every new order of this customer waits for credit."
    )
    # How delay notices reach this customer; empty follows the plant-wide order policy.
    delay_notice_policy = models.CharField(
        max_length=10,
        choices=[("auto", "Send automatically"), ("approve", "Wait for sales approval")],
        blank=True,
    )
    # Shipping defaults, copied onto each new order where sales may change them.
    accepts_partial_shipments = models.BooleanField(
        default=False,
        help_text="Ship what is made and keep the rest as a backorder, instead of waiting.",
    )
    packing_instructions = models.TextField(
        blank=True, help_text="Packaging and marking the customer requires on every order."
    )
    label_instructions = models.TextField(
        blank=True, help_text="Customer-specific labels (part numbers, PO, barcodes)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AddressKind(models.TextChoices):
    SHIP_TO = "ship_to", "Ship-to"
    BILL_TO = "bill_to", "Bill-to"


class Address(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=10, choices=AddressKind.choices, default=AddressKind.SHIP_TO)
    name = models.CharField(max_length=200, help_text="Site or department name on the label.")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20, blank=True)
    # Region drives transit days when quoting a delivery date.
    region = models.CharField(max_length=50)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166 two-letter code.")

    class Meta:
        ordering = ["customer", "kind", "name"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.name}, {self.line1}, {self.city} ({self.region}, {self.country})"

    @property
    def is_complete(self) -> bool:
        return all([self.name, self.line1, self.city, self.region, self.country])


class Contact(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
        help_text="Set when the contact may log in to the customer portal.",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    is_primary = models.BooleanField(default=False)
    # Which customer messages this contact receives, by message kind; missing means yes.
    notification_preferences = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["customer", "-is_primary", "name"]
        permissions = [("access_portal", "Can use the customer portal")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def wants(self, message_kind: str) -> bool:
        return bool(self.notification_preferences.get(message_kind, True))


class TransitLane(models.Model):
    """Calendar days on the road from the plant to a region, for promised delivery dates."""

    region = models.CharField(max_length=50, unique=True)
    transit_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["region"]

    def __str__(self) -> str:
        return f"{self.region}: {self.transit_days} days"


DEFAULT_TRANSIT_DAYS = 3


class DocumentRequirement(models.Model):
    """A document this customer needs with every shipment; ``ship`` waits until it exists."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="document_requirements"
    )
    kind = models.CharField(max_length=30, choices=RequirableDocument.choices)

    class Meta:
        ordering = ["customer", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "kind"], name="one_requirement_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} requires {self.get_kind_display()}"
