"""Money coming back: payments received against invoices, credit notes given on them.

What is still owed on open invoices is part of the customer's credit exposure
(``orders.services.credit.credit_position``), so both change what the next order may do.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import clock
from orders.errors import OrderError
from orders.models import CreditNote, Invoice, InvoiceStatus, OrderEventKind, Payment
from orders.services.lifecycle import order_event_record
from scheduling.numbering import number_next


def _amount(value) -> Decimal:
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise OrderError("Enter the amount as a number, e.g. 1250.00.") from exc
    if amount <= 0:
        raise OrderError("The amount must be more than zero.")
    return amount


def _settle(invoice: Invoice) -> None:
    settled = invoice.paid_amount + invoice.credited_amount >= invoice.amount
    invoice.status = InvoiceStatus.PAID if settled else InvoiceStatus.OPEN


@transaction.atomic
def payment_record(
    *,
    invoice_id: int,
    actor: AbstractBaseUser,
    amount: Decimal,
    received_on: date | None = None,
    reference: str = "",
) -> Payment:
    """Record money received against an open invoice; a full payment marks it paid."""
    if not actor.has_perm("orders.add_payment"):
        raise PermissionDenied
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    amount = _amount(amount)
    if invoice.status != InvoiceStatus.OPEN:
        raise OrderError(f"{invoice.number} is {invoice.get_status_display().lower()}.")
    if amount > invoice.open_amount:
        raise OrderError(
            f"{amount:,.2f} is more than the {invoice.open_amount:,.2f} still open on "
            f"{invoice.number}."
        )
    received_on = received_on or clock.today()
    if received_on > clock.today():
        raise OrderError("A payment cannot be received in the future.")
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        received_on=received_on,
        reference=reference.strip()[:60],
        recorded_by=actor,
    )
    invoice.paid_amount += amount
    _settle(invoice)
    invoice.save(update_fields=["paid_amount", "status"])
    if invoice.order_id:
        order_event_record(
            order=invoice.order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note=f"Payment of {amount:,.2f} received on {invoice.number}"
            + (f" ({payment.reference})" if payment.reference else "")
            + (", now paid in full." if invoice.status == InvoiceStatus.PAID else "."),
            data={"invoice": invoice.pk, "payment": payment.pk},
        )
    return payment


@transaction.atomic
def credit_note_issue(
    *, invoice_id: int, actor: AbstractBaseUser, amount: Decimal, reason: str
) -> CreditNote:
    """Give money back on an invoice (damage, shortage); lowers what the customer owes."""
    if not actor.has_perm("orders.add_creditnote"):
        raise PermissionDenied
    invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
    amount = _amount(amount)
    reason = reason.strip()
    if not reason:
        raise OrderError("Say why the credit is given.")
    if invoice.status == InvoiceStatus.VOID:
        raise OrderError(f"{invoice.number} is void.")
    creditable = invoice.amount - invoice.credited_amount
    if amount > creditable:
        raise OrderError(
            f"{amount:,.2f} is more than the {creditable:,.2f} left to credit on {invoice.number}."
        )
    note = CreditNote.objects.create(
        number=number_next(prefix="CN"),
        invoice=invoice,
        amount=amount,
        reason=reason[:200],
        issued_by=actor,
    )
    invoice.credited_amount += amount
    _settle(invoice)
    invoice.save(update_fields=["credited_amount", "status"])
    if invoice.order_id:
        order_event_record(
            order=invoice.order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note=f"Credit note {note.number} of {amount:,.2f} on {invoice.number}: {note.reason}",
            data={"invoice": invoice.pk, "credit_note": note.pk},
        )
    return note
