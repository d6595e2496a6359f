"""Read queries behind the delivery page and the delivery report list."""

from django.db.models import Prefetch, Q, QuerySet

from fulfillment.models import (
    Backorder,
    DeliveryReport,
    ReportKind,
    ReportStatus,
    Shipment,
    TrackingEvent,
    WebhookAttempt,
)
from orders.models import Complaint, ComplaintType, DeliveryAcceptance, SalesOrder
from orders.selectors import order_search_q


def delivery_shipments(*, order: SalesOrder) -> list[Shipment]:
    """The order's shipments with carrier, service, invoice and tracking events, oldest first."""
    return list(
        order.shipments.select_related("carrier", "service", "invoice", "shipped_by")
        .prefetch_related(
            Prefetch(
                "tracking_events",
                queryset=TrackingEvent.objects.order_by("-occurred_at", "-pk"),
            )
        )
        .order_by("sequence")
    )


def delivery_reports_for(*, order: SalesOrder) -> list[DeliveryReport]:
    return list(
        order.delivery_reports.select_related(
            "shipment",
            "line__product",
            "reported_by",
            "resolved_by",
            "replacement_order",
            "credit_note",
        )
    )


def open_backorders_for(*, order: SalesOrder) -> list[Backorder]:
    return list(order.backorders.filter(status="open").select_related("line__product"))


# Complaint types that describe the delivery itself, and the report each becomes.
COMPLAINT_REPORT_KIND = {
    ComplaintType.DAMAGE: ReportKind.DAMAGE,
    ComplaintType.DOCUMENTATION: ReportKind.DOCUMENTATION,
    ComplaintType.OTHER: ReportKind.OTHER,
}


def complaints_to_record(*, order: SalesOrder) -> list[Complaint]:
    """The customer's delivery complaints not yet recorded as a delivery report."""
    complaints = list(
        Complaint.objects.filter(
            order=order,
            complaint_type__in=list(COMPLAINT_REPORT_KIND),
            delivery_report__isnull=True,
        ).select_related("contact")
    )
    for complaint in complaints:
        complaint.report_kind = COMPLAINT_REPORT_KIND[complaint.complaint_type]
    return complaints


def acceptance_for(*, order: SalesOrder) -> DeliveryAcceptance | None:
    return DeliveryAcceptance.objects.filter(order=order).select_related("contact").first()


def delivery_report_list(*, search: str = "", status: str = "") -> QuerySet[DeliveryReport]:
    """Every delivery report, newest first, for the reports list (filter and search)."""
    reports = DeliveryReport.objects.select_related(
        "order__customer", "shipment", "line", "replacement_order", "credit_note"
    )
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    if search := search.strip():
        reports = reports.filter(
            order_search_q(search, prefix="order__") | Q(description__icontains=search)
        )
    return reports.order_by("-reported_at", "-pk")


def webhook_attempts_recent(*, limit: int = 20) -> list[WebhookAttempt]:
    return list(WebhookAttempt.objects.select_related("carrier")[:limit])
