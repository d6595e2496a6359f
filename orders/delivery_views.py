"""Sales keeps an order's special delivery requirements (liftgate, appointment, labels ...)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from orders.errors import OrderError
from orders.forms import CustomerShippingForm, DeliveryRequirementsForm
from orders.models import Customer, SalesOrder
from orders.services.delivery_requirements import (
    LOCKED,
    REQUIREMENT_FIELDS,
    customer_shipping_update,
    order_delivery_requirements_update,
)


@login_required
@permission_required("orders.change_salesorder", raise_exception=True)
def delivery_requirements_view(request, pk: int):
    order = get_object_or_404(SalesOrder.objects.select_related("customer"), pk=pk)
    error, status = "", 200
    if request.method == "POST":
        form = DeliveryRequirementsForm(request.POST)
        if form.is_valid():
            try:
                order_delivery_requirements_update(
                    order_id=order.pk, actor=request.user, **form.cleaned_data
                )
            except OrderError as exc:
                error = exc.message
            else:
                messages.success(request, f"Delivery requirements of {order.number} saved.")
                return redirect("orders:detail", pk=order.pk)
        status = 400
    else:
        form = DeliveryRequirementsForm(
            initial={name: getattr(order, name) for name in REQUIREMENT_FIELDS}
        )
    return render(
        request,
        "orders/delivery_requirements.html",
        {"order": order, "form": form, "error": error, "locked": order.status in LOCKED},
        status=status,
    )


@login_required
@permission_required("orders.change_customer", raise_exception=True)
def customer_shipping_view(request, customer_id: int):
    customer = get_object_or_404(Customer, pk=customer_id)
    error, status = "", 200
    if request.method == "POST":
        form = CustomerShippingForm(request.POST)
        if form.is_valid():
            try:
                customer_shipping_update(
                    customer_id=customer.pk, actor=request.user, **form.cleaned_data
                )
            except PermissionDenied:
                error = "Only sales changes a customer's shipping rules."
                status = 403
            except OrderError as exc:
                error, status = exc.message, 400
            else:
                messages.success(request, f"Shipping rules of {customer.name} saved.")
                return redirect("orders:customer_shipping", customer_id=customer.pk)
        else:
            status = 400
    else:
        form = CustomerShippingForm(
            initial={
                "required_documents": list(
                    customer.document_requirements.values_list("kind", flat=True)
                ),
                "accepts_partial_shipments": customer.accepts_partial_shipments,
                "packing_instructions": customer.packing_instructions,
                "label_instructions": customer.label_instructions,
            }
        )
    return render(
        request,
        "orders/customer_shipping.html",
        {"customer": customer, "form": form, "error": error},
        status=status,
    )
