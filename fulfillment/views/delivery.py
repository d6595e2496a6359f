"""Delivery page (tracking, proof of delivery, reports, closing) and the carrier webhook."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.paging import paged
from core import clock
from fulfillment.forms.delivery import (
    CloseForm,
    DeliveryForm,
    ReportForm,
    ResolveForm,
    TrackingEventForm,
)
from fulfillment.models import DeliveryReport, ReportStatus, Shipment
from fulfillment.selectors import delivery as selectors
from fulfillment.services import delivery as services
from orders.errors import OrderError
from orders.models import SalesOrder, SalesOrderLine
from orders.states import OrderStatus

VIEW = "fulfillment.view_shipment"


def _order(pk: int) -> SalesOrder:
    return get_object_or_404(SalesOrder.objects.select_related("customer", "ship_to"), pk=pk)


def _page(request, order: SalesOrder, *, status: int = 200, error: str = "", **bound):
    """The delivery page; ``bound`` holds the form that failed, keyed by its name (and id)."""
    order = _order(order.pk)
    shipments = selectors.delivery_shipments(order=order)
    reports = selectors.delivery_reports_for(order=order)
    lines = list(SalesOrderLine.objects.filter(order=order).select_related("product"))
    for shipment in shipments:
        shipment.event_form = bound.get(f"event_{shipment.pk}") or TrackingEventForm(
            prefix=f"event-{shipment.pk}",
            initial={"occurred_at": clock.localtime().replace(second=0, microsecond=0)},
        )
        shipment.delivery_form = bound.get(f"deliver_{shipment.pk}") or DeliveryForm(
            prefix=f"deliver-{shipment.pk}"
        )
    for report in reports:
        report.resolve_form = bound.get(f"resolve_{report.pk}") or ResolveForm(
            prefix=f"resolve-{report.pk}",
            initial={"replacement_quantity": report.quantity},
            can_credit=request.user.has_perm("orders.add_creditnote"),
        )
    context = {
        "order": order,
        "shipments": shipments,
        "reports": reports,
        "backorders": selectors.open_backorders_for(order=order),
        "complaints": selectors.complaints_to_record(order=order),
        "acceptance": selectors.acceptance_for(order=order),
        "blockers": services.order_close_blockers(order=order),
        "report_form": bound.get("report")
        or ReportForm(shipments=shipments, lines=lines, prefix="report"),
        "close_form": bound.get("close") or CloseForm(prefix="close"),
        "error": error,
        "can_report": order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED),
    }
    return render(request, "fulfillment/delivery.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def delivery_view(request, pk: int):
    return _page(request, _order(pk))


def _shipment(pk: int) -> Shipment:
    return get_object_or_404(Shipment.objects.select_related("order"), pk=pk)


@require_POST
@login_required
@permission_required("fulfillment.add_trackingevent", raise_exception=True)
def tracking_event_add_view(request, pk: int):
    shipment = _shipment(pk)
    form = TrackingEventForm(request.POST, prefix=f"event-{shipment.pk}")
    if form.is_valid():
        data = form.cleaned_data
        event = services.TrackingInput(
            external_id=f"manual-{clock.now():%Y%m%d%H%M%S%f}-{request.user.pk}",
            code=data["code"],
            occurred_at=data["occurred_at"],
            location=data["location"],
            description=data["description"],
            signed_by=data["signed_by"],
        )
        try:
            services.tracking_event_record(shipment_id=shipment.pk, event=event, actor=request.user)
        except OrderError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Tracking event added to {shipment.number}.")
            return redirect("fulfillment:delivery", pk=shipment.order_id)
    return _page(request, shipment.order, status=400, **{f"event_{shipment.pk}": form})


@require_POST
@login_required
@permission_required("orders.deliver_salesorder", raise_exception=True)
def shipment_deliver_view(request, pk: int):
    shipment = _shipment(pk)
    form = DeliveryForm(request.POST, request.FILES, prefix=f"deliver-{shipment.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.shipment_deliver(
                shipment_id=shipment.pk,
                actor=request.user,
                received_by=data["received_by"],
                delivered_at=data["delivered_at"],
                note=data["note"],
                pod_file=data["pod_file"],
            )
        except OrderError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{shipment.number} is delivered; the customer is told.")
            return redirect("fulfillment:delivery", pk=shipment.order_id)
    return _page(request, shipment.order, status=400, **{f"deliver_{shipment.pk}": form})


@require_POST
@login_required
@permission_required("fulfillment.add_deliveryreport", raise_exception=True)
def report_create_view(request, pk: int):
    order = _order(pk)
    form = ReportForm(
        request.POST,
        shipments=list(order.shipments.all()),
        lines=list(order.lines.select_related("product")),
        prefix="report",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.delivery_report_create(
                order_id=order.pk,
                actor=request.user,
                kind=data["kind"],
                description=data["description"],
                shipment_id=data["shipment"],
                line_id=data["line"],
                quantity=data["quantity"],
                complaint_id=data["complaint"],
            )
        except OrderError as error:
            form.add_error(None, error.message)
        else:
            messages.warning(request, f"{report.number} recorded; it keeps the order open.")
            return redirect("fulfillment:delivery", pk=order.pk)
    return _page(request, order, status=400, report=form)


@require_POST
@login_required
@permission_required("fulfillment.change_deliveryreport", raise_exception=True)
def report_resolve_view(request, pk: int):
    report = get_object_or_404(DeliveryReport.objects.select_related("order"), pk=pk)
    form = ResolveForm(request.POST, prefix=f"resolve-{report.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.delivery_report_resolve(
                report_id=report.pk,
                actor=request.user,
                resolution=data["resolution"],
                note=data["note"],
                replacement_quantity=data["replacement_quantity"],
                credit_amount=data["credit_amount"],
            )
        except PermissionDenied:
            form.add_error(None, "Only the credit department issues credit notes.")
        except OrderError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{report.number} resolved; the customer is told.")
            return redirect("fulfillment:delivery", pk=report.order_id)
    return _page(request, report.order, status=400, **{f"resolve_{report.pk}": form})


@require_POST
@login_required
@permission_required("orders.close_salesorder", raise_exception=True)
def order_close_view(request, pk: int):
    order = _order(pk)
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.order_close(
                order_id=order.pk, actor=request.user, note=form.cleaned_data["note"]
            )
        except OrderError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{order.number} is closed.")
            return redirect("orders:detail", pk=order.pk)
    return _page(request, order, status=400, close=form)


@login_required
@permission_required("fulfillment.view_deliveryreport", raise_exception=True)
def report_list_view(request):
    status = request.GET.get("status", ReportStatus.OPEN)
    search = request.GET.get("q", "")
    page = paged(request, selectors.delivery_report_list(search=search, status=status))
    return render(
        request,
        "fulfillment/report_list.html",
        {"page": page, "status": status, "q": search, "statuses": ReportStatus.choices},
    )


@csrf_exempt  # Signed with the carrier's HMAC secret instead; no browser session is involved.
@require_POST
def carrier_webhook_view(request, carrier_code: str):
    status, answer = services.carrier_webhook_receive(
        carrier_code=carrier_code,
        body=request.body,
        timestamp=request.headers.get(services.TIMESTAMP_HEADER, ""),
        signature=request.headers.get(services.SIGNATURE_HEADER, ""),
        remote_addr=request.META.get("REMOTE_ADDR"),
    )
    key = "status" if status == 200 else "error"
    return JsonResponse({key: answer}, status=status)
