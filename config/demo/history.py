"""Writes a generated order history in batches, numbered in the order it was created."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from config.demo.bulk import insert_rows
from config.demo.orders import Context, build_order, plan_order
from core import clock
from orders.models import (
    Address,
    AddressKind,
    NumberSequence,
    OrderEvent,
    SalesOrder,
    SalesOrderLine,
)
from orders.states import OrderStatus

S = OrderStatus
NUMBER_PREFIX = "SO"

# About 300 orders with every state represented several times (exact counts, not weights).
SMALL_MIX = {
    S.DRAFT: 10,
    S.ENTERED: 10,
    S.VALIDATED: 10,
    S.ON_HOLD: 12,
    S.ACKNOWLEDGED: 14,
    S.PLANNED: 14,
    S.RELEASED: 14,
    S.IN_PRODUCTION: 24,
    S.PRODUCED: 10,
    S.QUALITY_HOLD: 8,
    S.QUALITY_RELEASED: 8,
    S.PACKED: 10,
    S.SHIPPED: 14,
    S.DELIVERED: 22,
    S.CLOSED: 94,
    S.CANCELLED: 26,
}


def build_context(*, users: dict, customers: list, products: list, window_days: int) -> Context:
    ship_tos: dict[int, list] = {customer.pk: [] for customer in customers}
    addresses = Address.objects.filter(customer__in=customers, kind=AddressKind.SHIP_TO)
    for address in addresses.order_by("customer_id", "name", "pk"):
        ship_tos[address.customer_id].append(address)
    return Context(
        actor_ids={username: user.pk for username, user in users.items()},
        customers=customers,
        ship_tos=ship_tos,
        standard=[product for product in products if not product.is_configurable],
        configurable=[product for product in products if product.is_configurable],
        now=clock.localtime(),
        window_days=window_days,
    )


def reserve_numbers(count: int) -> int:
    """Take ``count`` numbers from the order sequence at once; returns the first value.

    Same row and format as ``orders.services.number_next``, so orders entered later continue
    the series without a gap or a clash.
    """
    NumberSequence.objects.get_or_create(prefix=NUMBER_PREFIX)
    sequence = NumberSequence.objects.select_for_update().get(prefix=NUMBER_PREFIX)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return first


def write_orders(
    ctx: Context,
    targets: Sequence[str],
    *,
    seed: int,
    batch_size: int = 5000,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Generate one order per target status and bulk-insert them; returns row counts."""
    rng = random.Random(seed)
    plans = [plan_order(rng, target, ctx) for target in targets]
    # Each order draws its details from its own stream, so the same seed gives the same
    # orders whatever the clock: only the office-hours rounding of their times moves.
    detail_seeds = [rng.getrandbits(64) for _target in targets]
    # Numbers follow creation order, as they would have been handed out at order entry.
    by_creation = sorted(range(len(plans)), key=lambda index: (plans[index].times[0], index))
    next_number = reserve_numbers(len(plans))
    totals = {"orders": 0, "lines": 0, "events": 0}
    for start in range(0, len(by_creation), batch_size):
        built = []
        for offset, index in enumerate(by_creation[start : start + batch_size]):
            number = f"{NUMBER_PREFIX}-{next_number + start + offset:06d}"
            details = random.Random(detail_seeds[index])
            built.append(build_order(details, plans[index], targets[index], ctx, number))
            plans[index] = None  # free memory as we go
        SalesOrder.objects.bulk_create([order for order, _lines, _events in built])
        for order, lines, events in built:
            for row in (*lines, *events):
                row["order_id"] = order.pk
        lines = [line for _order, order_lines, _events in built for line in order_lines]
        events = [event for _order, _lines, order_events in built for event in order_events]
        insert_rows(SalesOrderLine, lines, batch_size=batch_size)
        insert_rows(OrderEvent, events, batch_size=batch_size)
        totals["orders"] += len(built)
        totals["lines"] += len(lines)
        totals["events"] += len(events)
        if on_batch:
            on_batch(totals["orders"])
    return totals


def seed_small_orders(ctx: Context, *, seed: int) -> dict[str, int] | None:
    """About 300 orders over the last ~120 days; None if orders exist already."""
    if SalesOrder.objects.exists():
        return None
    targets = [status for status, count in SMALL_MIX.items() for _n in range(count)]
    random.Random(seed).shuffle(targets)
    return write_orders(ctx, targets, seed=seed)
