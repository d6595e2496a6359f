"""Read queries behind the completion and quality pages."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from fulfillment.models import Inspection, Nonconformance, NonconformanceStatus
from orders.models import SalesOrder
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


def quality_queue() -> QuerySet[SalesOrder]:
    """Orders waiting for final inspection or a decision on a hold."""
    return (
        SalesOrder.objects.filter(status__in=[OrderStatus.PRODUCED, OrderStatus.QUALITY_HOLD])
        .select_related("customer")
        .order_by("promised_date", "number")
    )


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
