from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache


@login_required
def home(request):
    """Send each user to where their role starts its day."""
    user = request.user
    if not user.is_superuser and user.has_perm("scheduling.receive_purchaseorder"):
        return redirect("scheduling:purchase_order_list")
    if user.has_perm("orders.view_salesorder"):
        return redirect("orders:list")
    if user.has_perm("orders.access_portal"):
        return redirect("portal:order_list")
    raise PermissionDenied


@never_cache
def healthz(request) -> HttpResponse:
    """Liveness for the container healthcheck: the web process answers and reaches the DB."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
