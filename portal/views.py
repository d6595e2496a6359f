from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, ListView

from fulfillment.services import delivery as delivery_services
from orders import services
from orders.errors import OrderError
from orders.models import ChangeRequestSource, MessageKind
from portal import forms, selectors
from portal import services as portal_services
from portal.models import ApiToken


class PortalMixin(PermissionRequiredMixin):
    permission_required = "orders.access_portal"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.contact = selectors.contact_for(request.user)
        return super().dispatch(request, *args, **kwargs)


class PortalOrderListView(PortalMixin, ListView):
    template_name = "portal/order_list.html"
    context_object_name = "orders"
    paginate_by = 20

    def get_queryset(self):
        return selectors.portal_order_list(
            contact=self.contact,
            query=self.request.GET.get("q", "").strip(),
            status_filter=self.request.GET.get("show", ""),
        )

    def get_context_data(self, **kwargs):
        show = self.request.GET.get("show", "")
        tabs = [{"key": "", "label": "All", "active": show not in selectors.ORDER_FILTERS}]
        tabs += [
            {"key": key, "label": label, "active": key == show}
            for key, (label, _query) in selectors.ORDER_FILTERS.items()
        ]
        return super().get_context_data(
            contact=self.contact,
            q=self.request.GET.get("q", ""),
            show=show if show in selectors.ORDER_FILTERS else "",
            tabs=tabs,
            **kwargs,
        )


class PortalOrderDetailView(PortalMixin, DetailView):
    template_name = "portal/order_detail.html"
    context_object_name = "order"

    def get_object(self, queryset=None):
        return selectors.portal_order_get(contact=self.contact, order_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        order = self.object
        return super().get_context_data(
            contact=self.contact,
            progress=selectors.portal_order_stage(order=order),
            documents=selectors.portal_order_documents(order=order),
            shipments=selectors.portal_order_shipments(order=order),
            sent_messages=selectors.portal_order_messages(order=order),
            actions=selectors.portal_order_actions(order=order, contact=self.contact),
            change_form=kwargs.pop("change_form", None)
            or forms.ChangeRequestForm(prefix="change", order=order),
            complaint_form=kwargs.pop("complaint_form", None)
            or forms.ComplaintForm(prefix="complaint"),
            survey_form=kwargs.pop("survey_form", None) or forms.SurveyForm(prefix="survey"),
            accept_form=kwargs.pop("accept_form", None) or forms.AcceptForm(prefix="accept"),
            **kwargs,
        )


class PortalDocumentView(PortalMixin, View):
    def get(self, request, pk: int, document_id: int):
        document = selectors.portal_document_get(
            contact=self.contact, order_id=pk, document_id=document_id
        )
        return FileResponse(
            document.file.open("rb"), as_attachment=True, filename=document.filename
        )


class PortalMessageView(PortalMixin, DetailView):
    template_name = "portal/message_detail.html"
    context_object_name = "message"

    def get_object(self, queryset=None):
        return selectors.portal_message_get(
            contact=self.contact, order_id=self.kwargs["pk"], message_id=self.kwargs["message_id"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=self.contact, **kwargs)


class PortalOrderActionView(PortalMixin, View):
    """POST a form from the order page; a refusal re-renders that page with the reason (400)."""

    form_class: type[django_forms.Form]
    form_prefix: str
    success_message: str

    def form_kwargs(self, order) -> dict:
        return {}

    def perform(self, form, order):
        """Carry out the action through orders.services; every subclass defines it."""
        raise TypeError(f"{type(self).__name__} must define perform()")

    def post(self, request, pk: int):
        order = selectors.portal_order_get(contact=self.contact, order_id=pk)
        form = self.form_class(request.POST, prefix=self.form_prefix, **self.form_kwargs(order))
        if form.is_valid():
            try:
                result = self.perform(form, order)
            except OrderError as error:
                for field, message in getattr(error, "errors", {"__all__": error.message}).items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, self.success_message)
                target = result if isinstance(result, str) else None
                return redirect(target or reverse("portal:order_detail", args=[order.pk]))
        view = PortalOrderDetailView(request=request, kwargs={"pk": order.pk})
        view.contact = self.contact
        view.object = order
        context = view.get_context_data(object=order, **{f"{self.form_prefix}_form": form})
        return render(request, view.template_name, context, status=400)


class PortalChangeRequestView(PortalOrderActionView):
    form_class = forms.ChangeRequestForm
    form_prefix = "change"
    success_message = "Thank you: your change request has reached our sales team."

    def form_kwargs(self, order) -> dict:
        return {"order": order}

    def perform(self, form, order):
        services.change_request_create(
            order_id=order.pk,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            quantities=form.quantities(),
            new_date=form.cleaned_data["new_date"],
            source=ChangeRequestSource.PORTAL,
        )


class PortalComplaintView(PortalOrderActionView):
    form_class = forms.ComplaintForm
    form_prefix = "complaint"
    success_message = "Thank you: your complaint is recorded and our team will contact you."

    def perform(self, form, order):
        services.complaint_create(
            order_id=order.pk,
            actor=self.request.user,
            complaint_type=form.cleaned_data["complaint_type"],
            text=form.cleaned_data["text"],
        )


class PortalSurveyView(PortalOrderActionView):
    form_class = forms.SurveyForm
    form_prefix = "survey"
    success_message = "Thank you for your feedback."

    def perform(self, form, order):
        services.survey_answer_create(
            order_id=order.pk,
            actor=self.request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )


class PortalAcceptView(PortalOrderActionView):
    form_class = forms.AcceptForm
    form_prefix = "accept"
    success_message = "Thank you: the delivery is accepted."

    def perform(self, form, order):
        closed = delivery_services.order_accept_delivery(
            order_id=order.pk, actor=self.request.user, note=form.cleaned_data["note"]
        )
        if not closed:
            messages.info(
                self.request,
                "We close the order once the rest of it is delivered and settled.",
            )


class PortalReorderView(PortalOrderActionView):
    form_class = forms.ReorderForm
    form_prefix = "reorder"
    success_message = "Your reorder is with our sales team, who will confirm it to you."

    def perform(self, form, order):
        services.order_reorder(order_id=order.pk, actor=self.request.user)


class PortalPreferencesView(PortalMixin, View):
    template_name = "portal/preferences.html"

    def get(self, request):
        wanted = [kind for kind in MessageKind.values if self.contact.wants(kind)]
        extra = self.contact.notification_preferences.get("extra_emails", [])
        form = forms.PreferencesForm(
            initial={"wanted_kinds": wanted, "extra_emails": "\n".join(extra)}
        )
        return self._render(form)

    def post(self, request):
        form = forms.PreferencesForm(request.POST)
        if form.is_valid():
            try:
                services.contact_preferences_update(
                    contact_id=self.contact.pk,
                    actor=request.user,
                    wanted_kinds=form.cleaned_data["wanted_kinds"],
                    extra_emails=form.cleaned_data["extra_emails"],
                )
            except OrderError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Your notification preferences are saved.")
                return redirect("portal:preferences")
        return self._render(form, status=400)

    def _render(self, form, status: int = 200):
        context = {"form": form, "contact": self.contact}
        return render(self.request, self.template_name, context, status=status)


class PortalApiTokensView(PortalMixin, View):
    """The company's API tokens; a new key is shown once, right after it is made."""

    template_name = "portal/api_tokens.html"

    def get(self, request):
        return self._render(forms.ApiTokenForm())

    def post(self, request):
        form = forms.ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw = portal_services.api_token_create(
                    actor=request.user, name=form.cleaned_data["name"]
                )
            except OrderError as error:
                form.add_error("name", error.message)
            else:
                return self._render(forms.ApiTokenForm(), new_key=raw, new_token=token)
        return self._render(form, status=400)

    def _render(self, form, status: int = 200, **extra):
        context = {
            "form": form,
            "contact": self.contact,
            "tokens": selectors.api_token_list(contact=self.contact),
            "api_url": self.request.build_absolute_uri(reverse("portal:api_order_list")),
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)


class PortalApiTokenRevokeView(PortalMixin, View):
    def post(self, request, pk: int):
        try:
            token = portal_services.api_token_revoke(actor=request.user, token_id=pk)
        except ApiToken.DoesNotExist as exc:
            raise Http404 from exc
        messages.success(request, f"The token “{token.name}” is revoked.")
        return redirect("portal:api_tokens")
