"""Credit: exposure against the limit at validation, credit holds and deposits."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce

from orders.errors import OrderError
from orders.models import (
    Customer,
    Deposit,
    InvoiceStatus,
    OrderEventKind,
    OrderPolicy,
    SalesOrder,
    SalesOrderLine,
)
from orders.models.orders import HoldKind
from orders.states import FINISHED, OrderStatus, OrderType

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
# Orders credit has accepted and not yet invoiced (invoices are raised when goods ship).
NOT_COMMITTED = (
    *FINISHED,
    OrderStatus.DRAFT,
    OrderStatus.ENTERED,
    OrderStatus.ON_HOLD,
    OrderStatus.SHIPPED,
)
COMMITTED = [s for s in OrderStatus if s not in NOT_COMMITTED]


@dataclass(frozen=True)
class CreditPosition:
    limit: Decimal
    unpaid_invoices: Decimal
    open_orders: Decimal

    @property
    def exposure(self) -> Decimal:
        return self.unpaid_invoices + self.open_orders

    @property
    def available(self) -> Decimal:
        return self.limit - self.exposure


def credit_position(*, customer: Customer) -> CreditPosition:
    """Unpaid invoices + value of open orders: two aggregate queries, whatever the history."""
    unpaid = customer.invoices.filter(status=InvoiceStatus.OPEN).aggregate(
        total=Coalesce(
            Sum(F("amount") - F("paid_amount") - F("credited_amount"), output_field=MONEY), ZERO
        )
    )["total"]
    open_orders = SalesOrderLine.objects.filter(
        order__customer=customer, order__status__in=COMMITTED
    ).aggregate(
        total=Coalesce(
            Sum(ExpressionWrapper(F("quantity") * F("unit_price"), output_field=MONEY)), ZERO
        )
    )["total"]
    return CreditPosition(
        limit=customer.credit_limit, unpaid_invoices=unpaid, open_orders=open_orders
    )


def order_value(order: SalesOrder) -> Decimal:
    return sum((line.amount for line in order.lines.all()), Decimal("0"))


def deposit_required(*, order: SalesOrder) -> Decimal:
    """What the deposit rule asks of this order (0 when none is needed)."""
    policy = OrderPolicy.current()
    value = order_value(order)
    percent = policy.deposit_percent / Decimal(100)
    earlier = (
        SalesOrder.objects.filter(customer_id=order.customer_id, delivered_at__isnull=False)
        .exclude(pk=order.pk)
        .count()
    )
    new_customer = policy.deposit_for_new_customers and earlier <= policy.new_customer_max_orders
    big_custom = (
        order.order_type == OrderType.CUSTOM
        and policy.deposit_custom_orders_over > 0
        and value > policy.deposit_custom_orders_over
    )
    if not (new_customer or big_custom):
        return Decimal("0")
    return (value * percent).quantize(Decimal("0.01"))


def deposit_received(*, order: SalesOrder) -> Decimal:
    return order.deposits.aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]


def deposit_missing(*, order: SalesOrder) -> Decimal:
    return max(deposit_required(order=order) - deposit_received(order=order), Decimal("0"))


@transaction.atomic
def order_validate(
    *,
    order_id: int,
    actor: AbstractBaseUser,
    expected_status: str | None = None,
    note: str = "",
) -> SalesOrder:
    """Validate an entered order, or put it on credit hold if it does not fit the limit.

    The customer row is locked first, so two orders entered at the same moment that each fit
    but together exceed the limit cannot both pass.
    """
    from orders.services.lifecycle import order_transition

    order = SalesOrder.objects.select_related("customer").get(pk=order_id)
    customer = Customer.objects.select_for_update().get(pk=order.customer_id)
    position = credit_position(customer=customer)
    exposure = position.exposure + order_value(order)
    if customer.credit_hold:
        reason = f"Credit: {customer.name} is on credit hold."
    elif exposure > position.limit:
        reason = f"Credit: exposure {exposure:,.2f} would exceed the limit {position.limit:,.2f}."
    else:
        return order_transition(
            order_id=order_id,
            transition="validate",
            actor=actor,
            expected_status=expected_status,
            note=note,
        )
    return order_transition(
        order_id=order_id,
        transition="hold",
        actor=actor,
        expected_status=expected_status,
        note=reason,
        kind=HoldKind.CREDIT,
        check_permission=False,
    )


@transaction.atomic
def order_credit_release(*, order_id: int, actor: AbstractBaseUser, note: str) -> SalesOrder:
    """The credit role approves a held order: it resumes and is validated, with the note."""
    from orders.services.lifecycle import order_transition

    if not actor.has_perm("orders.release_credit_hold"):
        raise PermissionDenied
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if order.status != OrderStatus.ON_HOLD or order.hold_kind != HoldKind.CREDIT:
        raise OrderError(f"{order.number} is not on credit hold.")
    if not note.strip():
        raise OrderError("Say why credit is released, in the note.")
    # The credit role's approval is what lifts the guard on resuming a credit hold.
    SalesOrder.objects.filter(pk=order.pk).update(hold_kind="")
    order = order_transition(
        order_id=order_id, transition="resume", actor=actor, note=note, check_permission=False
    )
    if order.status == OrderStatus.ENTERED:
        order = order_transition(
            order_id=order_id,
            transition="validate",
            actor=actor,
            note="Credit approved.",
            check_permission=False,
        )
    return order


@transaction.atomic
def deposit_record(
    *, order_id: int, actor: AbstractBaseUser, amount: Decimal, reference: str = ""
) -> Deposit:
    from orders.services.lifecycle import order_event_record

    if not actor.has_perm("orders.record_deposit"):
        raise PermissionDenied
    if amount <= 0:
        raise OrderError("A deposit must be a positive amount.")
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    deposit = Deposit.objects.create(
        order=order, amount=amount, reference=reference, recorded_by=actor
    )
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Deposit of {amount:,.2f} received{f' ({reference})' if reference else ''}.",
        data={"deposit_id": deposit.pk, "amount": str(amount)},
    )
    return deposit
