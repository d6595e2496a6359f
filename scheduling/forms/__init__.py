"""Planning forms: they check shape only; the services decide what may be done."""

from scheduling.forms.board import MoveForm, RunFilterForm
from scheduling.forms.purchasing import (
    PURCHASE_ACTIONS,
    CancelRestForm,
    ConfirmForm,
    ReceiveForm,
    RescheduleForm,
)

__all__ = [
    "PURCHASE_ACTIONS",
    "CancelRestForm",
    "ConfirmForm",
    "MoveForm",
    "ReceiveForm",
    "RescheduleForm",
    "RunFilterForm",
]
