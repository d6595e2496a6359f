"""Completion and quality pages. Thin: parse, call one service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.paging import paged
from core import clock
from fulfillment import selectors, services
from fulfillment.forms import DispositionForm, InspectionForm
from fulfillment.models import Nonconformance
from orders.errors import OrderError
from orders.models import SalesOrder
from orders.states import OrderStatus


def _order(pk: int) -> SalesOrder:
    return get_object_or_404(SalesOrder.objects.select_related("customer"), pk=pk)


@login_required
@permission_required("fulfillment.add_inspection", raise_exception=True)
def quality_queue_view(request):
    search, stage = request.GET.get("q", ""), request.GET.get("stage", "")
    page = paged(request, selectors.quality_queue(search=search, stage=stage))
    return render(
        request,
        "fulfillment/quality_queue.html",
        {
            "orders": page,
            "page": page,
            "q": search,
            "stage": stage,
            "stages": [(key, label) for key, (label, _s) in selectors.QUALITY_STAGES.items()],
            "nonconformances": selectors.open_nonconformances(),
            "backorders": [
                {"backorder": backorder, "made": made, "ready": made >= backorder.line.quantity}
                for backorder, made in selectors.backorders_awaiting_release()
            ],
        },
    )


def _completion_page(request, order: SalesOrder, *, error: str = "", status: int = 200):
    context = {
        "order": order,
        "error": error,
        "in_production": False,
        "problems": [],
        "partial_possible": False,
    }
    if order.status == OrderStatus.IN_PRODUCTION:
        context["in_production"] = True
        context["problems"] = services.completion_check(order=order)
        context["partial_possible"] = bool(context["problems"]) and (
            services.partial_completion_possible(order=order)
        )
    return render(request, "fulfillment/completion.html", context, status=status)


@login_required
@permission_required("orders.complete_salesorder", raise_exception=True)
def completion_view(request, pk: int):
    return _completion_page(request, _order(pk))


@require_POST
@login_required
@permission_required("orders.complete_salesorder", raise_exception=True)
def complete_view(request, pk: int):
    order = _order(pk)
    try:
        order = services.order_complete(
            order_id=order.pk,
            actor=request.user,
            note=request.POST.get("note", ""),
            partial=request.POST.get("partial") == "1",
        )
    except OrderError as error:
        return _completion_page(request, _order(pk), error=error.message, status=400)
    messages.success(request, f"{order.number} is produced and waits for final inspection.")
    return redirect("orders:detail", pk=order.pk)


def _inspection_page(
    request,
    order: SalesOrder,
    *,
    form: InspectionForm | None = None,
    disposition_form: DispositionForm | None = None,
    disposition_for: int | None = None,
    hold_description: str = "",
    error: str = "",
    status: int = 200,
):
    if form is None and order.status == OrderStatus.PRODUCED:
        form = InspectionForm(
            checklist=selectors.inspection_checklist(order=order),
            initial={"started": clock.now().isoformat()},
        )
    context = {
        "order": order,
        "form": form if order.status == OrderStatus.PRODUCED else None,
        "inspections": selectors.inspection_list(order=order),
        "nonconformances": selectors.nonconformance_list(order=order),
        "disposition_form": disposition_form or DispositionForm(),
        "disposition_for": disposition_for,
        "hold_description": hold_description,
        "error": error,
    }
    return render(request, "fulfillment/inspection.html", context, status=status)


@login_required
@permission_required("fulfillment.add_inspection", raise_exception=True)
def inspection_view(request, pk: int):
    """The final inspection checklist of a produced order, and its result afterwards."""
    order = _order(pk)
    if request.method != "POST":
        return _inspection_page(request, order)
    if order.status != OrderStatus.PRODUCED:
        error = (
            f"{order.number} is {order.get_status_display().lower()}, not waiting for inspection."
        )
        return _inspection_page(request, order, error=error, status=400)
    form = InspectionForm(request.POST, checklist=selectors.inspection_checklist(order=order))
    if not form.is_valid():
        error = "Check the highlighted values; nothing was recorded."
        return _inspection_page(request, order, form=form, error=error, status=400)
    try:
        inspection = services.inspection_record(
            order_id=order.pk,
            actor=request.user,
            results=form.results(),
            note=form.cleaned_data["note"],
            started_at=form.cleaned_data["started"],
        )
    except OrderError as error:
        return _inspection_page(request, _order(pk), form=form, error=error.message, status=400)
    if inspection.result == "pass":
        messages.success(request, f"{order.number} passed final inspection and is released.")
    else:
        messages.warning(
            request, f"{order.number} failed final inspection: on quality hold until dispositioned."
        )
    return redirect("fulfillment:inspection", pk=order.pk)


@require_POST
@login_required
@permission_required("fulfillment.change_nonconformance", raise_exception=True)
def disposition_view(request, pk: int):
    nonconformance = get_object_or_404(Nonconformance, pk=pk)
    form = DispositionForm(request.POST)
    try:
        if not form.is_valid():
            raise OrderError("Check the disposition; nothing was recorded.")
        services.nonconformance_disposition(
            nonconformance_id=nonconformance.pk,
            actor=request.user,
            disposition=form.cleaned_data["disposition"],
            deviation_reference=form.cleaned_data["deviation_reference"],
            note=form.cleaned_data["note"],
        )
    except OrderError as error:
        return _inspection_page(
            request,
            _order(nonconformance.order_id),
            disposition_form=form,
            disposition_for=nonconformance.pk,
            error=error.message,
            status=400,
        )
    messages.success(request, f"{nonconformance} dispositioned.")
    return redirect("fulfillment:inspection", pk=nonconformance.order_id)


@require_POST
@login_required
@permission_required("orders.quality_release_salesorder", raise_exception=True)
def quality_release_view(request, pk: int):
    order = _order(pk)
    try:
        order = services.order_quality_release(
            order_id=order.pk, actor=request.user, note=request.POST.get("note", "")
        )
    except OrderError as error:
        return _inspection_page(request, _order(pk), error=error.message, status=400)
    messages.success(request, f"{order.number} is quality released.")
    return redirect("fulfillment:inspection", pk=order.pk)


@require_POST
@login_required
@permission_required("orders.quality_hold_salesorder", raise_exception=True)
def quality_hold_view(request, pk: int):
    order = _order(pk)
    description = request.POST.get("description", "")
    try:
        nonconformance = services.order_quality_hold(
            order_id=order.pk, actor=request.user, description=description
        )
    except OrderError as error:
        return _inspection_page(
            request, _order(pk), hold_description=description, error=error.message, status=400
        )
    messages.warning(request, f"{order.number} is on quality hold: {nonconformance} opened.")
    return redirect("fulfillment:inspection", pk=order.pk)
