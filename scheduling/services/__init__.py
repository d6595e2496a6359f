"""Scheduling use cases. Plain functions, keyword-only arguments, one transaction each."""

from scheduling.services.demand import cancel_demand, plan_demand, quote
from scheduling.services.floor import (
    SchedulingError,
    move_operation,
    release_work_order,
    report_progress,
    unpin_operation,
)
from scheduling.services.planning import regenerate_plan, request_replan
from scheduling.services.purchasing import create_purchase_order_from_suggestion
from scheduling.services.whatif import what_if

__all__ = [
    "SchedulingError",
    "cancel_demand",
    "create_purchase_order_from_suggestion",
    "move_operation",
    "plan_demand",
    "quote",
    "regenerate_plan",
    "release_work_order",
    "report_progress",
    "request_replan",
    "unpin_operation",
    "what_if",
]
