from django.urls import path

from metrics import views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orders/<slug:key>/", views.drill_down, name="drill_down"),
    path("orders/<slug:key>/csv/", views.drill_down_csv, name="drill_down_csv"),
]
