"""The order entry screen: enter or edit an order, its htmx pieces, quotes and the promise.

Thin: parse the forms, call one service, turn a refusal into an error beside its field.
"""

import re
import uuid
from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from orders import services
from orders.entry_forms import (
    DRAFT,
    QUOTE,
    SUBMIT,
    EntryLineForm,
    OrderEntryForm,
    PromiseForm,
    line_formset,
    order_entry,
)
from orders.errors import OrderError
from orders.models import Customer, SalesOrder, TransitLane
from orders.services.entry import EDITABLE, EntryError, customer_search
from orders.services.promising import QuoteLine, order_quote, order_quote_for
from orders.states import OrderStatus, OrderType, Priority
from orders.views import OrderDetailView

FORM_TEMPLATE = "orders/entry/order_form.html"
LINE_PREFIX = re.compile(r"^lines-\d{1,4}$")
ENTRY_PERMISSIONS = ("orders.add_salesorder", "orders.change_salesorder")


def entry_permission_required(view):
    """Sales' entry pieces: for whoever may create or change orders."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not any(request.user.has_perm(perm) for perm in ENTRY_PERMISSIONS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _plain(number: Decimal | None) -> str:
    return "" if number is None else format(number.normalize(), "f")


def _context(request, form, formset, order=None) -> dict:
    return {
        "form": form,
        "formset": formset,
        "order": order,
        "can_change_terms": request.user.has_perm("orders.change_payment_terms"),
        "regions": TransitLane.objects.values_list("region", flat=True),
    }


def _place_error(form, formset, error: EntryError) -> None:
    """Put a service's refusal beside the field it is about."""
    if error.line is not None:
        live = formset.live_forms()
        if error.line < len(live):
            line_form = live[error.line]
            line_form.add_error(error.field if error.field in line_form.fields else None, error)
            return
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _after_save(request, order: SalesOrder, action: str):
    if action != SUBMIT or order.status != OrderStatus.DRAFT:
        messages.success(request, f"{order.number} is saved.")
        return redirect("orders:detail", pk=order.pk)
    try:
        services.order_transition(
            order_id=order.pk,
            transition="submit",
            actor=request.user,
            expected_status=OrderStatus.DRAFT,
        )
    except OrderError as error:
        messages.error(
            request, f"{order.number} is saved as a draft but not submitted: {error.message}"
        )
        return redirect("orders:edit", pk=order.pk)
    messages.success(request, f"{order.number}: submitted — now entered.")
    return redirect("orders:detail", pk=order.pk)


def _entry_post(request, order: SalesOrder | None):
    action = SUBMIT if request.POST.get("action") == SUBMIT else DRAFT
    form = OrderEntryForm(request.POST, mode=action)
    include = order.lines.values_list("product_id", flat=True) if order else ()
    formset = line_formset(request.POST, mode=action, include_product_ids=include)
    form_ok, lines_ok = form.is_valid(), formset.is_valid()
    if form_ok and lines_ok:
        entry = order_entry(form, formset)
        try:
            if order is None:
                saved, created = services.order_entry_create(
                    actor=request.user, entry=entry, entry_token=form.cleaned_data["entry_token"]
                )
                if not created:
                    messages.info(request, f"{saved.number} was already saved from this form.")
                    return redirect("orders:detail", pk=saved.pk)
            else:
                saved = services.order_entry_update(
                    order_id=order.pk,
                    actor=request.user,
                    entry=entry,
                    loaded_at=form.cleaned_data["loaded_at"],
                )
        except EntryError as error:
            _place_error(form, formset, error)
        except OrderError as error:
            form.add_error(None, error.message)
        else:
            return _after_save(request, saved, action)
    return render(request, FORM_TEMPLATE, _context(request, form, formset, order))


@login_required
@permission_required("orders.add_salesorder", raise_exception=True)
def order_new_view(request):
    if request.method == "POST":
        token = request.POST.get("entry_token", "")
        try:
            existing = SalesOrder.objects.filter(entry_token=uuid.UUID(token)).first()
        except ValueError:
            existing = None
        if existing is not None:
            messages.info(request, f"{existing.number} was already saved from this form.")
            return redirect("orders:detail", pk=existing.pk)
        return _entry_post(request, None)
    form = OrderEntryForm(initial={"entry_token": uuid.uuid4(), "order_type": OrderType.STANDARD})
    formset = line_formset(extra=1)
    return render(request, FORM_TEMPLATE, _context(request, form, formset))


@login_required
@permission_required("orders.change_salesorder", raise_exception=True)
def order_edit_view(request, pk: int):
    order = get_object_or_404(SalesOrder.objects.select_related("customer", "ship_to"), pk=pk)
    if order.status not in EDITABLE:
        messages.error(
            request,
            f"{order.number} is {order.get_status_display().lower()}; it can no longer be "
            "changed on the entry screen.",
        )
        return redirect("orders:detail", pk=pk)
    if request.method == "POST":
        return _entry_post(request, order)
    lines = list(order.lines.all())
    form = OrderEntryForm(
        initial={
            "customer": order.customer,
            "customer_query": str(order.customer),
            "ship_to": str(order.ship_to_id or ""),
            "customer_po": order.customer_po,
            "order_type": order.order_type,
            "requested_date": order.requested_date,
            "payment_terms": order.payment_terms,
            "loaded_at": order.updated_at.isoformat(),
        }
    )
    formset = line_formset(
        initial=[
            {
                "id": line.pk,
                "product": line.product_id,
                "quantity": _plain(line.entered_quantity or line.quantity),
                "unit": line.entered_unit or line.unit,
                "unit_price": line.unit_price,
                "specs": line.specs,
            }
            for line in lines
        ],
        include_product_ids=[line.product_id for line in lines],
    )
    return render(request, FORM_TEMPLATE, _context(request, form, formset, order))


@entry_permission_required
@require_GET
def customer_search_view(request):
    query = request.GET.get("customer_query") or request.GET.get("q") or ""
    return render(
        request,
        "orders/partials/entry_customer_results.html",
        {"customers": customer_search(query=query), "query": query.strip()},
    )


@entry_permission_required
@require_GET
def customer_block_view(request):
    """The customer part of the form for a newly chosen customer: ship-tos, terms."""
    try:
        customer = Customer.objects.get(pk=int(request.GET.get("customer", "")))
    except (ValueError, Customer.DoesNotExist):
        customer = None
    initial = {"order_type": OrderType.STANDARD}
    if customer is not None:
        initial |= {
            "customer": customer,
            "customer_query": str(customer),
            "payment_terms": customer.payment_terms,
        }
    form = OrderEntryForm(initial=initial)
    return render(
        request,
        "orders/partials/entry_customer.html",
        {**_context(request, form, None), "focus_ship_to": customer is not None},
    )


@entry_permission_required
@require_GET
def line_add_view(request):
    """One more, empty line; the formset's form count goes up out of band."""
    try:
        index = max(0, min(int(request.GET.get("lines-TOTAL_FORMS", "0")), 999))
    except ValueError:
        index = 0
    formset = line_formset()
    form = EntryLineForm(prefix=formset.add_prefix(index), **formset.get_form_kwargs(index))
    formset.add_fields(form, index)
    return render(
        request,
        "orders/partials/entry_line.html",
        {"line": form, "number": index + 1, "total_forms": index + 1, "oob": True},
    )


@entry_permission_required
@require_GET
def line_product_view(request):
    """A line's unit, price and spec fields for the product just chosen."""
    prefix = request.GET.get("prefix", "")
    if not LINE_PREFIX.match(prefix):
        return HttpResponseBadRequest("Which line is this for?")
    formset = line_formset()
    product_id = request.GET.get(f"{prefix}-product", "")
    product = formset.product_map.get(int(product_id)) if product_id.isdigit() else None
    initial = {}
    if product is not None:
        initial = {"product": product.pk, "unit": product.unit, "unit_price": product.price}
    form = EntryLineForm(prefix=prefix, initial=initial, **formset.get_form_kwargs(0))
    return render(request, "orders/partials/entry_line_product.html", {"line": form})


@entry_permission_required
@require_POST
def entry_quote_view(request):
    """Quote the form as it stands, without saving: every line that is filled in well."""
    form = OrderEntryForm(request.POST, mode=QUOTE)
    formset = line_formset(request.POST, mode=QUOTE)
    form.is_valid()
    formset.is_valid()
    lines, skipped = [], []
    for number, line in enumerate(formset.live_forms(), start=1):
        data = getattr(line, "cleaned_data", {})
        if line.errors or not data.get("product") or not data.get("quantity"):
            skipped.append(number)
            continue
        product = data["product"]
        quantity = product.to_base_quantity(data["quantity"], data["unit"])
        lines.append(QuoteLine(number, product, quantity))
    header = getattr(form, "cleaned_data", {})
    order_type = header.get("order_type")
    quote = order_quote(
        lines=lines,
        ship_to=form.quote_address(),
        requested_date=header.get("requested_date"),
        priority=Priority.RUSH if order_type == OrderType.RUSH else Priority.NORMAL,
    )
    return render(request, "orders/partials/entry_quote.html", {"quote": quote, "skipped": skipped})


@login_required
@permission_required("orders.acknowledge_salesorder", raise_exception=True)
@require_POST
def order_quote_view(request, pk: int):
    """The order page's quote and promise block, with the promised date pre-filled."""
    order = get_object_or_404(SalesOrder.objects.select_related("ship_to"), pk=pk)
    return render(
        request,
        "orders/partials/entry_promise.html",
        {"order": order, "quote": order_quote_for(order=order)},
    )


class OrderPromiseView(OrderDetailView):
    """POST only: acknowledge with a promise checked against a fresh quote of the order."""

    permission_required = "orders.acknowledge_salesorder"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        order = get_object_or_404(SalesOrder.objects.select_related("ship_to"), pk=pk)
        quote = order_quote_for(order=order)
        form = PromiseForm(request.POST)
        try:
            if not form.is_valid():
                raise OrderError(" ".join(e for errors in form.errors.values() for e in errors))
            data = form.cleaned_data
            order = services.order_acknowledge(
                order_id=pk,
                actor=request.user,
                promised_date=data["promised_date"],
                expected_status=data["expected_status"] or None,
                note=data["note"],
                quoted_date=quote.earliest_delivery,
                override_reason=data["override_reason"],
            )
        except OrderError as error:
            self.object = self.get_object()
            failed = {
                "transition": "acknowledge",
                "promised_date": request.POST.get("promised_date", ""),
                "override_reason": request.POST.get("override_reason", ""),
                "error": error.message,
            }
            context = self.get_context_data(failed=failed, quote=quote)
            return self.render_to_response(context, status=409)
        messages.success(
            request,
            f"{order.number}: acknowledged — delivery promised for "
            f"{order.promised_date:%a} {order.promised_date.day} {order.promised_date:%b %Y}.",
        )
        return redirect("orders:detail", pk=pk)
