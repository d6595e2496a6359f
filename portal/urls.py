from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.PortalOrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/", views.PortalOrderDetailView.as_view(), name="order_detail"),
]
