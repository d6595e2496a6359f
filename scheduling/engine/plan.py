"""Full regeneration: MRP, then scheduling, then the result records and the quote state."""

from __future__ import annotations

from scheduling.engine.calendar import WorkCalendar, plant_date, plant_datetime
from scheduling.engine.ctp import quote
from scheduling.engine.explain import Explainer
from scheduling.engine.index import Index, id_key, natural_key
from scheduling.engine.jobs import FIXED_LEVEL
from scheduling.engine.model import (
    Demand,
    DemandProjection,
    LoadBucket,
    PlannedOrder,
    PlanningProblem,
    PlanResult,
    PlanStats,
    PurchaseSuggestion,
    Quote,
    ReceiptUse,
    ScheduledOperation,
    Shortage,
    WorkOrderSchedule,
)
from scheduling.engine.mrp import MrpOutcome, MrpRun, Supply
from scheduling.engine.schedule import Scheduler


def _q(value: float) -> float:
    return round(value, 6) + 0.0  # + 0.0 turns -0.0 into 0.0


class PlanState:
    """A plan made once from a problem. ``result`` is the plan; ``quote()`` reads the rest and
    never changes it (calendars only grow further into the future, which changes no answer)."""

    def __init__(self, problem: PlanningProblem) -> None:
        ix = self.ix = Index(problem)
        self.g0 = max(0, int(problem.start_minute))
        days = max(1, int(problem.horizon_days)) + 1
        self.calendars = [
            WorkCalendar(wc, ix.today, start_minute=self.g0, holidays=ix.holidays, days=days)
            for wc in ix.work_centers
        ]
        mrp = MrpRun(ix).run()
        scheduler = Scheduler(ix, self.calendars, mrp)
        scheduler.run()
        self.explainer = Explainer(ix, self.g0)
        self.free: dict = {
            item: sorted(lots, key=lambda s: s.time) for item, lots in mrp.free.items() if lots
        }
        self.timelines = _timelines(scheduler)
        self.result = _assemble(self, mrp, scheduler)

    def busy_for(self, wc: int, rank: tuple[int, int]) -> tuple[list[int], list[int]]:
        """Merged busy intervals on work center ``wc`` that a demand of ``rank`` (priority,
        due day) must respect: pins, running work, and planned work the scheduler would run
        before it, i.e. of a rank up to and including its own."""
        return _merge([(s, e) for s, e, r in self.timelines[wc] if r <= rank])

    def quote(self, demand: Demand) -> Quote:
        """Shortcut for ``scheduling.engine.ctp.quote(self, demand)``."""
        return quote(self, demand)


def build_plan(problem: PlanningProblem) -> PlanState:
    """Run MRP and finite scheduling on ``problem``; the state answers quotes afterwards."""
    return PlanState(problem)


def plan(problem: PlanningProblem) -> PlanResult:
    """Run MRP and finite scheduling on ``problem`` and return the plan."""
    return PlanState(problem).result


def _merge(intervals: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for s, e in intervals:
        if e <= s:
            continue
        if ends and s <= ends[-1]:
            if e > ends[-1]:
                ends[-1] = e
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _timelines(scheduler: Scheduler) -> list[list[tuple[int, int, tuple[int, int]]]]:
    """Per work center, every operation's axis interval and the rank it was scheduled with."""
    per_wc: list[list[tuple[int, int, tuple[int, int]]]] = [[] for _ in scheduler.stations]
    for op in scheduler.ops:
        rank = (FIXED_LEVEL, 0) if op.level == FIXED_LEVEL else (op.job.prio, op.job.due_day)
        per_wc[op.wc].append((op.start_t, op.end_t, rank))
    for ops in per_wc:
        ops.sort()
    return per_wc


def _links_time(links: list[tuple[Supply, float]], g0: int) -> int:
    """When the last lot a demand draws is there; purchases count as the plan has them
    arrive, not as early as they could."""
    return max(
        (s.arrival if s.kind == "buy" else s.time for s, _ in links),
        default=g0,
    )


def _assemble(state: PlanState, mrp: MrpOutcome, scheduler: Scheduler) -> PlanResult:
    ix, today, explainer = state.ix, state.ix.today, state.explainer
    shift = ix.problem.shift_start
    wcs = ix.work_centers

    planned = [
        PlannedOrder(
            o.key, o.item, _q(o.qty), ix.date_of(o.start), ix.date_of(o.due), tuple(sorted(o.refs))
        )
        for o in sorted(
            mrp.orders, key=lambda o: (o.start, o.due, id_key(o.item), natural_key(o.key))
        )
    ]
    purchases = []
    for o in mrp.purchases:
        lead = o.due - o.start
        purchases.append(
            PurchaseSuggestion(
                o.key,
                o.item,
                _q(o.qty),
                ix.date_of(o.arrival - lead),
                ix.date_of(o.needed),
                ix.date_of(o.arrival),
                tuple(sorted(o.refs)),
            )
        )
    purchases.sort(key=lambda p: (p.order_by, p.needed, id_key(p.item), natural_key(p.key)))
    shortages = [
        Shortage(item, _q(qty), ix.date_of(need), ix.date_of(avail), refs, ref)
        for (item, need, avail, ref, refs), qty in sorted(
            mrp.shortages.items(), key=lambda kv: (kv[0][1], id_key(kv[0][0]), kv[0][2:])
        )
    ]

    ops = sorted(scheduler.ops, key=lambda o: (id_key(wcs[o.wc].id), o.start_t, o.end_t, o.key))
    operations = [
        ScheduledOperation(
            op.key,
            op.job.key,
            op.job.item,
            wcs[op.wc].id,
            op.seq,
            plant_datetime(today, shift, op.start),
            plant_datetime(today, shift, op.end),
            op.setup_applied,
            op.run,
            op.pinned,
            op.job.refs,
        )
        for op in ops
    ]
    work_orders = [
        WorkOrderSchedule(
            job.key,
            job.item,
            _q(job.qty),
            not job.existing,
            plant_datetime(today, shift, job.ops[0].start) if job.ops else None,
            plant_datetime(today, shift, job.ops[-1].end) if job.ops else None,
            plant_date(today, job.completion),
            job.refs,
        )
        for job in sorted(scheduler.jobs, key=lambda j: natural_key(j.key))
    ]

    projections = []
    for demand in ix.demands:
        links = mrp.demand_links.get(demand.ref, [])
        completion = plant_date(today, _links_time(links, state.g0))
        root, steps = explainer.supply_chain(links, planned=True)
        binding, _, ship, delivery = explainer.conclude(
            root, steps, completion, demand.inspection_days, demand.transit_days
        )
        projections.append(
            DemandProjection(
                demand.ref,
                demand.item,
                _q(float(demand.qty)),
                demand.due,
                completion,
                ship,
                delivery,
                max(0, (delivery - demand.due).days),
                binding,
            )
        )

    load = _load(state, scheduler)
    stats = PlanStats(
        demands=len(projections),
        late_demands=sum(1 for p in projections if p.late_days > 0),
        planned_orders=len(planned),
        purchase_suggestions=len(purchases),
        shortages=len(shortages),
        operations=len(operations),
        overloaded_buckets=sum(1 for b in load if b.overloaded),
        pin_conflicts=scheduler.pin_conflicts,
        ignored_pins=tuple(k for k in ix.pins if k not in scheduler.used_pins),
    )
    return PlanResult(
        planned_orders=tuple(planned),
        purchase_suggestions=tuple(purchases),
        shortages=tuple(shortages),
        operations=tuple(operations),
        projections=tuple(projections),
        load=load,
        low_level_codes=tuple(sorted(mrp.low_level_codes.items(), key=lambda kv: id_key(kv[0]))),
        work_orders=tuple(work_orders),
        receipt_uses=tuple(
            ReceiptUse(ref, item, tuple(sorted(refs)))
            for (item, ref), refs in sorted(
                mrp.receipt_refs.items(), key=lambda kv: (natural_key(kv[0][1]), id_key(kv[0][0]))
            )
            if refs
        ),
        stats=stats,
    )


def _load(state: PlanState, scheduler: Scheduler) -> tuple[LoadBucket, ...]:
    """Load per work center and day, from today to the horizon or the last loaded day."""
    ix = state.ix
    horizon = max(1, int(ix.problem.horizon_days))
    per_wc: list[dict[int, int]] = [{} for _ in scheduler.stations]
    for op in scheduler.ops:
        cal = state.calendars[op.wc]
        loads = per_wc[op.wc]
        for day, minutes in cal.split_by_day(op.start_t, op.end_t):
            loads[day] = loads.get(day, 0) + minutes
    buckets = []
    for wc, cal, loads in zip(ix.work_centers, state.calendars, per_wc, strict=True):
        last = max(horizon - 1, max(loads, default=0))
        for day in range(last + 1):
            capacity = cal.capacity(day)
            load = loads.get(day, 0)
            if capacity or load:
                buckets.append(LoadBucket(wc.id, ix.date_of(day), capacity, load))
    return tuple(buckets)
