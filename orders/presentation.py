"""How lifecycle states and transitions look on a page (labels and Bootstrap colours)."""

from orders.states import OrderStatus as S

# transition -> (button label, Bootstrap button style)
TRANSITION_UI = {
    "submit": ("Submit", "primary"),
    "validate": ("Validate", "primary"),
    "hold": ("Put on hold", "warning"),
    "resume": ("Resume", "primary"),
    "acknowledge": ("Acknowledge", "success"),
    "plan": ("Plan", "primary"),
    "release": ("Release to production", "primary"),
    "start": ("Start production", "primary"),
    "complete": ("Complete production", "primary"),
    "inspect_pass": ("Pass final inspection", "success"),
    "inspect_fail": ("Fail final inspection", "danger"),
    "quality_release": ("Release from quality hold", "success"),
    "quality_hold": ("Put on quality hold", "danger"),
    "pack": ("Pack", "primary"),
    "ship": ("Ship", "primary"),
    "deliver": ("Confirm delivery", "success"),
    "close": ("Close", "secondary"),
    "cancel": ("Cancel order", "outline-danger"),
}

# status -> Bootstrap badge colour
STATUS_BADGE = {
    S.DRAFT: "secondary",
    S.ENTERED: "info",
    S.VALIDATED: "info",
    S.ON_HOLD: "warning",
    S.ACKNOWLEDGED: "primary",
    S.PLANNED: "primary",
    S.RELEASED: "primary",
    S.IN_PRODUCTION: "primary",
    S.PRODUCED: "primary",
    S.QUALITY_HOLD: "danger",
    S.QUALITY_RELEASED: "success",
    S.PACKED: "success",
    S.SHIPPED: "success",
    S.DELIVERED: "success",
    S.CLOSED: "dark",
    S.CANCELLED: "secondary",
}
