"""A quality released, packed shipment with its carrier chosen: where shipping tests start."""

import datetime as dt
import subprocess
from decimal import Decimal

from django.utils import timezone

from fulfillment.models import CarrierService, InspectionResult, ItemKind, ShipmentStatus
from orders.models import Document, DocumentKind, Product
from orders.states import OrderStatus, PaymentTerms
from tests.factories.fulfillment import (
    CarrierFactory,
    CarrierServiceFactory,
    InspectionFactory,
    InspectionItemFactory,
    PackageContentFactory,
    PackageFactory,
    ShipmentFactory,
)
from tests.factories.orders import (
    AddressFactory,
    ContactFactory,
    CustomerFactory,
    DocumentFactory,
    ProductFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

LENGTH = {"nominal": "120", "tol_plus": "0.1", "tol_minus": "0.1"}


def packed_shipment(
    *,
    inspector,
    country: str = "US",
    order_status: str = OrderStatus.PACKED,
    carrier: bool = True,
    packing_list: bool = True,
    terms: str = PaymentTerms.NET30,
):
    """Order SO for customer "Northwind Tools" (PO-7781) with two lines packed in two cartons:

    line 1: 20 pcs BRK-120 at 12.50 (length 120 ±0.1 mm, measured 120.05, HS 7326.90, DE),
    line 2: 10 pcs BLT-8 at 4.00 (HS 7318.15, US). Value 290.00.
    """
    customer = CustomerFactory(name="Northwind Tools", payment_terms=terms)
    ContactFactory(customer=customer, email="receiving@northwind.example", is_primary=True)
    ship_to = AddressFactory(
        customer=customer,
        name="Northwind Receiving",
        city="Toronto" if country == "CA" else "Dayton",
        region="Ontario" if country == "CA" else "Midwest",
        country=country,
    )
    order = SalesOrderFactory(
        customer=customer,
        ship_to=ship_to,
        status=order_status,
        customer_po="PO-7781",
        payment_terms=terms,
    )
    bracket = SalesOrderLineFactory(
        order=order,
        line_no=1,
        product=Product.objects.filter(sku="BRK-120").first()
        or ProductFactory(
            custom=True,
            sku="BRK-120",
            name="Mounting bracket",
            hs_code="7326.90",
            country_of_origin="DE",
            unit_weight_kg=Decimal("0.250"),
        ),
        quantity=Decimal("20"),
        unit_price=Decimal("12.50"),
        specs={"length": LENGTH, "material": "6061-T6"},
    )
    bolts = SalesOrderLineFactory(
        order=order,
        line_no=2,
        product=Product.objects.filter(sku="BLT-8").first()
        or ProductFactory(
            sku="BLT-8",
            name="Hex bolt M8",
            item=None,
            hs_code="7318.15",
            country_of_origin="US",
            unit_weight_kg=Decimal("0.020"),
        ),
        quantity=Decimal("10"),
        unit_price=Decimal("4.00"),
    )
    signed = timezone.now() - dt.timedelta(hours=3)
    inspection = InspectionFactory(
        order=order,
        inspector=inspector,
        result=InspectionResult.PASS,
        finished_at=signed,
        signed_by=inspector,
        signed_at=signed,
    )
    InspectionItemFactory(
        inspection=inspection,
        line=bracket,
        position=1,
        kind=ItemKind.DIMENSION,
        key="line1_length",
        label="Line 1: Length",
        unit="mm",
        nominal=Decimal("120"),
        tol_plus=Decimal("0.1"),
        tol_minus=Decimal("0.1"),
        measured=Decimal("120.05"),
        passed=True,
    )
    InspectionItemFactory(
        inspection=inspection,
        position=2,
        kind=ItemKind.CHECK,
        key="finish_cosmetics",
        label="Finish and cosmetics",
        passed=True,
    )
    extra = {}
    if carrier:
        express = CarrierService.objects.filter(code="EXP").first() or CarrierServiceFactory(
            carrier=CarrierFactory(
                code="FASTFR", name="FastFreight", tracking_url="https://ff.example/t/{tracking}"
            ),
            code="EXP",
            name="Express",
        )
        extra = {
            "carrier": express.carrier,
            "service": express,
            "freight_cost": Decimal("85.00"),
            "estimated_delivery": timezone.localdate() + dt.timedelta(days=3),
        }
    shipment = ShipmentFactory(
        order=order,
        status=ShipmentStatus.PACKED,
        packed_at=timezone.now() - dt.timedelta(hours=1),
        **extra,
    )
    first = PackageFactory(shipment=shipment, number=1, weight_kg=Decimal("6.50"))
    second = PackageFactory(shipment=shipment, number=2, weight_kg=Decimal("1.20"))
    PackageContentFactory(package=first, line=bracket, quantity=Decimal("20"))
    PackageContentFactory(package=second, line=bolts, quantity=Decimal("10"))
    if packing_list:
        DocumentFactory(
            order=order, kind=DocumentKind.PACKING_LIST, revision=1, reference=shipment.number
        )
    return shipment


def pdf_text(document: Document) -> str:
    """The text of a stored PDF, as poppler's pdftotext lays it out."""
    result = subprocess.run(  # noqa: S603  (a fixed program on our own file)
        ["/usr/bin/pdftotext", "-layout", document.file.path, "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout
