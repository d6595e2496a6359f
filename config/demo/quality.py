"""Nonconformances behind the demo's orders on quality hold.

The generated history puts orders on hold by their events only; each needs the
nonconformance quality decides on, with the hold's own words, so the hold can be worked.
"""

from __future__ import annotations


def seed_quality_holds() -> int:
    """An open nonconformance for each held order that has none; returns how many."""
    from fulfillment.models import Nonconformance
    from orders.models import SalesOrder
    from orders.states import OrderStatus

    held = SalesOrder.objects.filter(
        status=OrderStatus.QUALITY_HOLD, nonconformances__isnull=True
    ).prefetch_related("events")
    created = 0
    for order in held:
        hold = max(
            (e for e in order.events.all() if e.to_status == OrderStatus.QUALITY_HOLD),
            key=lambda e: e.at,
            default=None,
        )
        Nonconformance.objects.create(
            order=order,
            description=(hold.note if hold and hold.note else "Held at final inspection."),
            created_at=hold.at if hold else order.updated_at,
        )
        created += 1
    return created
