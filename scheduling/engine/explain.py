"""Why a date is what it is: walk back the chain that finished last and name its cause.

The *binding constraint* is the root of the latest-finishing chain: an operation that had to
wait for its work center (capacity), a pinned job, a receipt date (material), a purchase lead
time, or a make item's lead time. When nothing had to wait (stock on hand, production started
at once), the final inspection binds if the demand has any, else the transit, else nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from scheduling.engine.calendar import (
    DAY,
    add_working_days,
    format_day,
    plant_date,
    receiving_day,
)
from scheduling.engine.index import Index
from scheduling.engine.jobs import Job
from scheduling.engine.model import Constraint
from scheduling.engine.mrp import Supply


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


class Explainer:
    """Turns scheduled jobs and supply lots into constraints and plain-words steps."""

    def __init__(self, ix: Index, g0: int) -> None:
        self.ix = ix
        self.today = ix.today
        self.g0 = g0

    def _date(self, g: int) -> date:
        return plant_date(self.today, g)

    def _fmt(self, when: date) -> str:
        return format_day(when, self.today)

    def _name(self, item) -> str:
        return self.ix.parts[item].name

    def supply_chain(
        self, links: list[tuple[Supply, float]], *, planned: bool = False
    ) -> tuple[Constraint, list[str]]:
        """Root cause and steps of the lot among ``links`` that is usable last. With
        ``planned``, purchases count from their suggested arrival rather than the earliest."""

        def time_of(supply: Supply) -> int:
            return supply.arrival if planned and supply.kind == "buy" else supply.time

        if not links:
            return Constraint("none", "Nothing needs to be made or bought"), []
        latest = links[0][0]
        for supply, _ in links[1:]:
            if time_of(supply) > time_of(latest):
                latest = supply
        if latest.job is not None:
            return self.job_chain(latest.job)
        root = self._lot_constraint(latest, time_of(latest))
        return root, [root.message]

    def _lot_constraint(self, supply: Supply, time: int) -> Constraint:
        item, name = supply.item, self._name(supply.item)
        when = self._date(time)
        fields = {"item": item, "reference": supply.ref or None, "date": when}
        if supply.kind in ("stock", "alloc"):
            return Constraint("none", f"{name} is in stock", item=item, date=when)
        if time <= self.g0:
            return Constraint("none", f"{name} is available today", **fields)
        if supply.kind == "receipt":
            return Constraint(
                "material", f"{name} arrives {self._fmt(when)} on {supply.ref}", **fields
            )
        if supply.kind == "ready":
            text = f"Material for {supply.ref} is ready {self._fmt(when)}"
            return Constraint("material", text, **fields)
        if time <= max(self.g0, supply.lead * DAY):
            text = (
                f"{name} must be bought: {_days(supply.lead)} purchase lead time, "
                f"arrives {self._fmt(when)}"
            )
            return Constraint("lead_time", text, **fields)
        text = f"{name} is to be bought to arrive {self._fmt(when)} on {supply.ref}"
        return Constraint("material", text, **fields)

    def job_chain(self, job: Job) -> tuple[Constraint, list[str]]:
        """Root cause and steps of a job's finish: the last wait on its operation chain, else
        the material it waited for."""
        name = self._name(job.item)
        wcs = self.ix.work_centers
        root, steps = None, []
        op = job.ops[-1] if job.ops else None
        while op is not None:
            wc = wcs[op.wc]
            when = self._date(op.start)
            if op.pinned:
                text = f"{name} is pinned on {wc.name} for {self._fmt(when)}"
                root = Constraint("capacity", text, wc.id, job.item, job.key or None, when)
                break
            if op.waited:
                text = f"{wc.name} is full until {self._fmt(when)}"
                root = Constraint("capacity", text, wc.id, job.item, job.key or None, when)
                break
            op = op.prev
        if root is not None:
            steps.append(root.message)
        elif job.material > self.g0:
            root, steps = self.supply_chain(job.links)
        if job.lead_days:
            text = f"{name} takes {_days(job.lead_days)} to make"
            if root is None:
                root = Constraint("lead_time", text, item=job.item, date=self._date(job.completion))
            steps.append(text)
        if root is None:
            root = Constraint(
                "none",
                f"{name} can start at once with the material on hand",
                item=job.item,
                date=self._date(job.completion),
            )
            steps.append(root.message)
        steps.append(f"{name} is finished {self._fmt(self._date(job.completion))}")
        return root, steps

    def conclude(
        self, root: Constraint, steps: list[str], completion: date, inspection: int, transit: int
    ) -> tuple[Constraint, tuple[str, ...], date, date]:
        """Add final inspection and transit to a production chain: returns the binding
        constraint, the steps, the ship date and the delivery date."""
        inspection, transit = max(0, int(inspection)), max(0, int(transit))
        ship = add_working_days(completion, inspection, self.ix.holidays)
        delivery = receiving_day(ship + timedelta(days=transit))
        steps = list(steps)
        binding = root
        if inspection:
            steps.append(f"{_days(inspection)} final inspection: ships {self._fmt(ship)}")
        if transit:
            steps.append(f"{_days(transit)} transit: delivered {self._fmt(delivery)}")
        if root.kind == "none" and inspection:
            binding = Constraint("inspection", f"{_days(inspection)} final inspection", date=ship)
        elif root.kind == "none" and transit:
            binding = Constraint("transit", f"{_days(transit)} transit", date=delivery)
        return binding, tuple(steps), ship, delivery
