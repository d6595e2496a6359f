"""Carriers and their services, shipments, and the packages that go in them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core import clock


class Carrier(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    # "{tracking}" is replaced by the shipment's tracking number.
    tracking_url = models.CharField(
        max_length=200, blank=True, help_text="e.g. https://track.example.com/?n={tracking}"
    )
    # Shared with the carrier to sign its tracking webhooks (HMAC-SHA256); set in the admin.
    webhook_secret = models.CharField(max_length=128, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def tracking_link(self, tracking_number: str) -> str:
        if not (self.tracking_url and tracking_number):
            return ""
        return self.tracking_url.replace("{tracking}", tracking_number)


class CarrierService(models.Model):
    """One service level of a carrier (ground, express, LTL freight ...)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.CASCADE, related_name="services")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    liftgate = models.BooleanField(default=False, help_text="Can deliver with a liftgate.")
    appointments = models.BooleanField(default=False, help_text="Books delivery appointments.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["carrier", "name"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "code"], name="unique_service_per_carrier")
        ]

    def __str__(self) -> str:
        return f"{self.carrier.name} {self.name}"


class ServiceLane(models.Model):
    """Transit days of a service to a region (the ship-to address's region)."""

    service = models.ForeignKey(CarrierService, on_delete=models.CASCADE, related_name="lanes")
    region = models.CharField(max_length=50)
    transit_days = models.PositiveSmallIntegerField(help_text="Working days on the road.")

    class Meta:
        ordering = ["service", "region"]
        constraints = [
            models.UniqueConstraint(fields=["service", "region"], name="unique_lane_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.region} in {self.transit_days} days"


class ServiceRate(models.Model):
    """Cost by weight: from ``min_weight_kg`` up, ``base + per_kg x weight``."""

    service = models.ForeignKey(CarrierService, on_delete=models.CASCADE, related_name="rates")
    min_weight_kg = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    base = models.DecimalField(max_digits=10, decimal_places=2)
    per_kg = models.DecimalField(max_digits=10, decimal_places=4, default=Decimal("0"))

    class Meta:
        ordering = ["service", "min_weight_kg"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "min_weight_kg"], name="unique_rate_band_per_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} from {self.min_weight_kg} kg"

    def cost(self, weight_kg: Decimal) -> Decimal:
        return (self.base + self.per_kg * weight_kg).quantize(Decimal("0.01"))


class ShipmentStatus(models.TextChoices):
    PACKING = "packing", "Packing"  # packages being built
    PACKED = "packed", "Packed"  # packed and labelled, waiting for the carrier
    SHIPPED = "shipped", "Shipped"  # handed to the carrier
    DELIVERED = "delivered", "Delivered"  # proof of delivery recorded


class PodSource(models.TextChoices):
    CARRIER = "carrier", "Carrier tracking"
    MANUAL = "manual", "Entered by hand"


class Shipment(models.Model):
    """What leaves the plant in one go: the order's first shipment, or a backorder after it."""

    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.PROTECT, related_name="shipments"
    )
    # 1 for the order's first shipment; later ones carry backorders.
    sequence = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.PACKING, db_index=True
    )
    carrier = models.ForeignKey(
        Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    service = models.ForeignKey(
        CarrierService, null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    freight_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    estimated_delivery = models.DateField(null=True, blank=True)
    tracking_number = models.CharField(max_length=60, blank=True, db_index=True)
    invoice = models.OneToOneField(
        "orders.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="shipment"
    )
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    packed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Proof of delivery.
    delivered_at = models.DateTimeField(null=True, blank=True)
    received_by = models.CharField(max_length=120, blank=True)
    pod_source = models.CharField(max_length=10, choices=PodSource.choices, blank=True)
    pod_note = models.CharField(max_length=200, blank=True)
    pod_file = models.FileField(upload_to="pod/", blank=True)

    class Meta:
        ordering = ["order", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "sequence"], name="unique_shipment_sequence_per_order"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["shipped", "delivered"])
                | (Q(shipped_at__isnull=False) & ~Q(tracking_number="") & Q(carrier__isnull=False)),
                name="shipped_shipment_has_carrier_and_tracking",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered")
                | (Q(delivered_at__isnull=False) & ~Q(received_by="")),
                name="delivered_shipment_has_proof",
            ),
        ]
        indexes = [models.Index(fields=["status", "shipped_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_backorder(self) -> bool:
        return self.sequence > 1

    @property
    def tracking_link(self) -> str:
        return self.carrier.tracking_link(self.tracking_number) if self.carrier_id else ""


class Package(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="packages")
    number = models.PositiveSmallIntegerField()
    packaging = models.CharField(
        max_length=40, default="Carton", help_text="Carton, pallet, crate ..."
    )
    length_cm = models.DecimalField(max_digits=7, decimal_places=1)
    width_cm = models.DecimalField(max_digits=7, decimal_places=1)
    height_cm = models.DecimalField(max_digits=7, decimal_places=1)
    weight_kg = models.DecimalField(max_digits=9, decimal_places=2)
    marks = models.CharField(max_length=200, blank=True, help_text="Marking on the package.")

    class Meta:
        ordering = ["shipment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "number"], name="unique_package_number_per_shipment"
            ),
            models.CheckConstraint(
                condition=Q(length_cm__gt=0, width_cm__gt=0, height_cm__gt=0, weight_kg__gt=0),
                name="package_has_size_and_weight",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} package {self.number}"


class PackageContent(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="contents")
    line = models.ForeignKey("orders.SalesOrderLine", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=3)

    class Meta:
        ordering = ["package", "line"]
        constraints = [
            models.UniqueConstraint(fields=["package", "line"], name="one_content_row_per_line"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="content_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.package} line {self.line_id} x {self.quantity}"
