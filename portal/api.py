"""The read-only JSON status feed for customers' own systems, behind per-customer API tokens.

``Authorization: Bearer <token>``; no session login counts here. Rate limited per token.
"""

from functools import wraps

from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from core import clock
from portal import selectors, services

# Requests per token per minute; enough for polling, not for scraping.
RATE_LIMIT_PER_MINUTE = 120


def _refused(message: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="ordercraft"'
    return response


def token_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
        token = services.api_token_authenticate(raw=raw.strip()) if scheme == "Bearer" else None
        if token is None:
            return _refused("A valid API token is required.", 401)
        window = clock.now().strftime("%Y%m%d%H%M")
        key = f"portal-api:{token.pk}:{window}"
        cache.add(key, 0, timeout=60)
        if cache.incr(key) > RATE_LIMIT_PER_MINUTE:
            return _refused("Too many requests; try again in a minute.", 429)
        try:
            return view(request, token.customer_id, *args, **kwargs)
        except Http404:
            return _refused("No such order.", 404)

    return wrapper


def day(value):
    return value.isoformat() if value else None


def _shipment_json(shipment, *, with_events: bool) -> dict:
    data = {
        "number": shipment.number,
        "status": shipment.status,
        "carrier": shipment.carrier.name if shipment.carrier_id else None,
        "service": shipment.service.name if shipment.service_id else None,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_link or None,
        "shipped_at": day(shipment.shipped_at),
        "estimated_delivery": day(shipment.estimated_delivery),
        "delivered_at": day(shipment.delivered_at),
        "received_by": shipment.received_by or None,
    }
    if with_events:
        data["events"] = [
            {
                "code": event.code,
                "description": event.get_code_display()
                + (f": {event.description}" if event.description else ""),
                "location": event.location,
                "occurred_at": event.occurred_at.isoformat(),
            }
            for event in shipment.tracking_events.all()
        ]
    return data


def _order_json(order) -> dict:
    return {
        "id": order.pk,
        "number": order.number,
        "customer_po": order.customer_po,
        "status": order.status,
        "stage": selectors.portal_order_stage(order=order)["stage"],
        "requested_date": day(order.requested_date),
        "first_promised_date": day(order.first_promised_date),
        "promised_date": day(order.promised_date),
        "projected_delivery_date": day(order.projected_delivery_date),
        "actual_delivery_date": day(order.actual_delivery_date),
        "on_time": not order.is_late,
        "shipped_at": order.shipped_at.isoformat() if order.shipped_at else None,
    }


@require_GET
@token_required
def order_list(request, customer_id: int):
    orders = selectors.customer_order_list(
        customer_id=customer_id, status_filter=request.GET.get("show", "")
    )
    orders = list(orders[:500])
    shipments = selectors.shipments_by_order(order_ids=[order.pk for order in orders])
    return JsonResponse(
        {
            "orders": [
                {
                    **_order_json(order),
                    "tracking_numbers": [
                        s.tracking_number for s in shipments.get(order.pk, []) if s.tracking_number
                    ],
                }
                for order in orders
            ]
        }
    )


@require_GET
@token_required
def order_detail(request, customer_id: int, pk: int):
    order = selectors.customer_order_get(customer_id=customer_id, order_id=pk)
    data = _order_json(order)
    data["lines"] = [
        {
            "line_no": line.line_no,
            "sku": line.product.sku,
            "product": line.product.name,
            "quantity": str(line.quantity),
            "unit": line.unit,
        }
        for line in order.lines.all()
    ]
    data["shipments"] = [
        _shipment_json(shipment, with_events=True)
        for shipment in selectors.portal_order_shipments(order=order)
    ]
    data["milestones"] = [
        {"status": event.to_status, "at": event.at.isoformat()}
        for event in order.events.all()
        if event.to_status and event.to_status != "draft"
    ]
    return JsonResponse(data)
