"""Shipments behind the demo's packed, shipped, delivered and closed orders.

The generated history moves orders through the lifecycle by their events only; this gives
each order that left the plant what shipping would have recorded: a shipment with a carrier,
tracking number, one package with every line, the carrier's scans, proof of delivery, the
invoice (paid for most closed orders) and a few delivery reports, so the portal, the delivery
page and the dashboards show real data.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from core import clock
from orders.states import OrderStatus, PaymentTerms
from scheduling.numbering import number_next

S = OrderStatus
LEFT_THE_PLANT = (S.SHIPPED, S.DELIVERED, S.CLOSED)
# Packed orders wait at the dock: their shipment is packed, the carrier not yet chosen.
AT_THE_DOCK = (S.PACKED,)
RECEIVERS = [
    "M. Rivera",
    "J. Okafor",
    "Dock 4",
    "S. Lindqvist",
    "Receiving (T. Nguyen)",
    "A. Patel",
]
HUBS = {
    "Midwest": ["Indianapolis, IN", "Chicago, IL"],
    "Northeast": ["Columbus, OH", "Harrisburg, PA"],
    "South": ["Nashville, TN", "Atlanta, GA"],
    "West": ["Denver, CO", "Salt Lake City, UT"],
    "Canada-East": ["Detroit, MI", "Toronto, ON"],
    "Mexico": ["Laredo, TX", "Monterrey, NL"],
    "Europe": ["Newark, NJ", "Rotterdam, NL"],
}


def _working_days_after(day: dt.date, days: int) -> dt.date:
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _packed_shipment(order, lines, weight, shipping_user, now) -> None:
    from fulfillment.models import Shipment, ShipmentStatus

    pack = order.events.filter(transition="pack").order_by("-at").first()
    packed_at = pack.at if pack else now - dt.timedelta(hours=3)
    shipment = Shipment.objects.create(
        number=number_next(prefix="SH"),
        order=order,
        sequence=1,
        status=ShipmentStatus.PACKED,
        created_at=packed_at - dt.timedelta(hours=2),
        created_by=shipping_user,
        packed_at=packed_at,
    )
    _one_package(shipment, lines, weight)


def _one_package(shipment, lines, weight: Decimal) -> None:
    """Every line in full in one carton, or on one pallet when heavy."""
    from fulfillment.models import Package, PackageContent

    heavy = weight > 60
    package = Package.objects.create(
        shipment=shipment,
        number=1,
        packaging="Pallet" if heavy else "Carton",
        length_cm=Decimal("120") if heavy else Decimal("60"),
        width_cm=Decimal("80") if heavy else Decimal("40"),
        height_cm=Decimal("90") if heavy else Decimal("35"),
        weight_kg=weight + Decimal("2"),
    )
    PackageContent.objects.bulk_create(
        PackageContent(package=package, line=line, quantity=line.quantity) for line in lines
    )


def seed_shipments(*, shipping_user, credit_user, seed: int = 7) -> int:
    """A shipment for each demo order that left the plant without one; returns how many."""
    from fulfillment.models import (
        CarrierService,
        DeliveryReport,
        ReportKind,
        Shipment,
        ShipmentStatus,
        TrackingEvent,
    )
    from orders.models import CreditNote, Invoice, InvoiceStatus, Payment, SalesOrder

    services = list(
        CarrierService.objects.filter(active=True)
        .select_related("carrier")
        .prefetch_related("lanes", "rates")
        .order_by("carrier__code", "code")
    )
    if not services:
        return 0
    rng = random.Random(seed)
    orders = (
        SalesOrder.objects.filter(
            status__in=(*LEFT_THE_PLANT, *AT_THE_DOCK), shipments__isnull=True
        )
        .select_related("ship_to", "customer")
        .prefetch_related("lines__product")
        .order_by("number")
    )
    now = clock.now()
    created = 0
    # Sales should find at least one report waiting for them in the demo.
    open_report_made = False
    for order in orders:
        region = order.ship_to.region if order.ship_to else "Midwest"
        usable = [s for s in services if any(lane.region == region for lane in s.lanes.all())]
        if not usable:
            continue
        service = rng.choice(usable)
        lane_days = next(lane.transit_days for lane in service.lanes.all() if lane.region == region)
        lines = list(order.lines.all())
        weight = sum(
            (line.quantity * (line.product.unit_weight_kg or Decimal("0.5")) for line in lines),
            Decimal("0"),
        ).quantize(Decimal("0.01")) or Decimal("1")
        rate = max(
            (r for r in service.rates.all() if r.min_weight_kg <= weight),
            key=lambda r: r.min_weight_kg,
            default=None,
        )
        if order.status in AT_THE_DOCK:
            _packed_shipment(order, lines, weight, shipping_user, now)
            created += 1
            continue
        shipped_at = order.shipped_at or (now - dt.timedelta(days=2))
        delivered = order.status in (S.DELIVERED, S.CLOSED)
        delivered_at = order.delivered_at or (shipped_at + dt.timedelta(days=lane_days))
        shipment = Shipment.objects.create(
            number=number_next(prefix="SH"),
            order=order,
            sequence=1,
            status=ShipmentStatus.DELIVERED if delivered else ShipmentStatus.SHIPPED,
            carrier=service.carrier,
            service=service,
            freight_cost=rate.cost(weight) if rate else None,
            estimated_delivery=_working_days_after(timezone.localdate(shipped_at), lane_days),
            tracking_number=f"{service.carrier.code[:2]}{rng.randrange(10**9, 10**10)}",
            created_at=shipped_at - dt.timedelta(hours=6),
            created_by=shipping_user,
            packed_at=shipped_at - dt.timedelta(hours=3),
            shipped_at=shipped_at,
            shipped_by=shipping_user,
            delivered_at=delivered_at if delivered else None,
            received_by=rng.choice(RECEIVERS) if delivered else "",
            pod_source="carrier" if delivered else "",
        )
        _one_package(shipment, lines, weight)
        hubs = HUBS.get(region, HUBS["Midwest"])
        scans = [
            ("picked_up", shipped_at + dt.timedelta(hours=2), "Springfield, IL", ""),
            ("in_transit", shipped_at + dt.timedelta(hours=20), hubs[0], "Departed facility"),
        ]
        if delivered:
            scans += [
                ("out_for_delivery", delivered_at - dt.timedelta(hours=5), hubs[1], ""),
                ("delivered", delivered_at, hubs[1], shipment.received_by),
            ]
        TrackingEvent.objects.bulk_create(
            TrackingEvent(
                shipment=shipment,
                external_id=f"{shipment.tracking_number}-{n}",
                code=code,
                occurred_at=at,
                received_at=at,
                location=location,
                description=text if code != "delivered" else "",
                signed_by=text if code == "delivered" else "",
            )
            for n, (code, at, location, text) in enumerate(scans, start=1)
            if at <= now
        )
        issued_on = timezone.localdate(shipped_at)
        amount = sum((line.amount for line in lines), Decimal("0"))
        # Most customers pay closed orders; a few are still open or late.
        paid = order.status == S.CLOSED and rng.random() < 0.85
        invoice = Invoice.objects.create(
            number=number_next(prefix="INV"),
            order=order,
            customer=order.customer,
            amount=amount,
            paid_amount=amount if paid else Decimal("0"),
            issued_on=issued_on,
            due_on=issued_on + dt.timedelta(days=PaymentTerms.days(order.payment_terms)),
            status=InvoiceStatus.PAID if paid else InvoiceStatus.OPEN,
        )
        if paid:
            Payment.objects.create(
                invoice=invoice,
                amount=amount,
                received_on=min(invoice.due_on, clock.today()),
                reference=f"ACH {rng.randrange(100000, 999999)}",
                recorded_by=credit_user,
            )
        shipment.invoice = invoice
        shipment.save(update_fields=["invoice"])
        created += 1
        # One delivered order in thirty had a problem at delivery: open ones keep it open.
        waiting = order.status == S.DELIVERED and not open_report_made
        if delivered and lines and (waiting or rng.random() < 0.035):
            open_report_made = open_report_made or order.status == S.DELIVERED
            line = rng.choice(lines)
            kind = rng.choice([ReportKind.DAMAGE, ReportKind.SHORTAGE])
            report = DeliveryReport(
                order=order,
                shipment=shipment,
                kind=kind,
                line=line,
                quantity=min(line.quantity, Decimal("2")),
                description=(
                    "Corner of the pallet crushed; two pieces bent."
                    if kind == ReportKind.DAMAGE
                    else "Two pieces fewer in the carton than on the packing list."
                ),
                reported_at=delivered_at + dt.timedelta(hours=20),
                reported_by=shipping_user,
            )
            if order.status == S.CLOSED:
                credit = min(amount, line.unit_price * report.quantity)
                if credit > 0:
                    report.credit_note = CreditNote.objects.create(
                        number=number_next(prefix="CN"),
                        invoice=invoice,
                        amount=credit,
                        reason="Damaged or missing pieces at delivery",
                        issued_on=timezone.localdate(report.reported_at),
                        issued_by=credit_user,
                    )
                    invoice.credited_amount = credit
                    invoice.save(update_fields=["credited_amount"])
                    report.resolution = "credit_note"
                else:
                    report.resolution = "no_action"
                report.status = "resolved"
                report.resolved_by = credit_user
                report.resolved_at = report.reported_at + dt.timedelta(days=1)
            report.save()
    return created
