"""Blanket agreements: list, page with released/shipped/remaining, and a create form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from core import clock
from orders import services
from orders.errors import OrderError
from orders.models import BlanketAgreement, Customer, Product


class BlanketForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.order_by("name"))
    product = forms.ModelChoiceField(queryset=Product.objects.filter(active=True).order_by("sku"))
    total_quantity = forms.DecimalField(min_value=0.001, max_digits=12, decimal_places=3)
    unit_price = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2)
    valid_from = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    customer_reference = forms.CharField(required=False, max_length=60)

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_from")
            and data.get("valid_to")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", "The agreement must end on or after the day it starts.")
        return data


@login_required
@permission_required("orders.view_blanketagreement", raise_exception=True)
def blanket_list_view(request):
    agreements = BlanketAgreement.objects.select_related("customer", "product")
    query = request.GET.get("q", "").strip()
    if query:
        agreements = agreements.filter(
            Q(number__icontains=query)
            | Q(customer__name__icontains=query)
            | Q(product__sku__icontains=query)
            | Q(customer_reference__icontains=query)
        )
    state = request.GET.get("state", "active")
    today = clock.today()
    if state == "active":
        agreements = agreements.filter(valid_to__gte=today)
    elif state == "expired":
        agreements = agreements.filter(valid_to__lt=today)
    page = Paginator(agreements.order_by("valid_to", "number"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orders/blankets/list.html",
        {"page_obj": page, "q": query, "state": state, "today": today},
    )


@login_required
@permission_required("orders.view_blanketagreement", raise_exception=True)
def blanket_detail_view(request, pk: int):
    agreement = get_object_or_404(
        BlanketAgreement.objects.select_related("customer", "product"), pk=pk
    )
    releases = agreement.releases.select_related("customer").order_by("-created_at")
    return render(
        request,
        "orders/blankets/detail.html",
        {
            "agreement": agreement,
            "balance": services.blanket_balance(agreement=agreement),
            "releases": releases,
        },
    )


@login_required
@permission_required("orders.add_blanketagreement", raise_exception=True)
def blanket_new_view(request):
    form = BlanketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.blanket_create(actor=request.user, **form.cleaned_data)
        except OrderError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Blanket agreement {agreement.number} created.")
            return redirect("orders:blanket_detail", pk=agreement.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "orders/blankets/form.html", {"form": form}, status=status)
