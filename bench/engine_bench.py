"""Benchmark of the planning engine on a generated plant (no Django, no database).

    python -m bench.engine_bench [--sizes 1000,2000,5000,10000] [--quotes 200]
                                 [--out var/bench/engine.json] [--profile]

The plant is fixed by the seed: 2,000 items on four BOM levels (300 end items, 250 and 150
make items below them, 1,300 bought items), 30 work centers with their own calendars,
2-5 routing operations per make item, stock and open purchase orders. Only the number of
open demands changes between sizes. Targets at 5,000 demands: full regeneration (MRP +
scheduling) under 10 s, capable-to-promise quote p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import math
import pstats
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from scheduling.engine import (
    BomLine,
    Demand,
    Item,
    PlanningProblem,
    RoutingOp,
    ScheduledReceipt,
    WorkCenter,
    build_plan,
    quote,
)
from scheduling.engine.index import Index
from scheduling.engine.mrp import MrpRun

TODAY = date(2026, 3, 2)
SEED = 20260302
REGEN_TARGET_S = 10.0
QUOTE_P95_TARGET_MS = 100.0
TARGET_SIZE = 5000
LEVEL_SIZES = (300, 250, 150)  # make items on BOM levels 0, 1 and 2
BUY_ITEMS = 1300


def _work_centers(rng: random.Random) -> tuple[WorkCenter, ...]:
    holidays = frozenset({TODAY + timedelta(days=d) for d in (26, 59)})
    centers = []
    for i in range(30):
        if i < 20:
            week = (480, 480, 480, 480, 480, 0, 0)
        elif i < 28:
            week = (960, 960, 960, 960, 960, 0, 0)
        else:
            week = (960, 960, 960, 960, 960, 480, 0)
        downtime = tuple(
            (TODAY + timedelta(days=rng.randrange(1, 120)), rng.choice((60, 120, 240)))
            for _ in range(rng.randrange(0, 4))
        )
        centers.append(
            WorkCenter(
                id=f"WC{i:02d}",
                name=f"Work center {i:02d}",
                minutes_per_weekday=week,
                efficiency=rng.choice((0.85, 0.9, 1.0, 1.0, 1.1)),
                closed_dates=holidays,
                downtime=downtime,
            )
        )
    return tuple(centers)


def generate_plant(seed: int = SEED):
    """Items, BOM lines, routings, work centers and receipts of the benchmark plant."""
    rng = random.Random(seed)
    levels: list[list[str]] = []
    items: list[Item] = []
    for level, size in enumerate(LEVEL_SIZES):
        ids = [f"M{level}-{n:04d}" for n in range(size)]
        levels.append(ids)
        for item_id in ids:
            rule, period = ("lot_for_lot", 0)
            if level == 0:
                rule, period = ("period", 5)
            elif level == 1:
                rule, period = ("period", 7)
            else:
                rule, period = ("period", 14)
            items.append(
                Item(
                    id=item_id,
                    make=True,
                    lead_time_days=rng.randrange(2, 6),
                    on_hand=rng.choice((0, 0, 0, 5, 20)),
                    lot_rule=rule,
                    period_days=period,
                    description=f"Assembly {item_id}",
                )
            )
    buys = [f"B-{n:04d}" for n in range(BUY_ITEMS)]
    for item_id in buys:
        rule = rng.choice(("lot_for_lot", "fixed", "min_mult", "period"))
        items.append(
            Item(
                id=item_id,
                make=False,
                lead_time_days=rng.randrange(2, 16),
                on_hand=rng.randrange(500, 5000),
                safety_stock=rng.choice((0, 0, 50)),
                lot_rule=rule,
                lot_qty=500,
                lot_min=200,
                lot_multiple=50,
                period_days=21,
                description=f"Material {item_id}",
            )
        )

    bom: list[BomLine] = []
    for level, ids in enumerate(levels):
        below = levels[level + 1] if level + 1 < len(levels) else []
        for parent in ids:
            chosen = set()
            for _ in range(rng.randrange(1, 3) if below else 0):
                chosen.add(rng.choice(below))
            for _ in range(rng.randrange(1, 4)):
                chosen.add(rng.choice(buys))
            for component in sorted(chosen):
                bom.append(
                    BomLine(parent, component, rng.choice((1, 1, 2, 4)), rng.choice((0, 0, 2)))
                )

    centers = _work_centers(rng)
    run_rate = {0: (0.3, 2.0), 1: (0.08, 0.5), 2: (0.04, 0.25)}
    # Operations go to work centers in proportion to their shifts, so no one is swamped.
    weights = [
        len([m for m in c.minutes_per_weekday if m]) * max(c.minutes_per_weekday) for c in centers
    ]
    routings: list[RoutingOp] = []
    for level, ids in enumerate(levels):
        low, high = run_rate[level]
        for item_id in ids:
            for seq in range(rng.randrange(2, 6)):
                wc = rng.choices(range(30), weights=weights)[0]
                routings.append(
                    RoutingOp(
                        item=item_id,
                        sequence=(seq + 1) * 10,
                        work_center=f"WC{wc:02d}",
                        setup_minutes=rng.randrange(10, 46),
                        run_minutes_per_unit=round(rng.uniform(low, high), 2),
                        setup_family=f"F{wc:02d}-{rng.randrange(4)}",
                    )
                )
    receipts = [
        ScheduledReceipt(
            item=item_id,
            qty=rng.randrange(100, 1500),
            due=TODAY + timedelta(days=rng.randrange(1, 40)),
            reference=f"PO-{n:05d}",
        )
        for n, item_id in enumerate(rng.sample(buys, 500))
    ]
    return tuple(items), tuple(bom), tuple(routings), centers, tuple(receipts), levels[0]


def generate_problem(n_demands: int, seed: int = SEED) -> PlanningProblem:
    """The benchmark plant with ``n_demands`` open demands on its end items."""
    items, bom, routings, centers, receipts, end_items = generate_plant(seed)
    rng = random.Random(seed + n_demands)
    demands = tuple(
        Demand(
            ref=f"SO-{n:06d}/1",
            item=rng.choice(end_items),
            qty=rng.randrange(1, 21),
            due=TODAY + timedelta(days=rng.randrange(5, 120)),
            priority=rng.choices((0, 5, 7), weights=(3, 85, 12))[0],
            inspection_days=rng.choice((0, 1, 2)),
            transit_days=rng.choice((0, 1, 3)),
        )
        for n in range(n_demands)
    )
    return PlanningProblem(
        today=TODAY,
        horizon_days=120,
        items=items,
        bom_lines=bom,
        routings=routings,
        work_centers=centers,
        receipts=receipts,
        demands=demands,
    )


def quote_requests(count: int, end_items: list[str], seed: int = SEED) -> list[Demand]:
    rng = random.Random(seed * 7 + count)
    return [
        Demand(
            ref=f"Q-{n:04d}",
            item=rng.choice(end_items),
            qty=rng.randrange(1, 21),
            due=TODAY + timedelta(days=rng.randrange(5, 60)),
            priority=rng.choice((0, 5, 5, 5)),
            inspection_days=rng.choice((0, 2)),
            transit_days=rng.choice((0, 2, 4)),
        )
        for n in range(count)
    ]


def measure(n_demands: int, n_quotes: int) -> dict:
    problem = generate_problem(n_demands)
    started = time.perf_counter()
    MrpRun(Index(problem)).run()
    mrp_s = time.perf_counter() - started

    started = time.perf_counter()
    state = build_plan(problem)
    regen_s = time.perf_counter() - started

    end_items = [i.id for i in problem.items if str(i.id).startswith("M0-")]
    timings = []
    for request in quote_requests(n_quotes, end_items):
        started = time.perf_counter()
        quote(state, request)
        timings.append((time.perf_counter() - started) * 1000.0)
    timings.sort()
    stats = state.result.stats
    capacity = sum(b.capacity_minutes for b in state.result.load)
    load = sum(b.load_minutes for b in state.result.load)
    return {
        "demands": n_demands,
        "operations": stats.operations,
        "work_orders": len(state.result.work_orders),
        "purchase_suggestions": stats.purchase_suggestions,
        "shortages": stats.shortages,
        "late_demands": stats.late_demands,
        "utilization_pct": round(100.0 * load / capacity, 1) if capacity else 0.0,
        "mrp_s": round(mrp_s, 3),
        "schedule_s": round(regen_s - mrp_s, 3),
        "regen_s": round(regen_s, 3),
        "regen_us_per_op": round(1e6 * regen_s / max(1, stats.operations), 1),
        "quote_p50_ms": round(statistics.median(timings), 2) if timings else 0.0,
        "quote_p95_ms": round(timings[max(0, math.ceil(0.95 * len(timings)) - 1)], 2)
        if timings
        else 0.0,
        "quote_max_ms": round(timings[-1], 2) if timings else 0.0,
    }


def growth(rows: list[dict], key: str) -> list[float]:
    """Time ratio per doubling of demands between consecutive sizes (n log n is about 2.2)."""
    out = []
    for a, b in itertools.pairwise(rows):
        if a[key] > 0 and b[key] > 0:
            exponent = math.log(b[key] / a[key]) / math.log(b["demands"] / a["demands"])
            out.append(round(2**exponent, 2))
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,5000,10000")
    parser.add_argument("--quotes", type=int, default=200)
    parser.add_argument("--out", default="var/bench/engine.json")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    rows = [measure(n, args.quotes) for n in sizes]
    header = (
        f"{'demands':>8} {'ops':>7} {'WOs':>6} {'util%':>6} {'late':>6} {'mrp s':>7} "
        f"{'sched s':>8} {'regen s':>8} {'us/op':>6} {'q p50 ms':>9} {'q p95 ms':>9} "
        f"{'q max ms':>9}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['demands']:>8} {r['operations']:>7} {r['work_orders']:>6} "
            f"{r['utilization_pct']:>6} {r['late_demands']:>6} {r['mrp_s']:>7.2f} "
            f"{r['schedule_s']:>8.2f} {r['regen_s']:>8.2f} {r['regen_us_per_op']:>6.1f} "
            f"{r['quote_p50_ms']:>9.2f} {r['quote_p95_ms']:>9.2f} "
            f"{r['quote_max_ms']:>9.2f}"
        )
    report = {
        "rows": rows,
        "growth_per_doubling": {
            "regen": growth(rows, "regen_s"),
            "quote_p95": growth(rows, "quote_p95_ms"),
        },
        "targets": {},
    }
    print(f"growth per doubling (regen): {report['growth_per_doubling']['regen']}")
    print(f"growth per doubling (quote p95): {report['growth_per_doubling']['quote_p95']}")
    at_target = [r for r in rows if r["demands"] == TARGET_SIZE]
    if at_target:
        r = at_target[0]
        report["targets"] = {
            "regen_under_10s": r["regen_s"] < REGEN_TARGET_S,
            "quote_p95_under_100ms": r["quote_p95_ms"] < QUOTE_P95_TARGET_MS,
        }
        print(
            f"targets at {TARGET_SIZE} demands: regen {r['regen_s']:.2f} s "
            f"({'met' if report['targets']['regen_under_10s'] else 'MISSED'}), quote p95 "
            f"{r['quote_p95_ms']:.2f} ms "
            f"({'met' if report['targets']['quote_p95_under_100ms'] else 'MISSED'})"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out}")

    if args.profile:
        problem = generate_problem(max(sizes))
        profiler = cProfile.Profile()
        profiler.runcall(build_plan, problem)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return report


if __name__ == "__main__":
    main()
