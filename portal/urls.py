from django.urls import path

from portal import api, staff_views, views

app_name = "portal"
urlpatterns = [
    path("", views.PortalOrderListView.as_view(), name="order_list"),
    # Staff (sales) side: a customer's feed tokens.
    path(
        "staff/customers/<int:customer_id>/api-tokens/",
        staff_views.staff_api_tokens_view,
        name="staff_api_tokens",
    ),
    path(
        "staff/customers/<int:customer_id>/api-tokens/<int:pk>/revoke/",
        staff_views.staff_api_token_revoke_view,
        name="staff_api_token_revoke",
    ),
    path("api-tokens/", views.PortalApiTokensView.as_view(), name="api_tokens"),
    path(
        "api-tokens/<int:pk>/revoke/",
        views.PortalApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    path("api/v1/orders/", api.order_list, name="api_order_list"),
    path("api/v1/orders/<int:pk>/", api.order_detail, name="api_order_detail"),
    path("preferences/", views.PortalPreferencesView.as_view(), name="preferences"),
    path("orders/<int:pk>/", views.PortalOrderDetailView.as_view(), name="order_detail"),
    path(
        "orders/<int:pk>/documents/<int:document_id>/",
        views.PortalDocumentView.as_view(),
        name="document",
    ),
    path(
        "orders/<int:pk>/messages/<int:message_id>/",
        views.PortalMessageView.as_view(),
        name="message",
    ),
    path("orders/<int:pk>/change/", views.PortalChangeRequestView.as_view(), name="change_request"),
    path("orders/<int:pk>/complaint/", views.PortalComplaintView.as_view(), name="complaint"),
    path("orders/<int:pk>/survey/", views.PortalSurveyView.as_view(), name="survey"),
    path("orders/<int:pk>/accept/", views.PortalAcceptView.as_view(), name="accept"),
    path("orders/<int:pk>/reorder/", views.PortalReorderView.as_view(), name="reorder"),
]
