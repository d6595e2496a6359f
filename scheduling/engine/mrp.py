"""Material requirements planning: low-level codes, netting, lot sizing, pegging.

Items are processed level by level (low-level code 0 first), so when an item is netted every
parent that can need it has already been planned and all its gross requirements are known.

Netting rules, per item, requirements taken in (need day, priority, due, reference) order:

* stock reserved by an ``Allocation`` serves only its own demand, first;
* safety stock is not available: when stock is below it, a replenishment requirement is
  placed today (it pegs no demand);
* supply lots (free stock, scheduled receipts, existing work orders, planned orders with
  excess from lot sizing) are used earliest first, but only while a lot arrives no later than
  a new order could (``max(need day, today + lead time)``), so a far-away receipt never makes
  an urgent requirement wait when buying or making anew is quicker;
* what is left becomes planned orders, due ``max(need day, today + lead time)`` and released
  ``lead_time_days`` before that. For make items the lead time is the MRP planning offset
  only: components are needed on the release day, and the scheduler decides the real dates.

A buy item consumed from a lot that arrives after the need day is a ``Shortage`` (the late
receipt, or a purchase that cannot arrive in time even if ordered today).
Released work orders' output is supply derived from ``ExistingWorkOrder`` itself, due on the
work order's due date: callers must not also pass it as a ``ScheduledReceipt``.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from itertools import count
from math import ceil

from scheduling.engine.index import NO_RANK, Index, Part, id_key
from scheduling.engine.model import Id

EPS = 1e-9
_ROUND_SLACK = 1e-6


class Supply:
    """A lot of an item that requirements draw from; ``qty`` is what is still unused."""

    __slots__ = ("arrival", "day", "item", "job", "kind", "lead", "order", "qty", "ref", "time")

    def __init__(self, kind: str, item: Id, ref: str, day: int, qty: float, order=None) -> None:
        self.kind = kind  # stock | alloc | receipt | make | buy | wo
        self.item = item
        self.ref = ref
        self.day = day
        self.qty = qty
        self.order = order
        self.job = None  # the scheduled job behind make/wo lots, set by the scheduler
        self.time = 0  # plant-clock time the lot is usable, set once the schedule is known
        self.arrival = 0  # for purchases: when the suggestion has it arrive
        self.lead = 0


class Order:
    """A planned order (make or buy) while MRP builds it."""

    __slots__ = (
        "arrival",
        "due",
        "item",
        "key",
        "kind",
        "links",
        "need",
        "needed",
        "qty",
        "rank",
        "refs",
        "start",
        "supply",
    )

    def __init__(self, key: str, item: Id, kind: str, qty: float, need: int, due: int, lead: int):
        self.key = key
        self.item = item
        self.kind = kind
        self.qty = qty
        self.need = need
        self.due = due
        self.start = due - lead
        self.refs: set[str] = set()
        self.links: list[tuple[Supply, float]] = []
        self.rank = NO_RANK
        self.supply: Supply | None = None
        self.needed = need  # purchases: moved earlier when scheduled work uses them sooner
        self.arrival = due


class Requirement:
    __slots__ = ("consumer", "day", "qty", "rank", "refs", "tie")

    def __init__(self, day: int, rank, tie, qty: float, refs: tuple[str, ...], consumer) -> None:
        self.day = day
        self.rank = rank
        self.tie = tie
        self.qty = qty
        self.refs = refs
        self.consumer = consumer


@dataclass(slots=True)
class MrpOutcome:
    low_level_codes: dict[Id, int]
    orders: list[Order] = field(default_factory=list)
    purchases: list[Order] = field(default_factory=list)
    shortages: dict[tuple, float] = field(default_factory=dict)
    demand_links: dict[str, list[tuple[Supply, float]]] = field(default_factory=dict)
    free: dict[Id, list[Supply]] = field(default_factory=dict)
    wo_supply: dict[str, Supply] = field(default_factory=dict)
    wo_refs: dict[str, set[str]] = field(default_factory=dict)
    # Demands each scheduled receipt (by item and reference) is used for.
    receipt_refs: dict[tuple[Id, str], set[str]] = field(default_factory=dict)


def low_level_codes(ix: Index) -> dict[Id, int]:
    """Deepest level at which each item appears in any BOM (end items are 0).

    Raises ``ValueError`` if the BOMs contain a cycle."""
    parents_left = dict.fromkeys(ix.parts, 0)
    for components in ix.bom.values():
        for component, _ in components:
            parents_left[component] += 1
    codes = dict.fromkeys(ix.parts, 0)
    ready = [item for item, n in parents_left.items() if n == 0]
    done = 0
    while ready:
        item = ready.pop()
        done += 1
        for component, _ in ix.bom.get(item, ()):
            codes[component] = max(codes[component], codes[item] + 1)
            parents_left[component] -= 1
            if parents_left[component] == 0:
                ready.append(component)
    if done < len(codes):
        stuck = sorted((i for i, n in parents_left.items() if n > 0), key=id_key)
        raise ValueError(f"bill of materials has a cycle through {stuck!r}")
    return codes


def lot_sizes(part: Part, net: float, window_extra: float = 0.0) -> list[float]:
    """Planned order quantities covering a net requirement under the item's lot rule.

    ``fixed`` plans as many lots of ``lot_qty`` as needed (one order each); ``min_mult``
    raises to ``lot_min`` then rounds up to a multiple of ``lot_multiple``; ``period`` adds
    ``window_extra``, the net need of the next ``period_days`` days."""
    rule = part.lot_rule
    if rule == "fixed" and part.lot_qty > EPS:
        return [part.lot_qty] * ceil(net / part.lot_qty - _ROUND_SLACK)
    if rule == "min_mult":
        qty = max(net, part.lot_min)
        if part.lot_multiple > EPS:
            qty = ceil(qty / part.lot_multiple - _ROUND_SLACK) * part.lot_multiple
        return [qty]
    if rule == "period":
        return [net + window_extra]
    return [net]


class MrpRun:
    """One MRP explosion over an ``Index``; call ``run()`` once."""

    def __init__(self, ix: Index) -> None:
        self.ix = ix
        self.out = MrpOutcome(low_level_codes=low_level_codes(ix))
        self.requirements: dict[Id, list[Requirement]] = {item: [] for item in ix.parts}
        self.counters: dict[Id, int] = {}
        self.wo_by_item: dict[Id, list] = {}
        for wo in ix.work_orders:
            self.wo_by_item.setdefault(wo.item, []).append(wo)

    def run(self) -> MrpOutcome:
        ix = self.ix
        for demand in ix.demands:
            if float(demand.qty) > EPS:
                self.requirements[demand.item].append(
                    Requirement(
                        ix.need_day[demand.ref],
                        ix.rank[demand.ref],
                        (0, demand.ref),
                        float(demand.qty),
                        (demand.ref,),
                        demand.ref,
                    )
                )
        codes = self.out.low_level_codes
        for item in sorted(ix.parts, key=lambda i: (codes[i], id_key(i))):
            made = self._net(ix.parts[item], self.requirements.pop(item))
            for order in made:
                order.rank = ix.refs_rank(order.refs)
                refs = tuple(sorted(order.refs))
                for component, factor in ix.bom.get(item, ()):
                    self.requirements[component].append(
                        Requirement(
                            order.start, order.rank, (1, order.key), order.qty * factor, refs, order
                        )
                    )
        return self.out

    def _net(self, part: Part, reqs: list[Requirement]) -> list[Order]:
        ix, out = self.ix, self.out
        item = part.item.id
        seq = count()
        lots: list[tuple[int, int, Supply]] = []
        allocated = dict(ix.allocations.get(item, {}))
        alloc_lots: dict[str, Supply] = {}
        pool = max(0.0, part.on_hand - sum(allocated.values())) - part.safety
        if pool > EPS:
            lots.append((0, next(seq), Supply("stock", item, "stock", 0, pool)))
        elif pool < -EPS:
            reqs.append(Requirement(0, NO_RANK, (2, ""), -pool, (), None))
        for rec in ix.receipts.get(item, ()):
            day = max(0, ix.day_of(rec.due))
            lots.append(
                (day, next(seq), Supply("receipt", item, rec.reference, day, float(rec.qty)))
            )
        for wo in self.wo_by_item.get(item, ()):
            supply = Supply("wo", item, wo.key, max(0, ix.day_of(wo.due)), float(wo.qty))
            out.wo_supply[wo.key] = supply
            out.wo_refs[wo.key] = set(wo.demand_refs)
            lots.append((supply.day, next(seq), supply))
        heapq.heapify(lots)
        reqs.sort(key=lambda r: (r.day, r.rank, r.tie))

        made: list[Order] = []
        for i, req in enumerate(reqs):
            links = self._links_of(req.consumer)
            need = req.qty
            for ref in req.refs:
                reserved = allocated.get(ref, 0.0)
                if reserved > EPS and need > EPS:
                    take = min(need, reserved)
                    allocated[ref] = reserved - take
                    need -= take
                    if ref not in alloc_lots:
                        alloc_lots[ref] = Supply("alloc", item, ref, 0, 0.0)
                    links.append((alloc_lots[ref], take))
            threshold = max(req.day, part.lead)
            while need > EPS:
                if not lots or lots[0][0] > threshold:
                    extra = 0.0
                    if part.lot_rule == "period" and part.period > 0:
                        extra = self._period_extra(reqs, i, req.day + part.period, lots, allocated)
                    for qty in lot_sizes(part, need, extra):
                        order = self._new_order(part, qty, req.day, threshold)
                        made.append(order)
                        supply = order.supply = Supply(
                            order.kind, item, order.key, threshold, qty, order
                        )
                        supply.lead = part.lead
                        heapq.heappush(lots, (threshold, next(seq), supply))
                    continue
                supply = lots[0][2]
                take = min(need, supply.qty)
                supply.qty -= take
                need -= take
                if supply.qty <= EPS:
                    heapq.heappop(lots)
                links.append((supply, take))
                self._peg(supply, req.refs)
                if not part.make and supply.day > req.day:
                    key = (item, req.day, supply.day, supply.ref, req.refs)
                    out.shortages[key] = out.shortages.get(key, 0.0) + take
        out.free[item] = [s for _, _, s in sorted(lots, key=lambda t: (t[0], t[1])) if s.qty > EPS]
        return [o for o in made if o.kind == "make"]

    def _links_of(self, consumer) -> list[tuple[Supply, float]]:
        if consumer is None:
            return []
        if isinstance(consumer, Order):
            return consumer.links
        return self.out.demand_links.setdefault(consumer, [])

    def _peg(self, supply: Supply, refs: tuple[str, ...]) -> None:
        if supply.order is not None:
            supply.order.refs.update(refs)
        elif supply.kind == "wo":
            self.out.wo_refs[supply.ref].update(refs)
        elif supply.kind == "receipt":
            self.out.receipt_refs.setdefault((supply.item, supply.ref), set()).update(refs)

    def _period_extra(self, reqs, i, window_end, lots, allocated) -> float:
        """Net need of the requirements after ``reqs[i]`` that fall before ``window_end``,
        less the supply already due inside the window."""
        extra = 0.0
        for later in reqs[i + 1 :]:
            if later.day >= window_end:
                break
            reserved = sum(allocated.get(ref, 0.0) for ref in later.refs)
            extra += max(0.0, later.qty - reserved)
        incoming = sum(s.qty for day, _, s in lots if day < window_end)
        return max(0.0, extra - incoming)

    def _new_order(self, part: Part, qty: float, need: int, due: int) -> Order:
        item = part.item.id
        n = self.counters[item] = self.counters.get(item, 0) + 1
        kind = "make" if part.make else "buy"
        key = f"{'PWO' if part.make else 'PPO'}-{item}-{n}"
        order = Order(key, item, kind, qty, need, due, part.lead)
        (self.out.orders if part.make else self.out.purchases).append(order)
        return order
