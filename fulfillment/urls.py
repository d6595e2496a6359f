from django.urls import path

from fulfillment.views import quality

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
    # Delivery, tracking webhook, delivery reports
]
