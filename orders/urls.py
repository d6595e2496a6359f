from django.urls import path

from orders import (
    billing_views,
    blanket_views,
    change_views,
    credit_views,
    delivery_views,
    entry_views,
    tracking_views,
    views,
)

app_name = "orders"
urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="detail"),
    # Order entry (entry_views): the form, its htmx pieces, quotes and the promise.
    path("new/", entry_views.order_new_view, name="new"),
    path("<int:pk>/edit/", entry_views.order_edit_view, name="edit"),
    path("entry/customers/", entry_views.customer_search_view, name="entry_customers"),
    path("entry/customer/", entry_views.customer_block_view, name="entry_customer"),
    path("entry/line/", entry_views.line_add_view, name="entry_line"),
    path("entry/line/product/", entry_views.line_product_view, name="entry_line_product"),
    path("entry/quote/", entry_views.entry_quote_view, name="entry_quote"),
    path("<int:pk>/quote/", entry_views.order_quote_view, name="quote"),
    path("<int:pk>/promise/", entry_views.OrderPromiseView.as_view(), name="promise"),
    path(
        "<int:pk>/transition/<slug:transition>/",
        views.OrderTransitionView.as_view(),
        name="transition",
    ),
    path("<int:pk>/documents/<int:document_id>/", views.document_view, name="document"),
    # Delivery requirements (delivery_views): liftgate, appointment, labels, partial shipments.
    path(
        "<int:pk>/delivery-requirements/",
        delivery_views.delivery_requirements_view,
        name="delivery_requirements",
    ),
    path(
        "customers/<int:customer_id>/shipping/",
        delivery_views.customer_shipping_view,
        name="customer_shipping",
    ),
    # Invoices and payments (billing_views).
    path("invoices/", billing_views.invoice_list_view, name="invoice_list"),
    path("invoices/<int:pk>/", billing_views.invoice_detail_view, name="invoice_detail"),
    path("invoices/<int:pk>/payments/", billing_views.payment_record_view, name="payment_record"),
    path("blankets/", blanket_views.blanket_list_view, name="blanket_list"),
    path("blankets/new/", blanket_views.blanket_new_view, name="blanket_new"),
    path("blankets/<int:pk>/", blanket_views.blanket_detail_view, name="blanket_detail"),
    path(
        "<int:pk>/credit/release/", credit_views.CreditReleaseView.as_view(), name="credit_release"
    ),
    path("<int:pk>/deposits/", credit_views.DepositRecordView.as_view(), name="deposit_record"),
    path("<int:pk>/repromise/", credit_views.RepromiseView.as_view(), name="repromise"),
    path(
        "<int:pk>/clarifications/",
        credit_views.ClarificationOpenView.as_view(),
        name="clarification_open",
    ),
    path(
        "<int:pk>/clarifications/<int:clarification_id>/answer/",
        credit_views.ClarificationAnswerView.as_view(),
        name="clarification_answer",
    ),
    path(
        "<int:pk>/acknowledgment/resend/",
        views.acknowledgment_resend_view,
        name="acknowledgment_resend",
    ),
    # Tracking (tracking_views): at-risk board, alerts, exceptions, notifications.
    path("at-risk/", tracking_views.AtRiskBoardView.as_view(), name="at_risk"),
    path("alerts/", tracking_views.AlertListView.as_view(), name="alerts"),
    path("exceptions/", tracking_views.ExceptionListView.as_view(), name="exception_list"),
    path("exceptions/new/", tracking_views.exception_new_view, name="exception_new"),
    path("exceptions/<int:pk>/", tracking_views.exception_detail_view, name="exception_detail"),
    path("exceptions/<int:pk>/take/", tracking_views.exception_take_view, name="exception_take"),
    path(
        "exceptions/<int:pk>/resolve/",
        tracking_views.exception_resolve_view,
        name="exception_resolve",
    ),
    path("notifications/", tracking_views.NotificationListView.as_view(), name="notifications"),
    path("notifications/bell/", tracking_views.notifications_bell_view, name="notifications_bell"),
    path(
        "notifications/read-all/",
        tracking_views.notifications_read_all_view,
        name="notifications_read_all",
    ),
    path("<int:pk>/expedite/", tracking_views.OrderExpediteView.as_view(), name="expedite"),
    path(
        "<int:pk>/delay-notices/<int:notice_id>/approve/",
        tracking_views.DelayNoticeApproveView.as_view(),
        name="delay_notice_approve",
    ),
    # Change requests (change_views): the request, its impact while analysed, the decision.
    path("<int:pk>/changes/new/", change_views.change_request_new_view, name="change_request_new"),
    path(
        "<int:pk>/changes/<int:change_request_id>/",
        change_views.change_request_detail_view,
        name="change_request_detail",
    ),
    path(
        "<int:pk>/changes/<int:change_request_id>/accept/",
        change_views.change_request_accept_view,
        name="change_request_accept",
    ),
    path(
        "<int:pk>/changes/<int:change_request_id>/reject/",
        change_views.change_request_reject_view,
        name="change_request_reject",
    ),
    path(
        "<int:pk>/changes/<int:change_request_id>/analyse/",
        change_views.change_request_reanalyse_view,
        name="change_request_reanalyse",
    ),
]
