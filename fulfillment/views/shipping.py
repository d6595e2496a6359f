"""The ship page: required documents, carrier, tracking number. Thin: parse, call, render."""

import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import clock
from fulfillment.models import Shipment
from fulfillment.services import documents as shipping_documents
from fulfillment.services import shipping
from orders.errors import OrderError
from orders.models import DocumentKind, SalesOrder

# How long the page keeps asking for documents after "Prepare documents" (seconds).
PREPARE_PATIENCE = 120


class ShipForm(forms.Form):
    tracking_number = forms.CharField(
        label="Tracking number",
        max_length=60,
        required=False,  # an empty one is refused by the service, with its message
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    shipped_on = forms.DateField(
        label="Shipped on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, e.g. 2026-12-15."},
        help_text="Leave empty for today.",
    )


def _shipment(pk: int) -> Shipment:
    return get_object_or_404(
        Shipment.objects.select_related(
            "order__customer", "order__ship_to", "carrier", "service", "invoice", "shipped_by"
        ),
        pk=pk,
    )


def _documents_context(shipment: Shipment, *, preparing_since: int | None = None) -> dict:
    required = shipping_documents.shipment_documents_required(shipment=shipment)
    present = shipping_documents.shipment_documents(shipment=shipment)
    rows = [
        {"kind": kind, "label": DocumentKind(kind).label, "document": present.get(kind)}
        for kind in required
    ]
    # Documents made for the shipment beyond the required ones (the invoice after shipping).
    rows += [
        {"kind": kind, "label": DocumentKind(kind).label, "document": document, "extra": True}
        for kind, document in present.items()
        if kind not in required
    ]
    missing = [row["kind"] for row in rows if row["document"] is None]
    waiting = bool(
        missing
        and preparing_since is not None
        and 0 <= time.time() - preparing_since < PREPARE_PATIENCE
    )
    return {
        "shipment": shipment,
        "document_rows": rows,
        "documents_missing": missing,
        "preparing": waiting,
        "preparing_since": preparing_since,
        "gave_up": bool(missing and preparing_since is not None and not waiting),
        "requirements": [
            DocumentKind(kind).label
            for kind in shipment.order.customer.document_requirements.values_list("kind", flat=True)
        ],
        "is_export": shipping_documents.shipment_is_export(shipment=shipment),
        "plant_country": shipping_documents.plant_country(),
    }


def _since(request) -> int | None:
    try:
        return int(request.GET.get("preparing", ""))
    except ValueError:
        return None


def _ship_page(
    request,
    shipment: Shipment,
    *,
    form: ShipForm | None = None,
    error: str = "",
    status: int = 200,
):
    context = {
        **_documents_context(shipment, preparing_since=_since(request)),
        "order": shipment.order,
        "form": form or ShipForm(),
        "error": error,
        "packages": list(shipment.packages.prefetch_related("contents__line").order_by("number")),
        "problems": shipping.shipment_ship_problems(shipment=shipment)
        if shipment.status == "packed"
        else [],
        "today": clock.today(),
    }
    return render(request, "fulfillment/ship.html", context, status=status)


@login_required
@permission_required("fulfillment.change_shipment", raise_exception=True)
def ship_view(request, pk: int):
    """The ship page of a shipment; a POST ships it with the tracking number."""
    shipment = _shipment(pk)
    if request.method != "POST":
        return _ship_page(request, shipment)
    if not request.user.has_perm("orders.ship_salesorder"):
        raise PermissionDenied
    form = ShipForm(request.POST)
    if not form.is_valid():
        return _ship_page(
            request, shipment, form=form, error="Check the highlighted fields.", status=400
        )
    try:
        shipment = shipping.shipment_ship(
            shipment_id=shipment.pk,
            actor=request.user,
            tracking_number=form.cleaned_data["tracking_number"],
            shipped_on=form.cleaned_data["shipped_on"],
        )
    except shipping.ShipmentError as error:
        if error.field:
            form.add_error(error.field, error.message)
            return _ship_page(request, _shipment(pk), form=form, status=400)
        return _ship_page(request, _shipment(pk), form=form, error=error.message, status=400)
    except OrderError as error:
        return _ship_page(request, _shipment(pk), form=form, error=error.message, status=400)
    messages.success(
        request,
        f"{shipment.number} shipped with tracking number {shipment.tracking_number}; "
        "the customer is told.",
    )
    return redirect("orders:detail", pk=shipment.order_id)


@require_POST
@login_required
@permission_required("fulfillment.change_shipment", raise_exception=True)
def documents_prepare_view(request, pk: int):
    shipment = _shipment(pk)
    try:
        queued = shipping_documents.shipment_documents_prepare(
            shipment_id=shipment.pk, actor=request.user
        )
    except OrderError as error:
        return _ship_page(request, shipment, error=error.message, status=400)
    if not queued:
        messages.info(request, "Every required document is there already.")
        return redirect("fulfillment:ship", pk=shipment.pk)
    messages.info(request, f"Preparing {shipping_documents.document_labels(queued)}.")
    page = reverse("fulfillment:ship", kwargs={"pk": shipment.pk})
    return redirect(f"{page}?preparing={int(time.time())}")


@login_required
@permission_required("fulfillment.change_shipment", raise_exception=True)
def documents_status_view(request, pk: int):
    """The documents card alone, which the ship page polls while documents are prepared."""
    shipment = _shipment(pk)
    return render(
        request,
        "fulfillment/ship_documents.html",
        _documents_context(shipment, preparing_since=_since(request)),
    )


@login_required
@permission_required("fulfillment.view_shipment", raise_exception=True)
def order_shipments_view(request, pk: int):
    """The order page's Shipments card: each shipment with carrier, tracking and ship date."""
    order = get_object_or_404(SalesOrder, pk=pk)
    shipments = list(
        Shipment.objects.filter(order=order)
        .select_related("carrier", "service", "invoice")
        .order_by("sequence")
    )
    return render(
        request, "fulfillment/ship_order_shipments.html", {"order": order, "shipments": shipments}
    )
