"""Capable-to-promise: fit one hypothetical demand into an existing plan without changing it.

How a quote is worked out (all against the ``PlanState`` built once by ``build_plan``):

* Material: stock, receipts and lot-size excess that the plan leaves unused are taken first,
  earliest first, as long as they arrive no later than a new order could (the MRP rule).
  Material already pegged to other demands is never taken. The rest is bought (arrives today
  + purchase lead time) or made (components first, recursively).
* Capacity: the quote's operations go into the gaps of each work center's timeline, as early
  as their material and previous operation allow, with full setup and never split. The
  timeline a quote sees holds pins, running work, and the planned work the scheduler puts
  before the new demand: work of a more urgent priority, or of the same priority due no later
  than the requested date. Other work gives way, exactly as it would when the demand is
  entered and the plan regenerated (the next regeneration shows what that work's new dates
  are). So a rush (priority 0) quote jumps ahead of all normal work; a normal quote jumps
  ahead of normal work due after its requested date; ties keep the work promised first.
* Lot rules: ``min_mult`` and ``fixed`` round the quantity made up as in MRP (one job);
  ``lot_for_lot`` and ``period`` make exactly what is missing.
* Dates: earliest ship = production finish + final inspection (working days);
  earliest delivery = ship + transit (calendar days), moved to the next weekday when it
  falls on a weekend (customers' docks receive Monday to Friday).

The quote keeps what it takes in its own overlay (lots taken, intervals booked), so the plan
and its timelines are only read.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from typing import TYPE_CHECKING

from scheduling.engine.calendar import DAY, plant_date
from scheduling.engine.index import NO_RANK
from scheduling.engine.jobs import Job, Op, capacity_delayed, clock_minutes
from scheduling.engine.model import Demand, Quote
from scheduling.engine.mrp import EPS, Supply, lot_sizes

if TYPE_CHECKING:
    from scheduling.engine.plan import PlanState


def earliest_slot(
    starts: list[int], ends: list[int], extra: list[tuple[int, int]], t: int, duration: int
) -> int:
    """First axis minute ``>= t`` where ``duration`` minutes are free both of the merged busy
    intervals ``starts``/``ends`` and of the (few) intervals in ``extra``."""
    if duration <= 0:
        return t
    n = len(starts)
    i = bisect_right(ends, t)
    while True:
        if i < n and starts[i] < t + duration:
            t = max(t, ends[i])
            i += 1
            continue
        clash = next((e for s, e in extra if s < t + duration and e > t), None)
        if clash is None:
            return t
        t = clash
        i = bisect_right(ends, t)


class _Quote:
    def __init__(self, state: PlanState, rank: tuple[int, int]) -> None:
        self.state = state
        self.ix = state.ix
        self.rank = rank
        self.busy: dict[int, tuple[list[int], list[int]]] = {}
        self.g0 = state.g0
        self.taken: dict[int, float] = {}
        self.booked: dict[int, list[tuple[int, int]]] = {}

    def supply(self, item, qty: float) -> list[tuple[Supply, float]]:
        part = self.ix.parts[item]
        links: list[tuple[Supply, float]] = []
        usable_until = max(self.g0, part.lead * DAY)
        for lot in self.state.free.get(item, ()):
            if qty <= EPS or lot.time > usable_until:
                break
            left = lot.qty - self.taken.get(id(lot), 0.0)
            if left <= EPS:
                continue
            take = min(left, qty)
            self.taken[id(lot)] = self.taken.get(id(lot), 0.0) + take
            qty -= take
            links.append((lot, take))
        if qty > EPS:
            if part.make:
                job = self.make(item, qty)
                lot = Supply("make", item, "", 0, qty)
                lot.job, lot.time = job, job.completion
            else:
                lot = Supply("buy", item, "", part.lead, qty)
                lot.lead, lot.time = part.lead, max(self.g0, part.lead * DAY)
            links.append((lot, qty))
        return links

    def make(self, item, qty: float) -> Job:
        ix = self.ix
        part = ix.parts[item]
        if part.lot_rule in ("fixed", "min_mult"):
            qty = sum(lot_sizes(part, qty))
        # A hypothetical job has no key: nothing outside the quote may refer to it.
        job = Job("", item, qty, (), NO_RANK, 0, False, [])
        for component, factor in ix.bom.get(item, ()):
            job.links.extend(self.supply(component, qty * factor))
        job.material = max([self.g0] + [lot.time for lot, _ in job.links])
        g = job.material
        routing = ix.routings.get(item, ())
        for r in routing:
            wc = ix.wc_index[r.work_center]
            eff = float(ix.work_centers[wc].efficiency)
            op = Op(
                f"quote/{r.sequence}",
                job,
                r.sequence,
                wc,
                r.setup_family,
                clock_minutes(float(r.setup_minutes), eff),
                clock_minutes(float(r.run_minutes_per_unit) * qty, eff),
                1,
                -1,
            )
            if job.ops:
                op.prev = job.ops[-1]
            job.ops.append(op)
            g = self._place(op, g)
        if not routing:
            job.lead_days = part.lead
            g = job.material + part.lead * DAY
        job.completion = g
        return job

    def _place(self, op: Op, ready: int) -> int:
        cal = self.state.calendars[op.wc]
        if op.wc not in self.busy:
            self.busy[op.wc] = self.state.busy_for(op.wc, self.rank)
        starts, ends = self.busy[op.wc]
        booked = self.booked.setdefault(op.wc, [])
        duration = op.setup + op.run
        t0 = cal.to_axis(ready)
        t = earliest_slot(starts, ends, booked, t0, duration)
        if duration:
            insort(booked, (t, t + duration))
        op.ready, op.placed = ready, True
        op.setup_applied = op.setup
        op.start_t, op.end_t = t, t + duration
        op.start = cal.start_g(t)
        op.end = cal.end_g(t + duration) if duration else op.start
        op.waited = capacity_delayed(cal, ready, t, duration, op.end)
        return op.end


def quote(state: PlanState, demand: Demand) -> Quote:
    """Earliest ship and delivery dates for ``demand`` on top of ``state``'s plan, with the
    binding constraint and the chain of reasons. The plan is not changed."""
    ix = state.ix
    if demand.item not in ix.parts:
        raise ValueError(f"quote for unknown item {demand.item!r}")
    run = _Quote(state, (int(demand.priority), ix.day_of(demand.due)))
    qty = float(demand.qty)
    links = run.supply(demand.item, qty) if qty > EPS else []
    finish = max([state.g0] + [lot.time for lot, _ in links])
    completion = plant_date(ix.today, finish)
    root, steps = state.explainer.supply_chain(links)
    binding, steps, ship, delivery = state.explainer.conclude(
        root, steps, completion, demand.inspection_days, demand.transit_days
    )
    return Quote(demand.ref, demand.item, round(qty, 6), completion, ship, delivery, binding, steps)
