"""Invoices: the list (open, overdue, paid), one invoice with its payments and credit notes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.paging import paged
from core import clock
from orders.errors import OrderError
from orders.models import Invoice, InvoiceStatus
from orders.selectors import order_search_q
from orders.services.payments import payment_record

FILTERS = {
    "open": ("Open", Q(status=InvoiceStatus.OPEN)),
    "overdue": ("Overdue", Q(status=InvoiceStatus.OPEN)),  # due date checked in the view
    "paid": ("Paid", Q(status=InvoiceStatus.PAID)),
    "all": ("All", Q()),
}


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        min_value=0.01,
        decimal_places=2,
        max_digits=14,
        error_messages={"required": "Enter the amount received."},
    )
    received_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the day the money arrived."},
    )
    reference = forms.CharField(
        max_length=60, required=False, help_text="Bank reference or cheque number."
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > clock.today():
            raise forms.ValidationError("A payment cannot be received in the future.")
        return received_on


@login_required
@permission_required("orders.view_invoice", raise_exception=True)
def invoice_list_view(request):
    show = request.GET.get("show", "open")
    if show not in FILTERS:
        show = "open"
    query = request.GET.get("q", "").strip()
    invoices = Invoice.objects.select_related("customer", "order").filter(FILTERS[show][1])
    if show == "overdue":
        invoices = invoices.filter(due_on__lt=clock.today())
    if query:
        invoices = invoices.filter(
            Q(number__icontains=query)
            | order_search_q(query, prefix="order__")
            | Q(customer__name__icontains=query)
        )
    page = paged(request, invoices.order_by("due_on", "pk"))
    return render(
        request,
        "orders/billing/invoice_list.html",
        {"page": page, "show": show, "q": query, "filters": FILTERS, "today": clock.today()},
    )


def _invoice_page(request, invoice: Invoice, *, form: PaymentForm | None = None, status=200):
    invoice = get_object_or_404(
        Invoice.objects.select_related("customer", "order").prefetch_related(
            "payments__recorded_by", "credit_notes__issued_by"
        ),
        pk=invoice.pk,
    )
    form = form or PaymentForm(
        initial={"amount": invoice.open_amount, "received_on": clock.today()}
    )
    return render(
        request,
        "orders/billing/invoice_detail.html",
        {"invoice": invoice, "form": form, "today": clock.today()},
        status=status,
    )


@login_required
@permission_required("orders.view_invoice", raise_exception=True)
def invoice_detail_view(request, pk: int):
    return _invoice_page(request, get_object_or_404(Invoice, pk=pk))


@require_POST
@login_required
@permission_required("orders.add_payment", raise_exception=True)
def payment_record_view(request, pk: int):
    invoice = get_object_or_404(Invoice, pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = payment_record(
                invoice_id=invoice.pk,
                actor=request.user,
                amount=data["amount"],
                received_on=data["received_on"],
                reference=data["reference"],
            )
        except OrderError as error:
            form.add_error("amount", error.message)
        else:
            messages.success(
                request, f"Payment of {payment.amount:,.2f} recorded on {invoice.number}."
            )
            return redirect("orders:invoice_detail", pk=invoice.pk)
    return _invoice_page(request, invoice, form=form, status=400)
