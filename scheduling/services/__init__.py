"""Scheduling use cases. Plain functions, keyword-only arguments, one transaction each."""

from scheduling.services.demand import (
    demand_cancel,
    demand_fulfil,
    demand_plan,
    demand_reprioritise,
    demand_ship,
    quote,
)
from scheduling.services.floor import (
    SchedulingError,
    move_operation,
    release_work_order,
    report_progress,
    unpin_operation,
)
from scheduling.services.planning import regenerate_plan, request_replan
from scheduling.services.purchasing import (
    PurchasingError,
    create_purchase_order_from_suggestion,
    purchase_line_cancel,
    purchase_line_confirm,
    purchase_line_receive,
    purchase_line_reschedule,
)
from scheduling.services.whatif import what_if

__all__ = [
    "PurchasingError",
    "SchedulingError",
    "create_purchase_order_from_suggestion",
    "demand_cancel",
    "demand_fulfil",
    "demand_plan",
    "demand_reprioritise",
    "demand_ship",
    "move_operation",
    "purchase_line_cancel",
    "purchase_line_confirm",
    "purchase_line_receive",
    "purchase_line_reschedule",
    "quote",
    "regenerate_plan",
    "release_work_order",
    "report_progress",
    "request_replan",
    "unpin_operation",
    "what_if",
]
