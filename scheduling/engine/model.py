"""Records that go into and come out of the planning engine.

Everything here is a frozen dataclass of plain values so that a plan can be compared,
hashed, serialized and replayed. Ids are whatever the caller uses (str or int).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

Id = str | int
Qty = float | int | Decimal

LOT_RULES = ("lot_for_lot", "fixed", "min_mult", "period")
OPERATION_STATUSES = ("planned", "released", "in_progress", "done")
CONSTRAINT_KINDS = ("capacity", "material", "inspection", "transit", "lead_time", "none")


# --- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    id: Id
    make: bool
    lead_time_days: int = 0
    on_hand: Qty = 0
    safety_stock: Qty = 0
    lot_rule: str = "lot_for_lot"
    lot_qty: Qty = 0
    lot_min: Qty = 0
    lot_multiple: Qty = 0
    period_days: int = 0
    description: str = ""


@dataclass(frozen=True, slots=True)
class BomLine:
    parent_item: Id
    component_item: Id
    qty_per: Qty
    scrap_pct: Qty = 0


@dataclass(frozen=True, slots=True)
class RoutingOp:
    item: Id
    sequence: int
    work_center: Id
    setup_minutes: Qty = 0
    run_minutes_per_unit: Qty = 0
    setup_family: str | None = None


@dataclass(frozen=True, slots=True)
class WorkCenter:
    id: Id
    name: str
    minutes_per_weekday: tuple[int, int, int, int, int, int, int] = (480, 480, 480, 480, 480, 0, 0)
    efficiency: float = 1.0
    closed_dates: frozenset[date] = frozenset()
    downtime: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ScheduledReceipt:
    item: Id
    qty: Qty
    due: date
    reference: str


@dataclass(frozen=True, slots=True)
class Allocation:
    item: Id
    qty: Qty
    demand_ref: str


@dataclass(frozen=True, slots=True)
class Demand:
    ref: str
    item: Id
    qty: Qty
    due: date
    priority: int = 5
    kind: str = "standard"
    labels: tuple[str, ...] = ()
    inspection_days: int = 0
    transit_days: int = 0


@dataclass(frozen=True, slots=True)
class ExistingOperation:
    key: str
    sequence: int
    work_center: Id
    setup_minutes: Qty = 0
    run_minutes_per_unit: Qty = 0
    remaining_qty: Qty = 0
    status: str = "released"
    setup_family: str | None = None


@dataclass(frozen=True, slots=True)
class ExistingWorkOrder:
    key: str
    item: Id
    qty: Qty
    due: date
    operations: tuple[ExistingOperation, ...] = ()
    status: str = "released"
    priority: int = 5
    demand_refs: tuple[str, ...] = ()
    material_ready: date | None = None


@dataclass(frozen=True, slots=True)
class Pin:
    """A planner's fixed slot for one operation: ``start`` is a wall-clock datetime, or a date
    with ``minute`` counted from that day's shift start."""

    operation_key: str
    work_center: Id
    start: date | datetime
    minute: int = 0


@dataclass(frozen=True, slots=True)
class PlanningProblem:
    today: date
    horizon_days: int = 90
    items: tuple[Item, ...] = ()
    bom_lines: tuple[BomLine, ...] = ()
    routings: tuple[RoutingOp, ...] = ()
    work_centers: tuple[WorkCenter, ...] = ()
    receipts: tuple[ScheduledReceipt, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    demands: tuple[Demand, ...] = ()
    existing_work_orders: tuple[ExistingWorkOrder, ...] = ()
    pins: tuple[Pin, ...] = ()
    # Plant-wide non-working days: every work center is closed and inspection does not count them.
    holidays: frozenset[date] = frozenset()
    # Wall-clock time at which minute 0 of every working day starts (may carry a tzinfo).
    shift_start: time = time(7, 0)
    # Minutes of today's shift already gone when the plan is made (the caller reads its clock).
    start_minute: int = 0
    # How far (in due-date days) a same-setup-family job may jump ahead of a more urgent one.
    setup_window_days: int = 5


# --- outputs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Constraint:
    kind: str
    message: str
    work_center: Id | None = None
    item: Id | None = None
    reference: str | None = None
    date: date | None = None


@dataclass(frozen=True, slots=True)
class PlannedOrder:
    key: str
    item: Id
    qty: float
    start: date
    due: date
    demand_refs: tuple[str, ...]
    kind: str = "make"


@dataclass(frozen=True, slots=True)
class PurchaseSuggestion:
    key: str
    item: Id
    qty: float
    order_by: date
    needed: date
    arrival: date
    demand_refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Shortage:
    item: Id
    qty: float
    date_needed: date
    available_date: date
    demand_refs: tuple[str, ...]
    reference: str = ""


@dataclass(frozen=True, slots=True)
class ReceiptUse:
    """The demands an open purchase (a scheduled receipt) is planned to serve."""

    reference: str
    item: Id
    demand_refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScheduledOperation:
    key: str
    work_order_key: str
    item: Id
    work_center: Id
    sequence: int
    start: datetime
    end: datetime
    setup_minutes_applied: int
    run_minutes: int
    pinned: bool
    demand_refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkOrderSchedule:
    key: str
    item: Id
    qty: float
    planned: bool
    start: datetime | None
    end: datetime | None
    completion: date
    demand_refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemandProjection:
    ref: str
    item: Id
    qty: float
    due: date
    projected_completion: date
    projected_ship: date
    projected_delivery: date
    late_days: int
    binding_constraint: Constraint


@dataclass(frozen=True, slots=True)
class LoadBucket:
    work_center: Id
    day: date
    capacity_minutes: int
    load_minutes: int

    @property
    def overloaded(self) -> bool:
        return self.load_minutes > self.capacity_minutes


@dataclass(frozen=True, slots=True)
class PlanStats:
    demands: int = 0
    late_demands: int = 0
    planned_orders: int = 0
    purchase_suggestions: int = 0
    shortages: int = 0
    operations: int = 0
    overloaded_buckets: int = 0
    pin_conflicts: int = 0
    ignored_pins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanResult:
    planned_orders: tuple[PlannedOrder, ...] = ()
    purchase_suggestions: tuple[PurchaseSuggestion, ...] = ()
    shortages: tuple[Shortage, ...] = ()
    operations: tuple[ScheduledOperation, ...] = ()
    projections: tuple[DemandProjection, ...] = ()
    load: tuple[LoadBucket, ...] = ()
    low_level_codes: tuple[tuple[Id, int], ...] = ()
    work_orders: tuple[WorkOrderSchedule, ...] = ()
    receipt_uses: tuple[ReceiptUse, ...] = ()
    stats: PlanStats = field(default_factory=PlanStats)


@dataclass(frozen=True, slots=True)
class Quote:
    demand_ref: str
    item: Id
    qty: float
    earliest_completion: date
    earliest_ship: date
    earliest_delivery: date
    binding: Constraint
    steps: tuple[str, ...]
