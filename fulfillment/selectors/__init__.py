"""Read queries behind the completion, quality, packing and carrier pages.

The delivery page's queries live in ``fulfillment.selectors.delivery``.
"""

import operator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from fulfillment.models import (
    Backorder,
    BackorderStatus,
    CarrierService,
    Inspection,
    Nonconformance,
    NonconformanceStatus,
    Package,
    PackageContent,
    Shipment,
    ShipmentStatus,
)
from orders.models import SalesOrder, SalesOrderLine
from orders.selectors import order_search_q
from orders.states import OrderStatus
from scheduling.models import WorkOrder, WorkOrderOperation, WorkOrderStatus

# The order-wide checks every final inspection makes, after the measured dimensions.
STANDARD_CHECKS = [
    ("material_certificate", "Material certificate"),
    ("finish_cosmetics", "Finish and cosmetics"),
    ("packaging_marking", "Packaging and marking"),
]


@dataclass(frozen=True)
class ChecklistEntry:
    key: str
    kind: str  # "dimension" or "check"
    label: str
    line_id: int | None = None
    unit: str = ""
    nominal: Decimal | None = None
    tol_plus: Decimal | None = None
    tol_minus: Decimal | None = None

    @property
    def lower(self) -> Decimal:
        return self.nominal - (self.tol_minus or 0)

    @property
    def upper(self) -> Decimal:
        return self.nominal + (self.tol_plus or 0)

    def accepts(self, measured: Decimal) -> bool:
        """A measurement on the limit is inside the tolerance."""
        return self.lower <= measured <= self.upper


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def inspection_checklist(*, order: SalesOrder) -> list[ChecklistEntry]:
    """One measured-value entry per toleranced dimension in the lines' specs, then the checks."""
    entries = []
    for line in order.lines.select_related("product").order_by("line_no"):
        for field in line.product.spec_template or []:
            value = (line.specs or {}).get(field.get("key"))
            if field.get("type") != "dimension" or not isinstance(value, dict):
                continue
            nominal = _decimal(value.get("nominal"))
            if nominal is None:
                continue
            entries.append(
                ChecklistEntry(
                    key=f"line{line.line_no}_{field['key']}",
                    kind="dimension",
                    label=f"Line {line.line_no}: {field.get('label', field['key'])}",
                    line_id=line.pk,
                    unit=field.get("unit", ""),
                    nominal=nominal,
                    tol_plus=_decimal(value.get("tol_plus")) or Decimal(0),
                    tol_minus=_decimal(value.get("tol_minus")) or Decimal(0),
                )
            )
    entries += [
        ChecklistEntry(key=key, kind="check", label=label) for key, label in STANDARD_CHECKS
    ]
    return entries


def work_orders_for_order(*, order: SalesOrder) -> dict[str, list[WorkOrder]]:
    """Work orders pegged to each line reference (``SO-000123/1``), operations prefetched."""
    candidates = (
        WorkOrder.objects.exclude(status=WorkOrderStatus.CANCELLED)
        # A text match narrows the rows; the exact pegging is checked below.
        .filter(demand_refs__icontains=f"{order.number}/")
        .prefetch_related(
            Prefetch(
                "operations",
                queryset=WorkOrderOperation.objects.select_related("work_center").order_by(
                    "sequence"
                ),
            )
        )
        .order_by("number")
    )
    found: dict[str, list[WorkOrder]] = {}
    for work_order in candidates:
        for ref in work_order.demand_refs:
            if ref.split("/")[0] == order.number:
                found.setdefault(ref, []).append(work_order)
    return found


QUALITY_STAGES = {
    "inspect": ("Waiting for inspection", [OrderStatus.PRODUCED]),
    "hold": ("On quality hold", [OrderStatus.QUALITY_HOLD]),
}


def quality_queue(*, search: str = "", stage: str = "") -> QuerySet[SalesOrder]:
    """Orders waiting for final inspection or a decision on a hold, the most urgent first."""
    statuses = (
        QUALITY_STAGES[stage][1]
        if stage in QUALITY_STAGES
        else [
            OrderStatus.PRODUCED,
            OrderStatus.QUALITY_HOLD,
        ]
    )
    orders = SalesOrder.objects.filter(status__in=statuses).select_related("customer")
    if search := search.strip():
        orders = orders.filter(order_search_q(search))
    return orders.order_by("promised_date", "number")


def open_nonconformances() -> QuerySet[Nonconformance]:
    return (
        Nonconformance.objects.filter(status=NonconformanceStatus.OPEN)
        .select_related("order", "order__customer", "inspection__inspector")
        .order_by("created_at")
    )


def inspection_list(*, order: SalesOrder) -> list[Inspection]:
    return list(
        order.inspections.select_related("inspector", "signed_by")
        .prefetch_related("items")
        .order_by("-finished_at", "-pk")
    )


def nonconformance_list(*, order: SalesOrder) -> list[Nonconformance]:
    return list(order.nonconformances.select_related("decided_by").order_by("-created_at", "-pk"))


# ---------------------------------------------------------------------------------------------
# Packing, carriers and backorders: what a shipment carries, the shipping queue, backorders.
# ---------------------------------------------------------------------------------------------

QUEUE_STAGES = [
    ("", "Everything to pack or ship"),
    ("to_pack", "Released, not started"),
    ("packing", "Being packed"),
    ("packed", "Packed, waiting to ship"),
    ("backorder", "Backorders released"),
]
UNSHIPPED = (ShipmentStatus.PACKING, ShipmentStatus.PACKED)
FINISHED_WORK_STATUSES = (WorkOrderStatus.DONE, WorkOrderStatus.CLOSED)


@dataclass(frozen=True)
class PackLine:
    """One order line as the packer sees it for one shipment."""

    line: SalesOrderLine
    backordered: Decimal  # kept back from this shipment as a backorder
    to_ship: Decimal  # what this shipment must carry
    packed: Decimal  # already in its packages

    @property
    def left(self) -> Decimal:
        return self.to_ship - self.packed

    @property
    def estimated_weight(self) -> Decimal | None:
        unit_weight = self.line.product.unit_weight_kg
        return None if unit_weight is None else unit_weight * self.to_ship


def backorder_ready_to_ship(backorder: Backorder) -> bool:
    """Released by quality, still open and not yet in a shipment."""
    return bool(
        backorder.status == BackorderStatus.OPEN
        and backorder.released_at is not None
        and backorder.shipment_id is None
    )


def _backorders_by_line(backorders) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for backorder in backorders:
        totals[backorder.line_id] = totals.get(backorder.line_id, Decimal(0)) + backorder.quantity
    return totals


def shipment_quantities(
    *,
    order: SalesOrder,
    shipment: Shipment | None,
    first: bool = True,
    lines: list[SalesOrderLine] | None = None,
    backorders: list[Backorder] | None = None,
) -> dict[int, tuple[Decimal, Decimal]]:
    """``line id -> (backordered, to ship)`` for ``shipment``, or for the next one if None.

    The first shipment carries what was ordered less every backorder of the line (those
    quantities were not made when production completed); a later shipment carries exactly
    the backorders attached to it or, before it starts, the released open ones. ``first``
    says whether the next shipment is the order's first (ignored when ``shipment`` is given).
    """
    lines = list(order.lines.all()) if lines is None else lines
    backorders = list(order.backorders.all()) if backorders is None else backorders
    if shipment is not None:
        first = shipment.sequence == 1
    if first:
        kept = _backorders_by_line(backorders)
        return {
            line.pk: (
                kept.get(line.pk, Decimal(0)),
                max(line.quantity - kept.get(line.pk, Decimal(0)), Decimal(0)),
            )
            for line in lines
        }
    if shipment is not None:
        carried = _backorders_by_line(b for b in backorders if b.shipment_id == shipment.pk)
    else:
        carried = _backorders_by_line(b for b in backorders if backorder_ready_to_ship(b))
    return {line.pk: (Decimal(0), carried.get(line.pk, Decimal(0))) for line in lines}


def pack_lines(*, order: SalesOrder, shipment: Shipment | None) -> list[PackLine]:
    """The order's lines with what ``shipment`` (or the next one) must carry and has packed."""
    lines = list(order.lines.select_related("product").order_by("line_no"))
    quantities = shipment_quantities(
        order=order,
        shipment=shipment,
        first=shipment is None and not order.shipments.exists(),
        lines=lines,
        backorders=list(order.backorders.all()),
    )
    packed: dict[int, Decimal] = {}
    if shipment is not None:
        for row in PackageContent.objects.filter(package__shipment=shipment).values(
            "line_id", "quantity"
        ):
            packed[row["line_id"]] = packed.get(row["line_id"], Decimal(0)) + row["quantity"]
    return [
        PackLine(
            line=line,
            backordered=quantities[line.pk][0],
            to_ship=quantities[line.pk][1],
            packed=packed.get(line.pk, Decimal(0)),
        )
        for line in lines
    ]


def weight_estimate(*, rows: list[PackLine]) -> tuple[Decimal, list[int]]:
    """Net weight of what ships, from the products' unit weights, and lines lacking one."""
    total, missing = Decimal(0), []
    for row in rows:
        if row.to_ship <= 0:
            continue
        if row.estimated_weight is None:
            missing.append(row.line.line_no)
        else:
            total += row.estimated_weight
    return total.quantize(Decimal("0.01")), missing


def shipment_get(*, pk: int) -> Shipment:
    return (
        Shipment.objects.select_related(
            "order", "order__customer", "order__ship_to", "carrier", "service", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "packages",
                queryset=Package.objects.prefetch_related(
                    Prefetch(
                        "contents",
                        queryset=PackageContent.objects.select_related("line").order_by(
                            "line__line_no"
                        ),
                    )
                ).order_by("number"),
            )
        )
        .get(pk=pk)
    )


def order_shipments(*, order: SalesOrder) -> list[Shipment]:
    return list(order.shipments.select_related("carrier", "service").order_by("sequence"))


def open_shipment(*, order: SalesOrder) -> Shipment | None:
    """The shipment being packed or packed and not yet shipped (an order has one at a time)."""
    found = order.shipments.filter(status__in=UNSHIPPED).order_by("sequence").values("pk").first()
    return shipment_get(pk=found["pk"]) if found else None


def shipping_queue(*, query: str = "", stage: str = "") -> QuerySet[SalesOrder]:
    """Orders shipping has work on: released to pack, being packed, packed, backorders."""
    unshipped = Shipment.objects.filter(order=OuterRef("pk"), status__in=UNSHIPPED)
    released_backorders = Backorder.objects.filter(
        order=OuterRef("pk"),
        status=BackorderStatus.OPEN,
        released_at__isnull=False,
        shipment__isnull=True,
    )
    conditions = {
        "to_pack": Q(status=OrderStatus.QUALITY_RELEASED, has_unshipped=False),
        "packing": Q(has_packing=True),
        "packed": Q(has_packed=True),
        "backorder": Q(has_released_backorders=True),
    }
    orders = SalesOrder.objects.annotate(
        has_unshipped=Exists(unshipped),
        has_packing=Exists(unshipped.filter(status=ShipmentStatus.PACKING)),
        has_packed=Exists(unshipped.filter(status=ShipmentStatus.PACKED)),
        has_released_backorders=Exists(released_backorders),
    ).filter(conditions.get(stage) or reduce(operator.or_, conditions.values()))
    if query := query.strip():
        orders = orders.filter(order_search_q(query))
    return (
        orders.select_related("customer", "ship_to")
        .prefetch_related(
            Prefetch(
                "shipments",
                queryset=Shipment.objects.filter(status__in=UNSHIPPED).select_related(
                    "carrier", "service"
                ),
                to_attr="unshipped",
            )
        )
        .order_by(F("promised_date").asc(nulls_last=True), "number")
    )


def backorders_awaiting_release() -> list[tuple[Backorder, Decimal]]:
    """Open backorders quality has not released, each with the quantity made for its line.

    Made counts the good pieces of finished work orders pegged to the line, as the
    completion check does; the backorder is ready when that reaches the line's quantity.
    """
    backorders = list(
        Backorder.objects.filter(status=BackorderStatus.OPEN, released_at__isnull=True)
        .select_related("order", "order__customer", "line", "line__product")
        .order_by("created_at", "pk")
    )
    numbers = sorted({backorder.order.number for backorder in backorders})
    made: dict[str, Decimal] = {}
    if numbers:
        pegged = WorkOrder.objects.filter(status__in=FINISHED_WORK_STATUSES).filter(
            reduce(operator.or_, (Q(demand_refs__icontains=f"{n}/") for n in numbers))
        )
        for work_order in pegged.only("demand_refs", "good_quantity"):
            for ref in set(work_order.demand_refs):
                made[ref] = made.get(ref, Decimal(0)) + work_order.good_quantity
    return [
        (backorder, made.get(f"{backorder.order.number}/{backorder.line.line_no}", Decimal(0)))
        for backorder in backorders
    ]


def backorder_list(*, order: SalesOrder) -> list[Backorder]:
    return list(
        order.backorders.select_related("line", "released_by", "shipment").order_by(
            "line__line_no", "created_at"
        )
    )


def carrier_services_for_choice() -> list[CarrierService]:
    """Active services of active carriers with their lanes and rate bands."""
    return list(
        CarrierService.objects.filter(active=True, carrier__active=True)
        .select_related("carrier")
        .prefetch_related("lanes", "rates")
        .order_by("carrier__name", "name")
    )
