"""Blanket agreements behind the demo's blanket releases."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from core import clock
from orders.models import BlanketAgreement, SalesOrder, SalesOrderLine
from orders.states import OrderType
from scheduling.numbering import number_next


@transaction.atomic
def seed_blankets(*, sales) -> int:
    """One agreement per customer and product released so far; the releases draw from it."""
    if BlanketAgreement.objects.exists():
        return 0
    today = clock.today()
    releases = (
        SalesOrderLine.objects.filter(order__order_type=OrderType.BLANKET_RELEASE, line_no=1)
        .select_related("order", "product")
        .order_by("order__created_at", "line_no")
    )
    agreements: dict[tuple[int, int], BlanketAgreement] = {}
    released: dict[int, Decimal] = {}
    for line in releases:
        key = (line.order.customer_id, line.product_id)
        agreement = agreements.get(key)
        if agreement is None:
            agreement = BlanketAgreement.objects.create(
                number=number_next(prefix="BA"),
                customer_id=line.order.customer_id,
                product=line.product,
                # Set below, once the releases are counted.
                total_quantity=line.quantity,
                unit_price=line.unit_price,
                valid_from=min(today - timedelta(days=150), line.order.created_at.date()),
                valid_to=today + timedelta(days=215),
                customer_reference=line.order.customer_po.split(" REL")[0],
                created_by=sales,
            )
            agreements[key] = agreement
        released[agreement.pk] = released.get(agreement.pk, Decimal(0)) + line.quantity
        SalesOrder.objects.filter(pk=line.order_id, blanket__isnull=True).update(blanket=agreement)
    for agreement in agreements.values():
        # The customer committed to about three times what it has released so far.
        total = (released[agreement.pk] * 3).quantize(Decimal("1"))
        BlanketAgreement.objects.filter(pk=agreement.pk).update(total_quantity=total)
    return len(agreements)
