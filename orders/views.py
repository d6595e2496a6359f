"""Staff order pages. Thin: parse, call one selector or service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from orders import selectors, selectors_tracking, services
from orders.errors import OrderError
from orders.filters import OrderFilter
from orders.forms import TransitionForm
from orders.models import Document, SalesOrder
from orders.presentation import TRANSITION_UI
from orders.services.promising import order_quote_for
from orders.states import OrderStatus

# Steps with their own checks on the fulfillment pages (completion, final inspection).
CHECKED_ELSEWHERE = frozenset(
    {
        "complete",
        "inspect_pass",
        "inspect_fail",
        "quality_release",
        "quality_hold",
        "pack",
        "ship",
        "deliver",
        "close",
    }
)
# Before a promise is made the page checks the requested date against the plan.
CHECKED_BEFORE_PROMISE = (
    OrderStatus.DRAFT,
    OrderStatus.ENTERED,
    OrderStatus.VALIDATED,
    OrderStatus.ON_HOLD,
)


class OrderListView(PermissionRequiredMixin, FilterView):
    permission_required = "orders.view_salesorder"
    filterset_class = OrderFilter
    paginate_by = 25
    template_name = "orders/order_list.html"

    def get_queryset(self):
        return selectors.order_list()

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["orders/partials/order_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class OrderDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "orders.view_salesorder"
    template_name = "orders/order_detail.html"
    context_object_name = "order"

    def get_object(self, queryset=None) -> SalesOrder:
        return selectors.order_get(order_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        names = [
            name
            for name in selectors.order_transitions_for(order=self.object, user=self.request.user)
            if name not in CHECKED_ELSEWHERE
        ]
        context["actions"] = [(name, *TRANSITION_UI[name]) for name in names]
        if "acknowledge" in names and "quote" not in kwargs:
            # The promise form starts from what the plan can do.
            context["quote"] = order_quote_for(order=self.object)
        context["note_required"] = services.NOTE_REQUIRED
        order = self.object
        context["credit"] = services.credit_position(customer=order.customer)
        context["deposit_required"] = services.deposit_required(order=order)
        context["deposit_received"] = services.deposit_received(order=order)
        context["checklist"] = selectors.order_checklist(order=order)
        if order.status in CHECKED_BEFORE_PROMISE and order.requested_date:
            quote = context.get("quote") or order_quote_for(order=order)
            earliest = quote.earliest_delivery
            achievable = earliest is not None and earliest <= order.requested_date
            context["checklist"].append(
                {
                    "label": "Requested date achievable",
                    "ok": achievable,
                    "detail": ""
                    if achievable
                    else f"The earliest delivery is {earliest:%a %-d %b %Y}."
                    if earliest
                    else "Add lines to check the date.",
                }
            )
        context.update(selectors_tracking.order_tracking(order=self.object))
        return context


class OrderTransitionView(OrderDetailView):
    """POST only: fire one transition; on refusal show the order again with the note kept."""

    http_method_names = ["post"]

    def post(self, request, pk: int, transition: str):
        form = TransitionForm(request.POST)
        note = request.POST.get("note", "")
        try:
            if transition in CHECKED_ELSEWHERE:
                raise OrderError(
                    "This step has its own checks: use the completion check, the final "
                    "inspection, packing, shipping or delivery page."
                )
            if not form.is_valid():
                raise OrderError(" ".join(e for errors in form.errors.values() for e in errors))
            common = {
                "order_id": pk,
                "actor": request.user,
                "expected_status": form.cleaned_data["expected_status"] or None,
                "note": form.cleaned_data["note"],
            }
            if transition == "validate":
                order = services.order_validate(**common)
            elif transition == "acknowledge":
                # Checked against a fresh quote, as on the promise form.
                quote = order_quote_for(order=self.get_object())
                order = services.order_acknowledge(
                    promised_date=form.cleaned_data["promised_date"],
                    quoted_date=quote.earliest_delivery,
                    **common,
                )
            else:
                order = services.order_transition(transition=transition, **common)
        except SalesOrder.DoesNotExist as exc:
            raise Http404 from exc
        except OrderError as error:
            self.object = self.get_object()
            failed = {
                "transition": transition,
                "note": note,
                "promised_date": request.POST.get("promised_date", ""),
                "error": error.message,
            }
            return self.render_to_response(self.get_context_data(failed=failed), status=409)
        label = TRANSITION_UI[transition][0]
        messages.success(
            request, f"{order.number}: {label} — now {order.get_status_display().lower()}."
        )
        return redirect("orders:detail", pk=pk)


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
def document_view(request, pk: int, document_id: int):
    document = get_object_or_404(Document, pk=document_id, order_id=pk)
    return FileResponse(document.file.open("rb"), as_attachment=False, filename=document.filename)


@login_required
@permission_required("orders.acknowledge_salesorder", raise_exception=True)
@require_POST
def acknowledgment_resend_view(request, pk: int):
    try:
        services.order_acknowledgment_resend(order_id=pk, actor=request.user)
    except OrderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The acknowledgment is on its way to the customer again.")
    return redirect("orders:detail", pk=pk)
