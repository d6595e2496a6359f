"""Finite-capacity scheduling: a forward, event-driven list scheduler.

Rules, in the order they apply:

1. Pinned operations are placed first, at the first working minute at or after their pinned
   day/minute on the pinned work center, with their full setup. Pins may overlap each other
   (that is the only way a day gets overloaded); nothing else may overlap a pin.
2. Every other operation starts as early as possible: not before today's start, its work
   order's material (stock and allocations now, receipts on their date, purchases today +
   purchase lead time, child work orders when they finish), nor the end of the previous
   operation of its work order. A pinned operation still holds back the operations after
   it until it ends.
3. When a work center is free it takes, among the operations already waiting for it:
   in-progress operations first, then the most urgent by (priority, due date of the most
   urgent demand served, deeper BOM level, work order key). Exception (setup grouping): a
   waiting operation of the same setup family as the one just run goes first when it has the
   same priority and its due date is at most ``setup_window_days`` later than the most urgent
   one's; it then skips its setup. Any operation following one of its own family skips setup.
4. Operations are never split around a pinned job: if the chosen one does not fit before the
   next pin, the next waiting one that fits goes instead, else the work center waits until
   the pin is over.
5. A make item without a routing is finished ``lead_time_days`` calendar days after its
   material is ready (outside capacity, e.g. a subcontracted part).

Durations are clock minutes: standard minutes divided by efficiency, rounded up per setup and
per run. Operations of in-progress work are charged no setup (the machine is already set up).
"""

from __future__ import annotations

import heapq
from itertools import count

from scheduling.engine.calendar import DAY, WorkCalendar
from scheduling.engine.index import Index
from scheduling.engine.jobs import FIXED_LEVEL, Job, JobSet, Op, capacity_delayed
from scheduling.engine.mrp import MrpOutcome

FAR = 1 << 62


class Station:
    __slots__ = (
        "bi",
        "blocks",
        "by_family",
        "cal",
        "free_t",
        "index",
        "last_end",
        "last_family",
        "pending",
        "pins",
        "ready",
    )

    def __init__(self, index: int, cal: WorkCalendar) -> None:
        self.index = index
        self.cal = cal
        self.free_t = 0
        self.last_end = 0
        self.last_family = None
        self.pending = None
        self.ready: list = []
        self.by_family: dict[str, list] = {}
        self.pins: list[Op] = []
        self.blocks: list[list] = []
        self.bi = 0


class Scheduler:
    """Builds jobs from MRP output and existing work orders, then schedules them."""

    def __init__(self, ix: Index, cals: list[WorkCalendar], mrp: MrpOutcome) -> None:
        self.ix = ix
        self.purchases = mrp.purchases
        self.g0 = max(0, int(ix.problem.start_minute))
        self.window = int(ix.problem.setup_window_days)
        self.stations = [Station(i, cal) for i, cal in enumerate(cals)]
        work = self.work = JobSet(ix, mrp, self.g0)
        self.jobs: list[Job] = work.jobs
        self.ops: list[Op] = work.ops
        self.pin_conflicts = 0
        self.used_pins: set[str] = set()
        self.events: list = []
        self._seq = count()
        for op in self.ops:
            pin = ix.pins.get(op.key)
            if pin is not None:
                self._pin(op, pin)

    def _pin(self, op: Op, pin) -> None:
        st = self.stations[op.wc]
        day, minute = self.ix.pin_slot(pin)
        g = self.g0 if day < 0 else day * DAY + max(0, minute)
        t = st.cal.to_axis(g)
        d = op.setup + op.run
        op.pinned = op.placed = True
        op.level = FIXED_LEVEL
        op.setup_applied = op.setup
        op.start_t, op.end_t = t, t + d
        op.start = st.cal.start_g(t)
        op.end = st.cal.end_g(t + d) if d else op.start
        st.pins.append(op)
        self.used_pins.add(op.key)

    # --- the simulation ---------------------------------------------------------------------

    def run(self) -> None:
        """Schedule every operation; afterwards lots made by jobs carry their finish time."""
        for st in self.stations:
            st.pins.sort(key=lambda o: (o.start_t, o.end_t, o.key))
            for op in st.pins:
                if st.blocks and op.start_t < st.blocks[-1][1]:
                    if op.end_t >= st.blocks[-1][1]:
                        st.blocks[-1][1:] = [op.end_t, op.family]
                else:
                    st.blocks.append([op.start_t, op.end_t, op.family])
        for job in self.jobs:
            if job.pending == 0:
                self._push(job.material, 0, job)
        events, pop = self.events, heapq.heappop
        while events:
            g, kind, _, obj = pop(events)
            if kind == 0:
                self._start_job(obj, g)
            elif kind == 1:
                self._ready(obj, g)
            else:
                self._dispatch(obj, g)
        unplaced = [op.key for op in self.ops if not op.placed]
        if unplaced:
            raise RuntimeError(f"operations left unscheduled: {unplaced[:5]!r}")
        for supply in self.work.bound:
            supply.time = supply.job.completion
        for order in self.purchases:
            # Work scheduled earlier than MRP assumed pulls its purchase in with it.
            first_use = self._first_use_day(order.key)
            order.needed = order.need if first_use is None else min(order.need, first_use)
            order.arrival = max(order.needed, order.due - order.start)
            order.supply.arrival = max(self.g0, order.arrival * DAY)

    def _first_use_day(self, purchase_key: str) -> int | None:
        days = [
            (job.ops[0].start if job.ops else job.material) // DAY
            for job in self.work.buy_users.get(purchase_key, ())
        ]
        return min(days, default=None)

    def _push(self, g: int, kind: int, obj) -> None:
        heapq.heappush(self.events, (g, kind, next(self._seq), obj))

    def _start_job(self, job: Job, g: int) -> None:
        if job.ops:
            self._ready(job.ops[0], g)
        else:
            self._complete(job, g + job.lead_days * DAY)

    def _ready(self, op: Op, g: int) -> None:
        op.ready = g
        if op.pinned:
            if op.start < g:
                self.pin_conflicts += 1
            self._advance(op, max(op.end, g))
            return
        st = self.stations[op.wc]
        entry = (op.rank, op.job.sort_index, op.seq, op.index, op)
        heapq.heappush(st.ready, entry)
        if op.family is not None:
            heapq.heappush(st.by_family.setdefault(op.family, []), entry)
        self._want_dispatch(st, g)

    def _want_dispatch(self, st: Station, g: int) -> None:
        if st.pending is not None:
            return
        t = max(st.free_t, st.cal.to_axis(g))
        st.pending = max(g, st.cal.start_g(t))
        self._push(st.pending, 2, st)

    def _dispatch(self, st: Station, g: int) -> None:
        st.pending = None
        t = max(st.free_t, st.cal.to_axis(g))
        blocks = st.blocks
        while st.bi < len(blocks) and blocks[st.bi][1] <= t:
            if blocks[st.bi][1] >= st.last_end:
                st.last_end, st.last_family = blocks[st.bi][1], blocks[st.bi][2]
            st.bi += 1
        _clean(st.ready)
        if not st.ready:
            return
        if st.bi < len(blocks) and blocks[st.bi][0] <= t:
            st.free_t = blocks[st.bi][1]
            self._want_dispatch(st, g)
            return
        limit = blocks[st.bi][0] if st.bi < len(blocks) else FAR
        choice = self._choose(st, t, limit)
        if choice is None:
            st.free_t = blocks[st.bi][1]
            self._want_dispatch(st, g)
            return
        op, d = choice
        cal = st.cal
        op.placed = True
        op.setup_applied = d - op.run
        op.start_t, op.end_t = t, t + d
        op.start = cal.start_g(t)
        op.end = cal.end_g(t + d) if d else op.start
        op.waited = capacity_delayed(cal, op.ready, t, d, op.end)
        st.free_t = st.last_end = t + d
        st.last_family = op.family
        self._advance(op, op.end)
        _clean(st.ready)
        if st.ready:
            self._want_dispatch(st, g)

    def _choose(self, st: Station, t: int, limit: int):
        heap, last = st.ready, st.last_family
        best = heap[0][-1]
        first = None
        if last is not None and best.family != last:
            same_family = st.by_family.get(last)
            if same_family:
                _clean(same_family)
            if same_family:
                same = same_family[0][-1]
                if (
                    same.rank == best.rank
                    and same.job.prio == best.job.prio
                    and same.job.due_day <= best.job.due_day + self.window
                ):
                    first = same
        for op in (first, best):
            if op is not None:
                d = op.run if op.family is not None and op.family == last else op.run + op.setup
                if t + d <= limit:
                    return op, d
        popped, found = [], None
        while heap:
            entry = heapq.heappop(heap)
            op = entry[-1]
            if op.placed:
                continue
            popped.append(entry)
            d = op.run if op.family is not None and op.family == last else op.run + op.setup
            if t + d <= limit:
                found = (op, d)
                break
        for entry in popped:
            heapq.heappush(heap, entry)
        return found

    def _advance(self, op: Op, g_end: int) -> None:
        if op.next is not None:
            self._push(g_end, 1, op.next)
        else:
            self._complete(op.job, g_end)

    def _complete(self, job: Job, g: int) -> None:
        job.completion = g
        for parent in job.parents:
            if g > parent.material:
                parent.material = g
            parent.pending -= 1
            if parent.pending == 0:
                self._push(parent.material, 0, parent)


def _clean(heap: list) -> None:
    while heap and heap[0][-1].placed:
        heapq.heappop(heap)
