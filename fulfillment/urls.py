from django.urls import path

from fulfillment import views

app_name = "fulfillment"
urlpatterns = [
    path("quality/", views.quality_queue_view, name="quality_queue"),
    path("orders/<int:pk>/completion/", views.completion_view, name="completion"),
    path("orders/<int:pk>/complete/", views.complete_view, name="complete"),
    path("orders/<int:pk>/inspection/", views.inspection_view, name="inspection"),
    path("orders/<int:pk>/quality-release/", views.quality_release_view, name="quality_release"),
    path("orders/<int:pk>/quality-hold/", views.quality_hold_view, name="quality_hold"),
    path(
        "nonconformances/<int:pk>/disposition/",
        views.disposition_view,
        name="disposition",
    ),
]
