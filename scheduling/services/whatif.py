"""What-if plans: the whole plan made again with some demands changed, without saving it.

Heavy (a full MRP and finite schedule), so it runs in a task, never in a request.
"""

import dataclasses
from datetime import date, datetime

from scheduling import adapters, engine


def what_if(
    *, replace: dict[str, engine.Demand | None], now: datetime | None = None
) -> dict[str, date]:
    """Projected delivery per demand reference if the demands in ``replace`` were changed.

    ``replace`` maps a demand reference to its changed demand (added when it is not planned
    yet) or to ``None`` to take it out. Nothing is written: the current plan stays as it is.
    """
    problem = adapters.problem_from_db(now=now)
    removed = {ref for ref, demand in replace.items() if demand is None}
    demands = [d for d in problem.demands if d.ref not in replace]
    demands += [d for d in replace.values() if d is not None]
    # Stock reserved for a demand that goes away is free for the others again.
    allocations = tuple(a for a in problem.allocations if a.demand_ref not in removed)
    problem = dataclasses.replace(
        problem,
        demands=tuple(sorted(demands, key=lambda d: (d.due, d.priority, d.ref))),
        allocations=allocations,
    )
    state = engine.build_plan(problem)
    return {p.ref: p.projected_delivery for p in state.result.projections}
