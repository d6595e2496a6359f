from django.urls import path

from fulfillment.views import delivery, packing, quality, shipping

app_name = "fulfillment"
urlpatterns = [
    # Completion and quality
    path("quality/", quality.quality_queue_view, name="quality_queue"),
    path("orders/<int:pk>/completion/", quality.completion_view, name="completion"),
    path("orders/<int:pk>/complete/", quality.complete_view, name="complete"),
    path("orders/<int:pk>/inspection/", quality.inspection_view, name="inspection"),
    path("orders/<int:pk>/quality-release/", quality.quality_release_view, name="quality_release"),
    path("orders/<int:pk>/quality-hold/", quality.quality_hold_view, name="quality_hold"),
    path(
        "nonconformances/<int:pk>/disposition/",
        quality.disposition_view,
        name="disposition",
    ),
    # Packing, carriers, documents and shipping
    path("shipping/", packing.shipping_queue_view, name="shipping_queue"),
    path("orders/<int:pk>/packing/", packing.packing_view, name="packing"),
    path("orders/<int:pk>/shipments/start/", packing.shipment_start_view, name="shipment_start"),
    path("shipments/<int:pk>/packages/", packing.package_add_view, name="package_add"),
    path("packages/<int:pk>/remove/", packing.package_remove_view, name="package_remove"),
    path("shipments/<int:pk>/pack/", packing.shipment_pack_view, name="shipment_pack"),
    path("shipments/<int:pk>/reopen/", packing.shipment_reopen_view, name="shipment_reopen"),
    path("shipments/<int:pk>/carrier/", packing.carrier_view, name="carrier"),
    path("backorders/<int:pk>/release/", packing.backorder_release_view, name="backorder_release"),
    path("backorders/<int:pk>/cancel/", packing.backorder_cancel_view, name="backorder_cancel"),
    path("orders/<int:pk>/backorders/", packing.backorder_list_view, name="backorders"),
    path("shipments/<int:pk>/ship/", shipping.ship_view, name="ship"),
    path(
        "shipments/<int:pk>/documents/prepare/",
        shipping.documents_prepare_view,
        name="documents_prepare",
    ),
    path("shipments/<int:pk>/documents/", shipping.documents_status_view, name="ship_documents"),
    path("orders/<int:pk>/shipments/", shipping.order_shipments_view, name="order_shipments"),
    # Delivery, tracking webhook, delivery reports
    path("orders/<int:pk>/delivery/", delivery.delivery_view, name="delivery"),
    path("orders/<int:pk>/close/", delivery.order_close_view, name="close"),
    path("orders/<int:pk>/reports/", delivery.report_create_view, name="report_create"),
    path("shipments/<int:pk>/events/", delivery.tracking_event_add_view, name="tracking_event_add"),
    path("shipments/<int:pk>/deliver/", delivery.shipment_deliver_view, name="deliver"),
    path("reports/", delivery.report_list_view, name="reports"),
    path("reports/<int:pk>/resolve/", delivery.report_resolve_view, name="report_resolve"),
    path(
        "webhooks/carriers/<slug:carrier_code>/",
        delivery.carrier_webhook_view,
        name="carrier_webhook",
    ),
]
