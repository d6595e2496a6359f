"""Fulfillment use cases, one module per stage; the names are re-exported here."""

from fulfillment.services.inspection import (
    FINISHED_WORK,
    CompletionError,
    ItemResult,
    completion_check,
    inspection_evaluate,
    inspection_record,
    nonconformance_disposition,
    order_complete,
    order_quality_hold,
    order_quality_release,
)

__all__ = [
    "FINISHED_WORK",
    "CompletionError",
    "ItemResult",
    "completion_check",
    "inspection_evaluate",
    "inspection_record",
    "nonconformance_disposition",
    "order_complete",
    "order_quality_hold",
    "order_quality_release",
]
