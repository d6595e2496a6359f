"""Shipping queue, packing, carrier choice and backorders. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.paging import paged
from core import clock
from fulfillment import selectors, services
from fulfillment.forms import BackorderCancelForm, PackageForm
from fulfillment.models import Backorder, Package, Shipment
from fulfillment.services.packing import PackingError
from orders.errors import OrderError
from orders.models import SalesOrder
from orders.states import OrderStatus

PAGE_SIZE = 25


@login_required
@permission_required("fulfillment.add_shipment", raise_exception=True)
def shipping_queue_view(request):
    query = request.GET.get("q", "")[:100]
    stage = request.GET.get("stage", "")
    if stage not in dict(selectors.QUEUE_STAGES):
        stage = ""
    orders = selectors.shipping_queue(query=query, stage=stage)
    page = paged(request, orders, per_page=PAGE_SIZE)
    return render(
        request,
        "fulfillment/shipping_queue.html",
        {
            "page_obj": page,
            "q": query.strip(),
            "stage": stage,
            "stages": selectors.QUEUE_STAGES,
            "today": clock.today(),
        },
    )


def _order(pk: int) -> SalesOrder:
    return get_object_or_404(SalesOrder.objects.select_related("customer", "ship_to"), pk=pk)


def _packing_context(order: SalesOrder, *, form: PackageForm | None = None, error: str = ""):
    shipment = selectors.open_shipment(order=order)
    rows = selectors.pack_lines(order=order, shipment=shipment)
    weight, missing = selectors.weight_estimate(rows=rows)
    shipments = selectors.order_shipments(order=order)
    backorders = selectors.backorder_list(order=order)
    ready = [b for b in backorders if selectors.backorder_ready_to_ship(b)]
    can_start = shipment is None and (
        (not shipments and order.status == OrderStatus.QUALITY_RELEASED)
        or (bool(shipments) and bool(ready))
    )
    packing = shipment is not None and shipment.status == "packing"
    if form is None and packing:
        form = PackageForm(rows=rows)
    return {
        "order": order,
        "shipment": shipment,
        "rows": rows,
        "estimate": weight,
        "missing_weights": missing,
        "packed_weight": sum(p.weight_kg for p in shipment.packages.all()) if shipment else 0,
        "shipments": shipments,
        "backorders": backorders,
        "can_start": can_start,
        "next_is_backorder": bool(shipments),
        "form": form if packing else None,
        "problems": services.pack_problems(shipment=shipment) if packing else [],
        "error": error,
    }


def _packing_page(request, order: SalesOrder, *, status: int = 200, **kwargs):
    return render(
        request, "fulfillment/packing.html", _packing_context(order, **kwargs), status=status
    )


def _packing_work(request, order: SalesOrder, *, status: int = 200, **kwargs):
    """The part of the packing page htmx swaps after adding or removing a package."""
    return render(
        request,
        "fulfillment/partials/packing_work.html",
        _packing_context(order, **kwargs),
        status=status,
    )


@login_required
@permission_required("fulfillment.add_shipment", raise_exception=True)
def packing_view(request, pk: int):
    return _packing_page(request, _order(pk))


@require_POST
@login_required
@permission_required("fulfillment.add_shipment", raise_exception=True)
def shipment_start_view(request, pk: int):
    order = _order(pk)
    try:
        shipment = services.shipment_start(order_id=order.pk, actor=request.user)
    except OrderError as error:
        return _packing_page(request, _order(pk), error=error.message, status=400)
    messages.success(request, f"{shipment.number} started: add its packages.")
    return redirect("fulfillment:packing", pk=order.pk)


@require_POST
@login_required
@permission_required("fulfillment.add_package", raise_exception=True)
def package_add_view(request, pk: int):
    shipment = get_object_or_404(Shipment, pk=pk)
    order = _order(shipment.order_id)
    htmx = request.headers.get("HX-Request") == "true"
    render_with = _packing_work if htmx else _packing_page
    # htmx swaps only a 2xx answer; the errors are in the fragment either way.
    failed = 200 if htmx else 400
    current = selectors.open_shipment(order=order)
    if current is None or current.pk != shipment.pk:
        return render_with(
            request, order, error=f"{shipment.number} is not being packed.", status=failed
        )
    form = PackageForm(request.POST, rows=selectors.pack_lines(order=order, shipment=current))
    if not form.is_valid():
        return render_with(
            request,
            order,
            form=form,
            error="Check the highlighted values; no package was added.",
            status=failed,
        )
    try:
        package = services.package_add(
            shipment_id=shipment.pk, actor=request.user, package=form.package_input()
        )
    except PackingError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        return render_with(request, order, form=form, error=error.message, status=failed)
    if not htmx:
        messages.success(request, f"Package {package.number} added to {shipment.number}.")
        return redirect("fulfillment:packing", pk=order.pk)
    return _packing_work(request, order)


@require_POST
@login_required
@permission_required("fulfillment.delete_package", raise_exception=True)
def package_remove_view(request, pk: int):
    package = get_object_or_404(Package.objects.select_related("shipment"), pk=pk)
    order = _order(package.shipment.order_id)
    htmx = request.headers.get("HX-Request") == "true"
    try:
        services.package_remove(package_id=package.pk, actor=request.user)
    except OrderError as error:
        if htmx:
            return _packing_work(request, order, error=error.message)
        return _packing_page(request, order, error=error.message, status=400)
    if htmx:
        return _packing_work(request, order)
    messages.success(request, f"Package {package.number} removed.")
    return redirect("fulfillment:packing", pk=order.pk)


@require_POST
@login_required
@permission_required("fulfillment.change_shipment", raise_exception=True)
def shipment_pack_view(request, pk: int):
    shipment = get_object_or_404(Shipment, pk=pk)
    try:
        shipment = services.shipment_pack(
            shipment_id=shipment.pk, actor=request.user, note=request.POST.get("note", "")
        )
    except OrderError as error:
        return _packing_page(request, _order(shipment.order_id), error=error.message, status=400)
    messages.success(request, f"{shipment.number} is packed; the packing list is being prepared.")
    return redirect("fulfillment:carrier", pk=shipment.pk)


@require_POST
@login_required
@permission_required("fulfillment.change_shipment", raise_exception=True)
def shipment_reopen_view(request, pk: int):
    shipment = get_object_or_404(Shipment, pk=pk)
    try:
        services.shipment_reopen(
            shipment_id=shipment.pk, actor=request.user, reason=request.POST.get("reason", "")
        )
    except OrderError as error:
        return _packing_page(request, _order(shipment.order_id), error=error.message, status=400)
    messages.info(request, f"{shipment.number} is open for packing again.")
    return redirect("fulfillment:packing", pk=shipment.order_id)


def _carrier_page(request, shipment: Shipment, *, error: str = "", status: int = 200):
    shipment = selectors.shipment_get(pk=shipment.pk)
    choice = services.carrier_choice(shipment=shipment)
    return render(
        request,
        "fulfillment/packing_carrier.html",
        {"shipment": shipment, "order": shipment.order, "choice": choice, "error": error},
        status=status,
    )


@login_required
@permission_required("fulfillment.change_shipment", raise_exception=True)
def carrier_view(request, pk: int):
    """The ranked carrier services for a shipment, and the choice of one."""
    shipment = get_object_or_404(Shipment, pk=pk)
    if request.method != "POST":
        return _carrier_page(request, shipment)
    try:
        service_id = int(request.POST.get("service", ""))
    except ValueError:
        return _carrier_page(request, shipment, error="Choose a service.", status=400)
    try:
        shipment = services.shipment_choose_carrier(
            shipment_id=shipment.pk, actor=request.user, service_id=service_id
        )
    except OrderError as error:
        return _carrier_page(request, shipment, error=error.message, status=400)
    messages.success(
        request,
        f"{shipment.service} chosen for {shipment.number}; "
        f"estimated delivery {shipment.estimated_delivery:%a %d %b %Y}.",
    )
    return redirect("fulfillment:carrier", pk=shipment.pk)


@require_POST
@login_required
@permission_required("fulfillment.change_backorder", raise_exception=True)
def backorder_release_view(request, pk: int):
    backorder = get_object_or_404(Backorder.objects.select_related("order"), pk=pk)
    try:
        services.backorder_release(backorder_id=backorder.pk, actor=request.user)
    except OrderError as error:
        messages.error(request, f"{backorder.order.number}: {error.message}")
        return redirect("fulfillment:quality_queue")
    messages.success(
        request, f"Backorder of {backorder.order.number} released: shipping can pack it."
    )
    return redirect("fulfillment:quality_queue")


@login_required
@permission_required("orders.change_salesorder", raise_exception=True)
def backorder_cancel_view(request, pk: int):
    backorder = get_object_or_404(
        Backorder.objects.select_related("order", "order__customer", "line", "line__product"),
        pk=pk,
    )
    form = BackorderCancelForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.backorder_cancel(
                    backorder_id=backorder.pk,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except OrderError as exc:
                error = exc.message
            else:
                messages.success(request, f"Backorder of line {backorder.line.line_no} cancelled.")
                return redirect("fulfillment:backorders", pk=backorder.order_id)
        status = 400
    return render(
        request,
        "fulfillment/packing_backorder_cancel.html",
        {"backorder": backorder, "order": backorder.order, "form": form, "error": error},
        status=status,
    )


@login_required
@permission_required("fulfillment.view_backorder", raise_exception=True)
def backorder_list_view(request, pk: int):
    """An order's backorders; sales cancels from here the ones the customer no longer wants."""
    order = _order(pk)
    return render(
        request,
        "fulfillment/packing_backorders.html",
        {"order": order, "backorders": selectors.backorder_list(order=order)},
    )
