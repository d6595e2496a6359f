"""Demo exception types with their escalation paths, and two open exceptions on demo orders.

Called by ``seed_demo`` after the orders exist; safe to run again.
"""

# code -> (name, [(role, title, hours to act), ...] from level 1 up)
EXCEPTION_TYPES = {
    "material-shortage": (
        "Material shortage",
        [
            ("planner", "Planner", 8),
            ("manager", "Production manager", 16),
            ("manager", "Plant manager", 24),
        ],
    ),
    "quality-nonconformance": (
        "Quality nonconformance",
        [("quality", "Quality engineer", 8), ("manager", "Production manager", 24)],
    ),
    "capacity-conflict": (
        "Capacity conflict",
        [("planner", "Planner", 8), ("manager", "Production manager", 24)],
    ),
}
DEMO_EXCEPTIONS = [
    (
        "material-shortage",
        "Aluminium 6061 bar stock for this order is short by 40 m; the mill moved its "
        "delivery by a week. Buy from the second source at a premium, or re-promise?",
    ),
    (
        "capacity-conflict",
        "This order and a rush order both need the paint line on the same two days. "
        "Which goes first?",
    ),
]


def seed_tracking_demo(*, planner, manager) -> int:
    """Create the exception types and paths (once) and open the demo exceptions on open
    orders that have none; returns how many exceptions were opened."""
    from orders.models import EscalationLevel, ExceptionType, OrderException, SalesOrder
    from orders.services.exceptions import exception_open
    from orders.services.tracking import WATCHED

    types = {}
    for code, (name, path) in EXCEPTION_TYPES.items():
        exception_type, _created = ExceptionType.objects.update_or_create(
            code=code, defaults={"name": name}
        )
        for level, (role, title, hours) in enumerate(path, start=1):
            EscalationLevel.objects.update_or_create(
                exception_type=exception_type,
                level=level,
                defaults={"role": role, "title": title, "hours_to_act": hours},
            )
        types[code] = exception_type
    if OrderException.objects.filter(exception_type__code__in=types).exists():
        return 0  # opened by an earlier run
    orders = list(
        SalesOrder.objects.filter(status__in=WATCHED, promised_date__isnull=False).order_by(
            "promised_date", "number"
        )[: len(DEMO_EXCEPTIONS)]
    )
    opened = 0
    for order, (code, description) in zip(orders, DEMO_EXCEPTIONS, strict=False):
        actor = planner if code == "material-shortage" else manager
        exception_open(
            actor=actor, exception_type=types[code], description=description, order=order
        )
        opened += 1
    return opened
