"""Sales manage a customer's API tokens for the status feed (the contact can too)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from orders.errors import OrderError
from orders.models import Customer
from portal import services
from portal.forms import ApiTokenForm
from portal.models import ApiToken


@login_required
@permission_required("orders.change_customer", raise_exception=True)
def staff_api_tokens_view(request, customer_id: int):
    customer = get_object_or_404(Customer, pk=customer_id)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_key = services.api_token_create(
                    actor=request.user, name=form.cleaned_data["name"], customer_id=customer.pk
                )
            except OrderError as error:
                form.add_error("name", error.message)
            else:
                form = ApiTokenForm()
        if new_key is None:
            status = 400
    tokens = ApiToken.objects.filter(customer=customer).select_related("created_by")
    return render(
        request,
        "portal/staff_api_tokens.html",
        {"customer": customer, "form": form, "tokens": tokens, "new_key": new_key},
        status=status,
    )


@login_required
@permission_required("orders.change_customer", raise_exception=True)
@require_POST
def staff_api_token_revoke_view(request, customer_id: int, pk: int):
    try:
        token = services.api_token_revoke(actor=request.user, token_id=pk, customer_id=customer_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, f"Token “{token.name}” revoked: it is refused from now on.")
    return redirect("portal:staff_api_tokens", customer_id=customer_id)
