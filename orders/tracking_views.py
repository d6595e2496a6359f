"""Tracking pages: the at-risk board, my alerts, exceptions, notifications, and the order
page's tracking actions (expedite, approve a delay notice). Thin: parse, call one selector or
service, render or redirect."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import ListView
from django_filters.views import FilterView

from core import clock
from orders import selectors_tracking as selectors
from orders.credit_views import OrderActionView
from orders.errors import OrderError
from orders.models import DelayNotice, ExceptionType, SalesOrder
from orders.services.delays import delay_notice_approve
from orders.services.exceptions import exception_open, exception_resolve, exception_take
from orders.services.notifications import notification_read_all
from orders.services.tracking import order_expedite
from orders.tracking_filters import AlertFilter, AtRiskFilter, ExceptionFilter

PAGE_SIZE = 25


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class PartialOnHtmxMixin:
    """A filtered list answers an htmx request with its table only."""

    partial_template_name = ""

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["querystring"] = _querystring(self.request)
        context["now"] = clock.now()
        return context


# -- The at-risk board and the actions on its rows ---------------------------------------


class AtRiskBoardView(PermissionRequiredMixin, PartialOnHtmxMixin, FilterView):
    # Everyone on staff sees their alerts; the board is for those who can act on a late order.
    permission_required = ("orders.view_alert", "orders.expedite_salesorder")
    filterset_class = AtRiskFilter
    paginate_by = PAGE_SIZE
    template_name = "orders/tracking/at_risk.html"
    partial_template_name = "orders/partials/tracking_risk_table.html"

    def get_queryset(self):
        return selectors.at_risk_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for order in context["page_obj"] or []:
            order.can_expedite = selectors.can_expedite(order)
        return context


class BoardRowActionView(OrderActionView):
    """An order action posted from the order page, or from a board row (``from=board``):
    htmx gets the row back, a plain post goes back to the board."""

    def post(self, request, pk: int, **kwargs):
        if request.POST.get("from") != "board":
            try:
                return super().post(request, pk, **kwargs)
            except (SalesOrder.DoesNotExist, DelayNotice.DoesNotExist) as exc:
                raise Http404 from exc
        done, error = "", ""
        try:
            done = self.perform(request, pk, **kwargs)
        except (SalesOrder.DoesNotExist, DelayNotice.DoesNotExist) as exc:
            raise Http404 from exc
        except OrderError as exc:
            error = exc.message
        if not request.htmx:
            (messages.success if done else messages.error)(request, done or error)
            return redirect("orders:at_risk")
        context = {
            "order": selectors.at_risk_row(order_id=pk),
            "row_message": done,
            "row_error": error,
        }
        return render(request, "orders/partials/tracking_risk_row.html", context)


class OrderExpediteView(BoardRowActionView):
    permission_required = "orders.expedite_salesorder"
    action = "expedite"

    def perform(self, request, pk: int) -> str:
        order = order_expedite(order_id=pk, actor=request.user, note=request.POST.get("note", ""))
        return f"{order.number} expedited: rush priority, re-planning now."


class DelayNoticeApproveView(BoardRowActionView):
    permission_required = "orders.change_delaynotice"
    action = "delay_notice_approve"

    def perform(self, request, pk: int, notice_id: int) -> str:
        if not DelayNotice.objects.filter(pk=notice_id, order_id=pk).exists():
            raise Http404("No such delay notice on this order.")
        notice = delay_notice_approve(notice_id=notice_id, actor=request.user)
        return (
            f"Delay notice sent to the customer: revised date {notice.revised_date:%a %-d %b %Y}."
        )


# -- My alerts ----------------------------------------------------------------------------


class AlertListView(PermissionRequiredMixin, PartialOnHtmxMixin, FilterView):
    permission_required = "orders.view_alert"
    filterset_class = AlertFilter
    paginate_by = PAGE_SIZE
    template_name = "orders/tracking/alerts.html"
    partial_template_name = "orders/partials/tracking_alert_table.html"

    @property
    def resolved(self) -> bool:
        return self.request.GET.get("tab") == "resolved"

    def get_queryset(self):
        return selectors.alert_list(user=self.request.user, resolved=self.resolved)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["resolved"] = self.resolved
        return context


# -- Exceptions ---------------------------------------------------------------------------


class ExceptionOpenForm(forms.Form):
    exception_type = forms.ModelChoiceField(
        queryset=ExceptionType.objects.order_by("name"), label="Type", empty_label="Choose…"
    )
    order_number = forms.CharField(
        label="Order number",
        required=False,
        max_length=20,
        help_text="Optional: the order it concerns, e.g. SO-000123.",
    )
    # The service says when a description is missing; its message goes beside this field.
    description = forms.CharField(
        label="What is the problem?", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_order_number(self) -> SalesOrder | None:
        number = self.cleaned_data["order_number"].strip().upper()
        if not number:
            return None
        order = SalesOrder.objects.filter(number=number).first()
        if order is None:
            raise forms.ValidationError(f"There is no order {number}.")
        return order


class ExceptionResolveForm(forms.Form):
    decision = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Record the decision that was taken."},
    )
    resolution = forms.CharField(
        label="How it was resolved",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say how the problem was resolved."},
    )
    lessons_learned = forms.CharField(
        label="Lessons learned",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What would stop this from happening again?",
    )


class ExceptionListView(PermissionRequiredMixin, PartialOnHtmxMixin, FilterView):
    permission_required = "orders.view_orderexception"
    filterset_class = ExceptionFilter
    paginate_by = PAGE_SIZE
    template_name = "orders/tracking/exceptions.html"
    partial_template_name = "orders/partials/tracking_exception_table.html"

    def get_queryset(self):
        return selectors.exception_list()


@login_required
@permission_required("orders.add_orderexception", raise_exception=True)
def exception_new_view(request):
    initial = {"order_number": request.GET.get("order", "")}
    form = ExceptionOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exception = exception_open(
                actor=request.user,
                exception_type=data["exception_type"],
                order=data["order_number"],
                description=data["description"],
            )
        except OrderError as error:
            # The service refuses a blank description, or a type without an escalation path.
            blank = not data["description"].strip()
            form.add_error("description" if blank else "exception_type", error.message)
        else:
            messages.success(
                request,
                f"Exception opened; {exception.owner_role} is told and must act by "
                f"{timezone.localtime(exception.due_at):%a %-d %b %H:%M}.",
            )
            return redirect("orders:exception_detail", pk=exception.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "orders/tracking/exception_new.html", {"form": form}, status=status)


def _exception_page(request, pk: int, form: ExceptionResolveForm | None = None, status=200):
    exception = selectors.exception_get(exception_id=pk)
    roles = selectors.user_roles(request.user)
    context = {
        "exception": exception,
        "form": form or ExceptionResolveForm(),
        "now": clock.now(),
        "is_open": selectors.exception_is_open(exception),
        "may_take": (request.user.is_superuser or exception.owner_role in roles)
        and exception.owner_id != request.user.pk,
    }
    return render(request, "orders/tracking/exception_detail.html", context, status=status)


@login_required
@permission_required("orders.view_orderexception", raise_exception=True)
def exception_detail_view(request, pk: int):
    return _exception_page(request, pk)


@login_required
@permission_required("orders.change_orderexception", raise_exception=True)
@require_POST
def exception_take_view(request, pk: int):
    selectors.exception_get(exception_id=pk)  # 404 before the service's lock
    exception_take(exception_id=pk, actor=request.user)
    messages.success(request, "It is yours now.")
    return redirect("orders:exception_detail", pk=pk)


@login_required
@permission_required("orders.change_orderexception", raise_exception=True)
@require_POST
def exception_resolve_view(request, pk: int):
    selectors.exception_get(exception_id=pk)
    form = ExceptionResolveForm(request.POST)
    if form.is_valid():
        try:
            exception_resolve(exception_id=pk, actor=request.user, **form.cleaned_data)
        except OrderError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Exception resolved; the decision is on record.")
            return redirect("orders:exception_detail", pk=pk)
    return _exception_page(request, pk, form=form, status=400)


# -- Notifications ------------------------------------------------------------------------


class NotificationListView(PermissionRequiredMixin, ListView):
    # The bell is the staff's: any staff role may read its own notifications.
    permission_required = "orders.view_salesorder"
    paginate_by = PAGE_SIZE
    template_name = "orders/tracking/notifications.html"
    context_object_name = "notifications"

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
def notifications_bell_view(request):
    """The bell, drawn after the page loads so that no page pays for it in its own queries."""
    back = request.htmx.current_url if request.htmx else ""
    return render(request, "orders/partials/tracking_bell.html", {"back": back})


@login_required
@permission_required("orders.view_salesorder", raise_exception=True)
@require_POST
def notifications_read_all_view(request):
    count = notification_read_all(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("orders:notifications")
