"""State-changing use cases of orders: plain functions, keyword-only, one transaction each."""

from orders.errors import OrderChangedError, OrderError, OrderTransitionError
from orders.services.blankets import blanket_balance, blanket_create, blanket_release_errors
from orders.services.changes import (
    ChangeRequestError,
    change_request_accept,
    change_request_analyse,
    change_request_counts,
    change_request_create,
    change_request_reanalyse,
    change_request_reject,
)
from orders.services.clarifications import clarification_answer, clarification_open
from orders.services.credit import (
    credit_position,
    deposit_missing,
    deposit_received,
    deposit_record,
    deposit_required,
    order_credit_release,
    order_validate,
)
from orders.services.demands import (
    demand_reference,
    order_demands_cancel,
    order_demands_fulfil,
    order_demands_plan,
    order_demands_reprioritise,
    order_demands_ship,
)
from orders.services.documents import document_render
from orders.services.entry import (
    EntryError,
    EntryLine,
    NewShipTo,
    OrderEntry,
    order_entry_create,
    order_entry_update,
)
from orders.services.feedback import (
    complaint_create,
    contact_preferences_update,
    delivery_accept,
    order_reorder,
    survey_answer_create,
)
from orders.services.lifecycle import (
    NOTE_REQUIRED,
    TRANSITIONS,
    order_acknowledge,
    order_acknowledgment_resend,
    order_create,
    order_event_record,
    order_readiness_errors,
    order_repromise,
    order_transition,
)
from orders.services.outbox import outbox_enqueue, outbox_send
from orders.services.promising import OrderQuote, QuoteLine, order_quote, order_quote_for
from orders.services.tracking import order_expedite

__all__ = [
    "NOTE_REQUIRED",
    "TRANSITIONS",
    "ChangeRequestError",
    "EntryError",
    "EntryLine",
    "NewShipTo",
    "OrderChangedError",
    "OrderEntry",
    "OrderError",
    "OrderQuote",
    "OrderTransitionError",
    "QuoteLine",
    "blanket_balance",
    "blanket_create",
    "blanket_release_errors",
    "change_request_accept",
    "change_request_analyse",
    "change_request_counts",
    "change_request_create",
    "change_request_reanalyse",
    "change_request_reject",
    "clarification_answer",
    "clarification_open",
    "complaint_create",
    "contact_preferences_update",
    "credit_position",
    "delivery_accept",
    "demand_reference",
    "deposit_missing",
    "deposit_received",
    "deposit_record",
    "deposit_required",
    "document_render",
    "order_acknowledge",
    "order_acknowledgment_resend",
    "order_create",
    "order_credit_release",
    "order_demands_cancel",
    "order_demands_fulfil",
    "order_demands_plan",
    "order_demands_reprioritise",
    "order_demands_ship",
    "order_entry_create",
    "order_entry_update",
    "order_event_record",
    "order_expedite",
    "order_quote",
    "order_quote_for",
    "order_readiness_errors",
    "order_reorder",
    "order_repromise",
    "order_transition",
    "order_validate",
    "outbox_enqueue",
    "outbox_send",
    "survey_answer_create",
]
