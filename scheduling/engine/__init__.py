"""Ordercraft's planning engine: MRP, finite-capacity scheduling and capable-to-promise.

Pure standard-library Python. Frozen dataclasses in (``PlanningProblem``), frozen dataclasses
out (``PlanResult``, ``Quote``); no clock, no settings, no I/O; deterministic.

    state = build_plan(problem)        # MRP + scheduling, once
    state.result                       # PlanResult
    quote(state, demand)               # Quote; the plan is left untouched
"""

from scheduling.engine.ctp import quote
from scheduling.engine.model import (
    Allocation,
    BomLine,
    Constraint,
    Demand,
    DemandProjection,
    ExistingOperation,
    ExistingWorkOrder,
    Item,
    LoadBucket,
    Pin,
    PlannedOrder,
    PlanningProblem,
    PlanResult,
    PlanStats,
    PurchaseSuggestion,
    Quote,
    ReceiptUse,
    RoutingOp,
    ScheduledOperation,
    ScheduledReceipt,
    Shortage,
    WorkCenter,
    WorkOrderSchedule,
)
from scheduling.engine.plan import PlanState, build_plan, plan

__all__ = [
    "Allocation",
    "BomLine",
    "Constraint",
    "Demand",
    "DemandProjection",
    "ExistingOperation",
    "ExistingWorkOrder",
    "Item",
    "LoadBucket",
    "Pin",
    "PlanResult",
    "PlanState",
    "PlanStats",
    "PlannedOrder",
    "PlanningProblem",
    "PurchaseSuggestion",
    "Quote",
    "ReceiptUse",
    "RoutingOp",
    "ScheduledOperation",
    "ScheduledReceipt",
    "Shortage",
    "WorkCenter",
    "WorkOrderSchedule",
    "build_plan",
    "plan",
    "quote",
]
