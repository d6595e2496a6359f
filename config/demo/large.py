"""A benchmark-sized history: 100,000 orders over three years, mostly closed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from config.demo.history import write_orders
from config.demo.orders import Context
from orders.models import SalesOrder
from orders.states import OrderStatus

S = OrderStatus
LARGE_ORDERS = 100_000
LARGE_WINDOW_DAYS = 3 * 365
# Percent of orders per final state: a plant's real backlog is a thin slice of its history.
LARGE_MIX = {
    S.DRAFT: 0.4,
    S.ENTERED: 0.5,
    S.VALIDATED: 0.4,
    S.ON_HOLD: 0.4,
    S.ACKNOWLEDGED: 0.8,
    S.PLANNED: 0.8,
    S.RELEASED: 0.9,
    S.IN_PRODUCTION: 1.6,
    S.PRODUCED: 0.5,
    S.QUALITY_HOLD: 0.3,
    S.QUALITY_RELEASED: 0.4,
    S.PACKED: 0.4,
    S.SHIPPED: 0.8,
    S.DELIVERED: 2.5,
    S.CLOSED: 84.8,
    S.CANCELLED: 4.5,
}


def seed_large_orders(
    ctx: Context, *, seed: int, on_batch: Callable[[int], None] | None = None
) -> dict[str, int] | None:
    """Add 100,000 orders unless that many exist already (then None)."""
    if SalesOrder.objects.count() >= LARGE_ORDERS:
        return None
    targets = random.Random(seed).choices(
        list(LARGE_MIX), weights=list(LARGE_MIX.values()), k=LARGE_ORDERS
    )
    # Spec validation is skipped for speed: every small run checks the same generator.
    fast = replace(ctx, check_specs=False)
    return write_orders(fast, targets, seed=seed, on_batch=on_batch)
