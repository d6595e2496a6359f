from django.urls import path

from orders import views

app_name = "orders"
urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/transition/<slug:transition>/",
        views.OrderTransitionView.as_view(),
        name="transition",
    ),
    path("<int:pk>/documents/<int:document_id>/", views.document_view, name="document"),
    path(
        "<int:pk>/acknowledgment/resend/",
        views.acknowledgment_resend_view,
        name="acknowledgment_resend",
    ),
]
