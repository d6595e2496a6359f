"""Every portal query, scoped to the logged-in contact's own company (DESIGN.md: read-only)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from orders import selectors as order_selectors
from orders.models import Contact, SalesOrder
from orders.states import OrderStatus


def contact_for(user) -> Contact:
    """The contact behind a portal login; a login without one sees nothing."""
    try:
        return Contact.objects.select_related("customer").get(user=user)
    except Contact.DoesNotExist as exc:
        raise PermissionDenied from exc


def portal_order_list(*, contact: Contact) -> QuerySet[SalesOrder]:
    # Customers never see drafts: those are sales' work in progress.
    return (
        order_selectors.order_list(customer_id=contact.customer_id)
        .exclude(status=OrderStatus.DRAFT)
        .order_by("-created_at", "-pk")
    )


def portal_order_get(*, contact: Contact, order_id: int) -> SalesOrder:
    order = order_selectors.order_get(order_id=order_id, customer_id=contact.customer_id)
    if order.status == OrderStatus.DRAFT:
        raise Http404
    return order
