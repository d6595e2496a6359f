"""Money owed for an order: invoices (issued when goods ship)."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from orders.errors import OrderError
from orders.models import Invoice, OrderEventKind, SalesOrder
from orders.services.lifecycle import order_event_record
from orders.states import PaymentTerms
from scheduling.numbering import number_next

CENT = Decimal("0.01")


def invoice_due_on(*, order: SalesOrder, issued_on: date) -> date:
    """When an invoice issued on ``issued_on`` falls due under the order's payment terms."""
    return issued_on + timedelta(days=PaymentTerms.days(order.payment_terms))


@transaction.atomic
def invoice_create(
    *,
    order: SalesOrder,
    amount: Decimal,
    issued_on: date,
    due_on: date | None = None,
    actor: AbstractBaseUser | None = None,
    note: str = "",
) -> Invoice:
    """Issue an open invoice (``INV-000123``) to the order's customer.

    ``due_on`` defaults to the order's payment terms counted from ``issued_on``.
    """
    amount = Decimal(amount).quantize(CENT)
    if amount < 0:
        raise OrderError("An invoice cannot be for a negative amount.")
    if due_on is None:
        due_on = invoice_due_on(order=order, issued_on=issued_on)
    if due_on < issued_on:
        raise OrderError("An invoice cannot fall due before it is issued.")
    invoice = Invoice.objects.create(
        number=number_next(prefix="INV"),
        order=order,
        customer_id=order.customer_id,
        amount=amount,
        issued_on=issued_on,
        due_on=due_on,
    )
    about = f" {note}" if note else ""
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=(
            f"Invoice {invoice.number} issued for {amount:,.2f}, "
            f"due {due_on:%a} {due_on.day} {due_on:%b %Y}.{about}"
        ),
        data={"invoice": invoice.pk, "amount": str(amount), "due_on": due_on.isoformat()},
    )
    return invoice
