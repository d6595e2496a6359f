"""The buyer's pages: open purchase orders, one purchase order, and its line actions.

Thin: read through selectors, act through one service, turn a refusal into a message beside
its field. Line actions post through htmx and get the line's card back; without htmx the
whole page comes back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView

from config.dates import weekday_date
from core import clock
from scheduling import selectors, services
from scheduling.filters import PurchaseOrderFilter
from scheduling.forms import PURCHASE_ACTIONS
from scheduling.models import PurchaseOrder, PurchaseOrderLine
from scheduling.selectors import purchasing
from scheduling.services import PurchasingError
from scheduling.views.mrp import HtmxPartialMixin, PageLinksMixin, quantity_text, redirect_back

LINE_CARD = "scheduling/partials/purchase_line.html"


class PurchaseOrderListView(PermissionRequiredMixin, HtmxPartialMixin, PageLinksMixin, FilterView):
    """Open purchase orders by due date: late ones marked, with the sales orders they serve."""

    permission_required = "scheduling.view_purchaseorder"
    filterset_class = PurchaseOrderFilter
    paginate_by = 25
    template_name = "scheduling/purchase_order_list.html"
    partial_template_name = "scheduling/partials/mrp_purchase_order_table.html"

    def get_queryset(self):
        return purchasing.purchase_order_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(today=clock.today(), **kwargs)
        page = context["page_obj"]
        page.object_list = purchasing.mark_purchase_orders(
            page.object_list, run=selectors.current_run()
        )
        return context


class SuggestionBuyView(PermissionRequiredMixin, View):
    """One click from MRP's purchase suggestion to an open purchase order; never two."""

    permission_required = "scheduling.add_purchaseorder"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        suggestion = selectors.mrp.suggestion_get(suggestion_id=pk)
        if suggestion is None:
            messages.error(request, "That purchase suggestion is no longer in the plan.")
        elif suggestion.purchase_order_id:
            messages.info(request, f"Already ordered as {suggestion.purchase_order.number}.")
        else:
            order = services.create_purchase_order_from_suggestion(
                suggestion_id=pk, actor=request.user
            )
            quantity, due = quantity_text(suggestion.quantity), weekday_date(suggestion.arrival)
            messages.success(
                request,
                f"{order.number} for {quantity} x {suggestion.item.code} from {order.supplier}, "
                f"due {due}",
            )
        return redirect_back(request, "scheduling:shortages")


def _forms(user, line: PurchaseOrderLine, bound=None) -> dict:
    """The actions this user may take on ``line``, each with its form (``bound`` kept as sent)."""
    forms = {}
    for action, (form_class, label, permission) in PURCHASE_ACTIONS.items():
        if not user.has_perm(permission):
            continue
        if bound is not None and bound[0] == action:
            form = bound[1]
        else:
            form = form_class(prefix=f"line{line.pk}-{action}", initial={"version": line.version})
        forms[action] = {"form": form, "label": label}
    return forms


def _page(request, order: PurchaseOrder, *, bound=None, status: int = 200) -> HttpResponse:
    for line in order.lines.all():
        line.actions = (
            _forms(request.user, line, bound[1:] if bound and bound[0] == line.pk else None)
            if line.is_open
            else {}
        )
    return render(
        request,
        "scheduling/purchase_order_detail.html",
        {"order": order, "today": clock.today()},
        status=status,
    )


def _get(pk: int) -> PurchaseOrder:
    try:
        return purchasing.purchase_order_get(purchase_order_id=pk, run=selectors.current_run())
    except PurchaseOrder.DoesNotExist as missing:
        raise Http404 from missing


@login_required
@require_GET
def purchase_order_detail_view(request, pk: int):
    if not request.user.has_perm("scheduling.view_purchaseorder"):
        raise PermissionDenied
    return _page(request, _get(pk))


def _perform(action: str, line_id: int, actor, data: dict) -> None:
    version = data["version"]
    if action == "receive":
        services.purchase_line_receive(
            line_id=line_id,
            actor=actor,
            quantity=data["quantity"],
            delivery_note=data["delivery_note"],
            expected_version=version,
        )
    elif action == "confirm":
        services.purchase_line_confirm(
            line_id=line_id,
            actor=actor,
            confirmed_date=data["confirmed_date"],
            supplier_reference=data["supplier_reference"],
            expected_version=version,
        )
    elif action == "reschedule":
        services.purchase_line_reschedule(
            line_id=line_id,
            actor=actor,
            due_date=data["due_date"],
            reason=data["reason"],
            expected_version=version,
        )
    else:
        services.purchase_line_cancel(
            line_id=line_id, actor=actor, reason=data["reason"], expected_version=version
        )


DONE = {
    "receive": "Goods received; the stock on hand is up and the plan is being refreshed.",
    "confirm": "Confirmation recorded; the plan is being refreshed.",
    "reschedule": "Due date moved; the plan is being refreshed, and the orders it hurts are told.",
    "cancel": "The rest of the line is cancelled; the plan is being refreshed.",
}


@login_required
@require_POST
def purchase_line_action_view(request, pk: int, line_id: int, action: str):
    if action not in PURCHASE_ACTIONS:
        raise Http404
    form_class, _label, permission = PURCHASE_ACTIONS[action]
    if not request.user.has_perm(permission):
        raise PermissionDenied
    if not PurchaseOrderLine.objects.filter(pk=line_id, purchase_order_id=pk).exists():
        raise Http404
    form = form_class(request.POST, prefix=f"line{line_id}-{action}")
    if form.is_valid():
        try:
            _perform(action, line_id, request.user, form.cleaned_data)
        except PurchasingError as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(request, DONE[action])
            url = reverse("scheduling:purchase_order_detail", args=[pk])
            if request.htmx:
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
    order = _get(pk)
    if request.htmx:
        line = next(line for line in order.lines.all() if line.pk == line_id)
        line.actions = _forms(request.user, line, (action, form)) if line.is_open else {}
        return render(request, LINE_CARD, {"order": order, "line": line}, status=400)
    return _page(request, order, bound=(line_id, action, form), status=400)


purchase_order_list_view = PurchaseOrderListView.as_view()
suggestion_buy_view = SuggestionBuyView.as_view()
