"""Blanket agreements: create them, and check each release against what is left."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from orders.errors import OrderError
from orders.models import BlanketAgreement, Customer, Product, SalesOrder, SalesOrderLine
from orders.states import OrderStatus, OrderType
from scheduling.numbering import number_next

QTY = DecimalField(max_digits=14, decimal_places=3)
# Releases that draw the agreement down: everything handed in and not cancelled.
DRAWING = ~Q(order__status__in=[OrderStatus.DRAFT, OrderStatus.CANCELLED])
SHIPPED = Q(order__status__in=[OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CLOSED])


@dataclass(frozen=True)
class BlanketBalance:
    total: Decimal
    released: Decimal
    shipped: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.released


def blanket_balance(*, agreement: BlanketAgreement, excluding_order_id: int | None = None):
    """Released, shipped and remaining quantity, in one aggregate query."""
    lines = SalesOrderLine.objects.filter(
        order__blanket=agreement, product_id=agreement.product_id
    ).exclude(order_id=excluding_order_id)
    totals = lines.aggregate(
        released=Coalesce(Sum("quantity", filter=DRAWING), Value(Decimal(0)), output_field=QTY),
        shipped=Coalesce(Sum("quantity", filter=SHIPPED), Value(Decimal(0)), output_field=QTY),
    )
    return BlanketBalance(
        total=agreement.total_quantity, released=totals["released"], shipped=totals["shipped"]
    )


@transaction.atomic
def blanket_create(
    *,
    actor: AbstractBaseUser,
    customer: Customer,
    product: Product,
    total_quantity: Decimal,
    unit_price: Decimal,
    valid_from: date,
    valid_to: date,
    customer_reference: str = "",
) -> BlanketAgreement:
    if not actor.has_perm("orders.add_blanketagreement"):
        raise PermissionDenied
    if valid_to < valid_from:
        raise OrderError("The agreement must end on or after the day it starts.")
    if total_quantity <= 0:
        raise OrderError("The total quantity must be positive.")
    return BlanketAgreement.objects.create(
        number=number_next(prefix="BA"),
        customer=customer,
        product=product,
        total_quantity=total_quantity,
        unit_price=unit_price,
        valid_from=valid_from,
        valid_to=valid_to,
        customer_reference=customer_reference,
        created_by=actor,
    )


def blanket_release_errors(*, order: SalesOrder) -> list[str]:
    """Why this order cannot be handed in as a release of its agreement (locks the agreement)."""
    if order.order_type != OrderType.BLANKET_RELEASE:
        return []
    if order.blanket_id is None:
        return ["Choose the blanket agreement this release draws from."]
    agreement = BlanketAgreement.objects.select_for_update().get(pk=order.blanket_id)
    problems = []
    if agreement.customer_id != order.customer_id:
        problems.append(f"{agreement.number} belongs to another customer.")
    day = order.requested_date
    if day is not None and not agreement.is_valid_on(day):
        problems.append(
            f"{agreement.number} is valid from {agreement.valid_from:%a %-d %b %Y} to "
            f"{agreement.valid_to:%a %-d %b %Y}; the requested date {day:%a %-d %b %Y} is outside."
        )
    lines = list(order.lines.all())
    if any(line.product_id != agreement.product_id for line in lines):
        problems.append(f"{agreement.number} covers {agreement.product.sku} only.")
    wanted = sum((line.quantity for line in lines if line.product_id == agreement.product_id), 0)
    balance = blanket_balance(agreement=agreement, excluding_order_id=order.pk)
    if wanted > balance.remaining:
        problems.append(
            f"{agreement.number} has {balance.remaining.normalize():f} {agreement.product.unit} "
            f"left; this release asks for {Decimal(wanted).normalize():f}."
        )
    return problems
