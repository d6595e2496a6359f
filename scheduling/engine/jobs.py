"""Jobs to schedule: planned make orders and existing work orders, with their operations,
their material links and the work orders that wait for them."""

from __future__ import annotations

from math import ceil

from scheduling.engine.calendar import DAY, WorkCalendar
from scheduling.engine.index import NO_RANK, Index, id_key
from scheduling.engine.mrp import MrpOutcome, Supply

# Level of work that always keeps its capacity when a quote is fitted in (pins, running work).
FIXED_LEVEL = -(1 << 62)
_ROUND_SLACK = 1e-6


class Op:
    __slots__ = (
        "end",
        "end_t",
        "family",
        "index",
        "job",
        "key",
        "level",
        "next",
        "pinned",
        "placed",
        "prev",
        "rank",
        "ready",
        "run",
        "seq",
        "setup",
        "setup_applied",
        "start",
        "start_t",
        "waited",
        "wc",
    )

    def __init__(self, key, job, seq, wc, family, setup, run, rank, index) -> None:
        self.key = key
        self.job = job
        self.seq = seq
        self.wc = wc
        self.family = family
        self.setup = setup
        self.run = run
        self.rank = rank
        self.index = index
        self.level = 0
        self.pinned = False
        self.placed = False
        self.waited = False
        self.prev = self.next = None
        self.ready = self.start = self.end = self.start_t = self.end_t = 0
        self.setup_applied = 0


class Job:
    """A work order being scheduled: a planned make order or an existing work order."""

    __slots__ = (
        "completion",
        "due_day",
        "existing",
        "item",
        "key",
        "lead_days",
        "links",
        "llc",
        "material",
        "ops",
        "parents",
        "pending",
        "prio",
        "qty",
        "refs",
        "sort_index",
    )

    def __init__(self, key, item, qty, refs, rank, llc, existing, links) -> None:
        self.key = key
        self.item = item
        self.qty = qty
        self.refs = refs
        self.prio, self.due_day = rank
        self.llc = llc
        self.existing = existing
        self.links: list[tuple[Supply, float]] = links
        self.ops: list[Op] = []
        self.parents: list[Job] = []
        self.pending = 0
        self.material = 0
        self.completion = 0
        self.lead_days = 0
        self.sort_index = 0


def clock_minutes(standard: float, efficiency: float) -> int:
    """Clock minutes a work center needs for ``standard`` minutes of work."""
    return max(0, ceil(standard / efficiency - _ROUND_SLACK))


def capacity_delayed(cal: WorkCalendar, ready: int, start_t: int, duration: int, end: int) -> bool:
    """Whether waiting for the work center moved the operation's finish to a later day (a
    wait of an hour within the same day is not worth telling anyone about)."""
    t0 = cal.to_axis(ready)
    if start_t <= t0:
        return False
    unhindered = cal.end_g(t0 + duration) if duration else cal.start_g(t0)
    return end // DAY > unhindered // DAY


class JobSet:
    """Every job of a plan, sorted in dispatch order, linked to the jobs that feed it."""

    def __init__(self, ix: Index, mrp: MrpOutcome, g0: int) -> None:
        self.ix = ix
        self.g0 = g0
        self.jobs: list[Job] = []
        self.by_key: dict[str, Job] = {}
        self.ops: list[Op] = []
        self.bound: list[Supply] = []
        self.buy_users: dict[str, list[Job]] = {}
        self._build(mrp)

    def _build(self, mrp: MrpOutcome) -> None:
        ix, codes = self.ix, mrp.low_level_codes
        for order in mrp.orders:
            job = Job(
                order.key,
                order.item,
                order.qty,
                tuple(sorted(order.refs)),
                order.rank,
                codes[order.item],
                False,
                order.links,
            )
            routing = ix.routings.get(order.item, ())
            for r in routing:
                self._add_op(
                    job,
                    f"{order.key}/{r.sequence}",
                    r.sequence,
                    r.work_center,
                    r.setup_family,
                    float(r.setup_minutes),
                    float(r.run_minutes_per_unit) * order.qty,
                    1,
                )
            if not routing:
                job.lead_days = ix.parts[order.item].lead
            self._add_job(job)
        for wo in ix.work_orders:
            refs = tuple(sorted(mrp.wo_refs.get(wo.key, set(wo.demand_refs))))
            rank = ix.refs_rank(refs)
            if rank == NO_RANK:
                rank = (int(wo.priority), ix.day_of(wo.due))
            links = []
            if wo.material_ready is not None:
                day = max(0, ix.day_of(wo.material_ready))
                links.append((Supply("ready", wo.item, wo.key, day, 0.0), 0.0))
            job = Job(wo.key, wo.item, float(wo.qty), refs, rank, codes[wo.item], True, links)
            for op in sorted(wo.operations, key=lambda o: (o.sequence, o.key)):
                if op.status == "done":
                    continue
                running = op.status == "in_progress"
                self._add_op(
                    job,
                    op.key,
                    op.sequence,
                    op.work_center,
                    op.setup_family,
                    0.0 if running else float(op.setup_minutes),
                    float(op.run_minutes_per_unit) * float(op.remaining_qty),
                    0 if running else 1,
                )
            self._add_job(job)
        for key, supply in mrp.wo_supply.items():
            supply.job = self.by_key[key]

        self.jobs.sort(key=lambda j: (j.prio, j.due_day, -j.llc, id_key(j.key)))
        for i, job in enumerate(self.jobs):
            job.sort_index = i
            job.material = self.g0
            children = {}
            for supply, _ in job.links:
                if supply.kind == "buy":
                    self.buy_users.setdefault(supply.ref, []).append(job)
                child = self.bind(supply)
                if child is not None:
                    children[id(child)] = child
                elif supply.time > job.material:
                    job.material = supply.time
            for child in sorted(children.values(), key=lambda c: c.sort_index):
                child.parents.append(job)
            job.pending = len(children)
        for links in mrp.demand_links.values():
            for supply, _ in links:
                self.bind(supply)
        for lots in mrp.free.values():
            for supply in lots:
                self.bind(supply)

    def _add_op(self, job, key, seq, wc_id, family, setup_std, run_std, rank) -> None:
        ix = self.ix
        pin = ix.pins.get(key)
        wc = ix.wc_index[pin.work_center if pin else wc_id]
        eff = float(ix.work_centers[wc].efficiency)
        op = Op(
            key,
            job,
            seq,
            wc,
            family,
            clock_minutes(setup_std, eff),
            clock_minutes(run_std, eff),
            rank,
            len(self.ops),
        )
        op.level = FIXED_LEVEL if rank == 0 else job.prio
        if job.ops:
            op.prev = job.ops[-1]
            op.prev.next = op
        job.ops.append(op)
        self.ops.append(op)

    def _add_job(self, job: Job) -> None:
        if job.key in self.by_key:
            raise ValueError(f"work order key {job.key!r} is used twice")
        self.by_key[job.key] = job
        self.jobs.append(job)

    def bind(self, supply: Supply) -> Job | None:
        """Attach a lot to the job that produces it, or give it its plant-clock time."""
        if supply.kind == "make":
            supply.job = self.by_key[supply.order.key]
        if supply.job is not None:
            self.bound.append(supply)
            return supply.job
        if supply.kind in ("stock", "alloc"):
            supply.time = self.g0
        elif supply.kind == "buy":
            supply.time = supply.arrival = max(self.g0, supply.lead * DAY)
        else:
            supply.time = max(self.g0, supply.day * DAY)
        return None
