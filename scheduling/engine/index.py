"""Validated, sorted, float-valued view of a ``PlanningProblem`` shared by every stage.

Every collection is sorted by an explicit key here, once, so that the stages after it never
depend on the order the caller happened to pass things in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from scheduling.engine.calendar import sub_working_days
from scheduling.engine.model import (
    LOT_RULES,
    OPERATION_STATUSES,
    Demand,
    ExistingWorkOrder,
    Id,
    Item,
    Pin,
    PlanningProblem,
    RoutingOp,
    ScheduledReceipt,
    WorkCenter,
)

# Planned orders that serve no demand (safety stock) rank after every demand.
NO_RANK = (10**9, 10**9)


def id_key(value: Id) -> tuple[bool, Id]:
    """Sort key that orders ints among ints and strings among strings, never mixing them."""
    return (isinstance(value, str), value)


def natural_key(text: str) -> tuple:
    """Sort key putting ``PWO-x-9`` before ``PWO-x-10``."""
    return tuple(int(p) if i % 2 else p for i, p in enumerate(re.split(r"(\d+)", text)))


@dataclass(slots=True)
class Part:
    """An item with its quantities as floats."""

    item: Item
    make: bool
    lead: int
    on_hand: float
    safety: float
    lot_rule: str
    lot_qty: float
    lot_min: float
    lot_multiple: float
    period: int
    name: str


class Index:
    """Lookup tables over one problem; read-only after construction."""

    def __init__(self, problem: PlanningProblem) -> None:
        self.problem = problem
        self.today = problem.today
        self.holidays = frozenset(problem.holidays)
        self.parts: dict[Id, Part] = {}
        for item in sorted(problem.items, key=lambda i: id_key(i.id)):
            if item.id in self.parts:
                raise ValueError(f"item {item.id!r} is listed twice")
            if item.lot_rule not in LOT_RULES:
                raise ValueError(f"item {item.id!r}: unknown lot rule {item.lot_rule!r}")
            self.parts[item.id] = Part(
                item=item,
                make=bool(item.make),
                lead=max(0, int(item.lead_time_days)),
                on_hand=float(item.on_hand),
                safety=float(item.safety_stock),
                lot_rule=item.lot_rule,
                lot_qty=float(item.lot_qty),
                lot_min=float(item.lot_min),
                lot_multiple=float(item.lot_multiple),
                period=max(0, int(item.period_days)),
                name=item.description or str(item.id),
            )

        self.bom: dict[Id, list[tuple[Id, float]]] = {}
        for line in sorted(
            problem.bom_lines,
            key=lambda b: (id_key(b.parent_item), id_key(b.component_item), float(b.qty_per)),
        ):
            self._need_item(line.parent_item, "BOM line")
            self._need_item(line.component_item, "BOM line")
            factor = float(line.qty_per) * (1.0 + float(line.scrap_pct) / 100.0)
            self.bom.setdefault(line.parent_item, []).append((line.component_item, factor))

        self.work_centers: list[WorkCenter] = sorted(
            problem.work_centers, key=lambda w: id_key(w.id)
        )
        self.wc_index: dict[Id, int] = {}
        for i, wc in enumerate(self.work_centers):
            if wc.id in self.wc_index:
                raise ValueError(f"work center {wc.id!r} is listed twice")
            if wc.efficiency <= 0:
                raise ValueError(f"work center {wc.id!r}: efficiency must be positive")
            self.wc_index[wc.id] = i

        self.routings: dict[Id, list[RoutingOp]] = {}
        for op in sorted(problem.routings, key=lambda r: (id_key(r.item), r.sequence)):
            self._need_item(op.item, "routing")
            self._need_wc(op.work_center, f"routing of {op.item!r}")
            self.routings.setdefault(op.item, []).append(op)

        self.receipts: dict[Id, list[ScheduledReceipt]] = {}
        for rec in sorted(
            problem.receipts,
            key=lambda r: (id_key(r.item), r.due, r.reference, float(r.qty)),
        ):
            self._need_item(rec.item, "receipt")
            self.receipts.setdefault(rec.item, []).append(rec)

        self.allocations: dict[Id, dict[str, float]] = {}
        for alloc in sorted(
            problem.allocations, key=lambda a: (id_key(a.item), a.demand_ref, float(a.qty))
        ):
            self._need_item(alloc.item, "allocation")
            per_ref = self.allocations.setdefault(alloc.item, {})
            per_ref[alloc.demand_ref] = per_ref.get(alloc.demand_ref, 0.0) + float(alloc.qty)

        self.demands: list[Demand] = sorted(problem.demands, key=lambda d: d.ref)
        self.demand_by_ref: dict[str, Demand] = {}
        self.rank: dict[str, tuple[int, int]] = {}
        self.need_day: dict[str, int] = {}
        for demand in self.demands:
            if demand.ref in self.demand_by_ref:
                raise ValueError(f"demand {demand.ref!r} is listed twice")
            self._need_item(demand.item, f"demand {demand.ref!r}")
            self.demand_by_ref[demand.ref] = demand
            self.rank[demand.ref] = (int(demand.priority), self.day_of(demand.due))
            self.need_day[demand.ref] = self.completion_need_day(demand)

        self.work_orders: list[ExistingWorkOrder] = []
        self.op_keys: set[str] = set()
        for wo in sorted(problem.existing_work_orders, key=lambda w: w.key):
            self._need_item(wo.item, f"work order {wo.key!r}")
            if wo.status == "done":
                continue
            for op in wo.operations:
                if op.status not in OPERATION_STATUSES:
                    raise ValueError(f"operation {op.key!r}: unknown status {op.status!r}")
                self._need_wc(op.work_center, f"operation {op.key!r}")
                self.op_keys.add(op.key)
            self.work_orders.append(wo)

        self.pins: dict[str, Pin] = {}
        for pin in sorted(problem.pins, key=lambda p: p.operation_key):
            if pin.operation_key in self.pins:
                raise ValueError(f"operation {pin.operation_key!r} is pinned twice")
            self._need_wc(pin.work_center, f"pin of {pin.operation_key!r}")
            self.pins[pin.operation_key] = pin

    def _need_item(self, item: Id, where: str) -> None:
        if item not in self.parts:
            raise ValueError(f"{where} refers to unknown item {item!r}")

    def _need_wc(self, wc: Id, where: str) -> None:
        if wc not in self.wc_index:
            raise ValueError(f"{where} refers to unknown work center {wc!r}")

    def day_of(self, when) -> int:
        """Plan day number of a date (today is 0; may be negative)."""
        return (when - self.today).days

    def date_of(self, day: int):
        return self.today + timedelta(days=day)

    def pin_slot(self, pin: Pin) -> tuple[int, int]:
        """Plan day and minute after shift start where a pinned operation starts."""
        if isinstance(pin.start, datetime):
            shift = self.problem.shift_start
            minute = pin.start.hour * 60 + pin.start.minute - (shift.hour * 60 + shift.minute)
            return self.day_of(pin.start.date()), minute
        return self.day_of(pin.start), int(pin.minute)

    def completion_need_day(self, demand: Demand) -> int:
        """Day production must be complete for ``demand`` to arrive on its due date: transit is
        counted in calendar days, final inspection in working days. Never before today."""
        ship_by = demand.due - timedelta(days=max(0, int(demand.transit_days)))
        done_by = sub_working_days(ship_by, max(0, int(demand.inspection_days)), self.holidays)
        return max(0, self.day_of(done_by))

    def refs_rank(self, refs) -> tuple[int, int]:
        """Most urgent ``(priority, due day)`` among the demands ``refs``; NO_RANK if none."""
        best = NO_RANK
        for ref in refs:
            rank = self.rank.get(ref)
            if rank is not None and rank < best:
                best = rank
        return best
