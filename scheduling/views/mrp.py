"""Planner pages: MPS, shortages and purchase suggestions, and work orders.

Thin: read through selectors, act through one service, turn a refusal into a message.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from config.paging import paged, with_page_links
from core import clock
from scheduling import selectors, services
from scheduling.filters import ItemSearchFilter, MpsFilter, WorkOrderFilter, item_search
from scheduling.models import Item, WorkOrder
from scheduling.selectors import mrp
from scheduling.services import SchedulingError


def quantity_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def redirect_back(request, default: str, **kwargs):
    """Back to the page the button was on (its ``next``), else to ``default``."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default, **kwargs)


class HtmxPartialMixin:
    """A filter form asking through htmx gets only the part of the page that changes."""

    partial_template_name: str

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return super().get_template_names()


class PageLinksMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("page_obj") is not None:
            with_page_links(self.request, context["page_obj"])
        return context


class MpsView(PermissionRequiredMixin, HtmxPartialMixin, TemplateView):
    """Demand per item and ISO week, load against capacity, and the work waiting for release."""

    permission_required = "scheduling.view_planrun"
    template_name = "scheduling/mps.html"
    partial_template_name = "scheduling/partials/mrp_mps_body.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = selectors.current_run()
        filterset = MpsFilter(self.request.GET, queryset=Item.objects.all())
        weeks = filterset.weeks(today=clock.today())
        end = weeks[-1] + timedelta(days=7)
        search = filterset.form.cleaned_data.get("q") or ""
        items = paged(
            self.request,
            mrp.mps_item_list(items=filterset.qs, before=end),
            param="page",
            per_page=20,
        )
        planned = item_search(
            selectors.planned_work_order_list(run=run).filter(start__lt=end), search
        )
        planned_page = paged(self.request, planned, param="planned_page", per_page=25)
        planned_page.object_list = mrp.with_order_numbers(planned_page.object_list)
        firm_page = paged(
            self.request,
            item_search(mrp.firm_work_order_list(), search),
            param="firm_page",
            per_page=25,
        )
        firm_page.object_list = mrp.mark_work_orders(firm_page.object_list)
        context.update(
            run=run,
            filter=filterset,
            today=clock.today(),
            weeks=[{"monday": w, "key": mrp.iso_week(w)} for w in weeks],
            items_page=items,
            demand_rows=mrp.mps_demand_rows(items=items.object_list, weeks=weeks),
            load_rows=mrp.weekly_load_rows(run=run, weeks=weeks),
            planned_page=planned_page,
            firm_page=firm_page,
        )
        return context


class PlannedReleaseView(PermissionRequiredMixin, View):
    """Turn one of the plan's planned work orders into released work on the floor."""

    permission_required = "scheduling.release_workorder"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        planned = mrp.planned_work_order_get(planned_id=pk)
        if planned is None:
            messages.error(request, "That planned work order is no longer in the plan.")
            return redirect_back(request, "scheduling:mps")
        try:
            work_order = services.release_work_order(planned_key=planned.key, actor=request.user)
        except SchedulingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{work_order.number} released to the shop floor")
        return redirect_back(request, "scheduling:mps")


class WorkOrderReleaseView(PermissionRequiredMixin, View):
    """Release a firm (planner-fixed) work order."""

    permission_required = "scheduling.release_workorder"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        try:
            work_order = services.release_work_order(work_order_id=pk, actor=request.user)
        except WorkOrder.DoesNotExist as missing:
            raise Http404 from missing
        except SchedulingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{work_order.number} released to the shop floor")
        return redirect_back(request, "scheduling:work_order_detail", pk=pk)


class ShortagesView(PermissionRequiredMixin, HtmxPartialMixin, TemplateView):
    """What the plan cannot cover in time, and what to buy to cover the rest."""

    permission_required = "scheduling.view_planrun"
    template_name = "scheduling/shortages.html"
    partial_template_name = "scheduling/partials/mrp_shortages_body.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = selectors.current_run()
        filterset = ItemSearchFilter(self.request.GET, queryset=Item.objects.none())
        filterset.form.is_valid()
        search = filterset.form.cleaned_data.get("q") or ""
        shortages = paged(
            self.request,
            item_search(selectors.shortage_list(run=run), search),
            param="page",
            per_page=25,
        )
        shortages.object_list = mrp.with_order_numbers(shortages.object_list)
        suggestions = paged(
            self.request,
            item_search(selectors.suggestion_list(run=run), search),
            param="buy_page",
            per_page=25,
        )
        suggestions.object_list = mrp.with_order_numbers(suggestions.object_list)
        context.update(
            run=run,
            filter=filterset,
            today=clock.today(),
            shortages_page=shortages,
            suggestions_page=suggestions,
        )
        return context


class WorkOrderListView(PermissionRequiredMixin, HtmxPartialMixin, PageLinksMixin, FilterView):
    permission_required = "scheduling.view_workorder"
    filterset_class = WorkOrderFilter
    paginate_by = 25
    template_name = "scheduling/work_order_list.html"
    partial_template_name = "scheduling/partials/mrp_work_order_table.html"

    def get_queryset(self):
        return mrp.work_order_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.object_list = mrp.mark_work_orders(page.object_list)
        return context


class WorkOrderDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "scheduling.view_workorder"
    template_name = "scheduling/work_order_detail.html"
    context_object_name = "work_order"

    def get_object(self, queryset=None) -> WorkOrder:
        try:
            return mrp.work_order_get(work_order_id=self.kwargs["pk"])
        except WorkOrder.DoesNotExist as missing:
            raise Http404 from missing


mps_view = MpsView.as_view()
planned_release_view = PlannedReleaseView.as_view()
shortages_view = ShortagesView.as_view()
work_order_list_view = WorkOrderListView.as_view()
work_order_detail_view = WorkOrderDetailView.as_view()
work_order_release_view = WorkOrderReleaseView.as_view()
