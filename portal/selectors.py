"""Every portal query, scoped to the logged-in contact's own company (DESIGN.md: read-only).

A portal view reads only through this module; anything outside the contact's customer is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from fulfillment.models import Shipment, ShipmentStatus, TrackingEvent
from orders import selectors as order_selectors
from orders.models import (
    Contact,
    Document,
    MessageStatus,
    OutboxMessage,
    SalesOrder,
    SurveyAnswer,
)
from orders.models.changes import CHANGEABLE
from orders.services.feedback import REORDERABLE, SURVEY_OPEN
from orders.states import FINISHED, OPEN, OrderStatus
from portal.models import ApiToken

# The list's tabs: what each shows, in the customer's words.
ORDER_FILTERS = {
    "open": ("Open", Q(status__in=[s for s in OPEN if s != OrderStatus.SHIPPED])),
    "shipped": ("Shipped", Q(status=OrderStatus.SHIPPED)),
    "history": ("History", Q(status__in=FINISHED)),
}

# Plain customer language for each internal status: the stage the customer sees.
CUSTOMER_STAGE = {
    OrderStatus.ENTERED: "Received",
    OrderStatus.VALIDATED: "Received",
    OrderStatus.ON_HOLD: "Received",
    OrderStatus.ACKNOWLEDGED: "Confirmed",
    OrderStatus.PLANNED: "Scheduled",
    OrderStatus.RELEASED: "In production",
    OrderStatus.IN_PRODUCTION: "In production",
    OrderStatus.PRODUCED: "Final inspection",
    OrderStatus.QUALITY_HOLD: "Final inspection",
    OrderStatus.QUALITY_RELEASED: "Ready to pack",
    OrderStatus.PACKED: "Ready to ship",
    OrderStatus.SHIPPED: "Shipped",
    OrderStatus.DELIVERED: "Delivered",
    OrderStatus.CLOSED: "Delivered",
    OrderStatus.CANCELLED: "Cancelled",
}
MILESTONES = ["Received", "Confirmed", "In production", "Shipped", "Delivered"]
_MILESTONE_OF_STAGE = {
    "Received": 0,
    "Confirmed": 1,
    "Scheduled": 1,
    "In production": 2,
    "Final inspection": 2,
    "Ready to pack": 2,
    "Ready to ship": 2,
    "Shipped": 3,
    "Delivered": 4,
}


def contact_for(user) -> Contact:
    """The contact behind a portal login; a login without one sees nothing."""
    try:
        return Contact.objects.select_related("customer").get(user=user)
    except Contact.DoesNotExist as exc:
        raise PermissionDenied from exc


def portal_order_list(
    *, contact: Contact, query: str = "", status_filter: str = ""
) -> QuerySet[SalesOrder]:
    """The contact's company's orders, newest first, searched by order or PO number."""
    return customer_order_list(
        customer_id=contact.customer_id, query=query, status_filter=status_filter
    )


def customer_order_list(
    *, customer_id: int, query: str = "", status_filter: str = ""
) -> QuerySet[SalesOrder]:
    """One customer's orders as the portal and the JSON feed show them."""
    # Customers never see drafts: those are sales' work in progress.
    orders = (
        order_selectors.order_list(customer_id=customer_id)
        .exclude(status=OrderStatus.DRAFT)
        .order_by("-created_at", "-pk")
    )
    if query:
        orders = orders.filter(Q(number__icontains=query) | Q(customer_po__icontains=query))
    if status_filter in ORDER_FILTERS:
        orders = orders.filter(ORDER_FILTERS[status_filter][1])
    return orders


def portal_order_get(*, contact: Contact, order_id: int) -> SalesOrder:
    return customer_order_get(customer_id=contact.customer_id, order_id=order_id)


def customer_order_get(*, customer_id: int, order_id: int) -> SalesOrder:
    order = order_selectors.order_get(order_id=order_id, customer_id=customer_id)
    if order.status == OrderStatus.DRAFT:
        raise Http404
    return order


def portal_order_stage(*, order: SalesOrder) -> dict:
    """Current stage and the milestone steps, reached or not, for the order page."""
    stage = CUSTOMER_STAGE.get(order.status, "Received")
    reached = _MILESTONE_OF_STAGE.get(stage, -1)
    steps = [{"label": label, "done": i <= reached} for i, label in enumerate(MILESTONES)]
    return {"stage": stage, "steps": steps}


def portal_order_messages(*, order: SalesOrder) -> list[OutboxMessage]:
    """The messages really sent about the order (from the prefetched set), oldest first."""
    sent = [m for m in order.messages.all() if m.status == MessageStatus.SENT]
    return sorted(sent, key=lambda m: (m.sent_at or m.created_at, m.pk))


def portal_order_documents(*, order: SalesOrder) -> list[Document]:
    """The newest revision of each document kind (from the prefetched set)."""
    newest: dict[tuple[str, str], Document] = {}
    for document in order.documents.all():
        # Shipment documents (packing list, certificate, invoice) come once per shipment.
        key = (document.kind, document.reference)
        if key not in newest or document.revision > newest[key].revision:
            newest[key] = document
    return sorted(newest.values(), key=lambda d: (d.created_at, d.pk))


def portal_order_shipments(*, order: SalesOrder) -> list[Shipment]:
    """The order's shipments that have left, with carrier, tracking number and events."""
    return list(
        Shipment.objects.filter(
            order=order, status__in=(ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED)
        )
        .select_related("carrier", "service")
        .prefetch_related(
            Prefetch("tracking_events", queryset=TrackingEvent.objects.order_by("-occurred_at"))
        )
        .order_by("sequence")
    )


def shipments_by_order(*, order_ids: list[int]) -> dict[int, list[Shipment]]:
    """Shipped shipments of several orders in one query, for the feed's order list."""
    shipments: dict[int, list[Shipment]] = {}
    for shipment in (
        Shipment.objects.filter(
            order_id__in=order_ids,
            status__in=(ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED),
        )
        .select_related("carrier", "service")
        .order_by("sequence")
    ):
        shipments.setdefault(shipment.order_id, []).append(shipment)
    return shipments


def portal_document_get(*, contact: Contact, order_id: int, document_id: int) -> Document:
    return get_object_or_404(
        Document.objects.select_related("order"),
        pk=document_id,
        order_id=order_id,
        order__customer_id=contact.customer_id,
        order__status__in=[s for s in OrderStatus.values if s != OrderStatus.DRAFT],
    )


def portal_message_get(*, contact: Contact, order_id: int, message_id: int) -> OutboxMessage:
    return get_object_or_404(
        OutboxMessage.objects.select_related("order"),
        pk=message_id,
        order_id=order_id,
        order__customer_id=contact.customer_id,
        status=MessageStatus.SENT,
    )


def portal_order_actions(*, order: SalesOrder, contact: Contact) -> dict[str, bool]:
    """Which of the customer's actions the order page offers now."""
    survey_open = order.status in SURVEY_OPEN and not (
        SurveyAnswer.objects.filter(order=order, contact=contact).exists()
    )
    return {
        "change": order.status in CHANGEABLE,
        "complaint": True,
        "survey": survey_open,
        "accept": order.status == OrderStatus.DELIVERED,
        "reorder": order.status in REORDERABLE,
    }


def api_token_list(*, contact: Contact) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(customer_id=contact.customer_id).select_related("created_by")
