"""State-changing use cases of orders: plain functions, keyword-only, one transaction each."""

from orders.errors import OrderChangedError, OrderError, OrderTransitionError
from orders.services.documents import document_render
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

__all__ = [
    "NOTE_REQUIRED",
    "TRANSITIONS",
    "OrderChangedError",
    "OrderError",
    "OrderTransitionError",
    "document_render",
    "order_acknowledge",
    "order_acknowledgment_resend",
    "order_create",
    "order_event_record",
    "order_readiness_errors",
    "order_repromise",
    "order_transition",
    "outbox_enqueue",
    "outbox_send",
]
