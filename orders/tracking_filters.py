"""Filters of the tracking screens: the at-risk board, alerts and exceptions."""

from datetime import timedelta

from django import forms
from django.db.models import Exists, OuterRef, Q
from django_filters import CharFilter, ChoiceFilter, FilterSet, ModelChoiceFilter

from core import clock
from orders.models import (
    Alert,
    AlertKind,
    ExceptionStatus,
    ExceptionType,
    OrderException,
    SalesOrder,
    Severity,
)
from orders.selectors import order_search_q
from orders.selectors_tracking import user_roles

# The roles alerts and exceptions are addressed to (config.roles names the groups).
OWNER_ROLES = [
    ("sales", "Sales"),
    ("planner", "Planner"),
    ("quality", "Quality"),
    ("credit", "Credit"),
    ("production", "Production"),
    ("shipping", "Shipping"),
    ("manager", "Manager"),
]


def _search_box(placeholder: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off"}
    )


class AtRiskFilter(FilterSet):
    q = CharFilter(
        method="search", label="Search", widget=_search_box("Order, customer or PO number")
    )
    kind = ChoiceFilter(
        choices=AlertKind.choices, method="by_alert", label="Alert", empty_label="Any alert"
    )
    owner_role = ChoiceFilter(
        choices=OWNER_ROLES, method="by_alert", label="Owner", empty_label="Any owner"
    )

    class Meta:
        model = SalesOrder
        fields = ["q", "kind", "owner_role"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(order_search_q(value))

    def by_alert(self, queryset, name, value):
        alerts = Alert.objects.filter(
            order=OuterRef("pk"), resolved_at__isnull=True, **{name: value}
        )
        return queryset.filter(Exists(alerts))


class AlertFilter(FilterSet):
    kind = ChoiceFilter(choices=AlertKind.choices, label="Kind", empty_label="Any kind")
    severity = ChoiceFilter(choices=Severity.choices, label="Severity", empty_label="Any severity")

    class Meta:
        model = Alert
        fields = ["kind", "severity"]


OWNER_CHOICES = [("me", "Mine"), ("roles", "My roles")]
AGE_CHOICES = [("1", "Older than 1 day"), ("3", "Older than 3 days")]
STATUS_CHOICES = [*ExceptionStatus.choices, ("all", "Open and resolved")]


class ExceptionFilter(FilterSet):
    q = CharFilter(method="search", label="Search", widget=_search_box("Description or order"))
    exception_type = ModelChoiceFilter(
        queryset=ExceptionType.objects.order_by("name"), label="Type", empty_label="Any type"
    )
    owner = ChoiceFilter(
        choices=OWNER_CHOICES, method="by_owner", label="Owner", empty_label="Anyone"
    )
    age = ChoiceFilter(choices=AGE_CHOICES, method="by_age", label="Age", empty_label="Any age")
    status = ChoiceFilter(
        choices=STATUS_CHOICES, method="by_status", label="Status", empty_label=None
    )

    class Meta:
        model = OrderException
        fields = ["q", "exception_type", "owner", "age", "status"]

    def __init__(self, data=None, *args, **kwargs):
        # Open exceptions unless asked otherwise: the list is a to-do list first.
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = ExceptionStatus.OPEN
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(description__icontains=value) | Q(order__number__icontains=value))

    def by_owner(self, queryset, name, value):
        user = self.request.user
        if value == "me":
            return queryset.filter(owner=user)
        if user.is_superuser:
            return queryset
        return queryset.filter(Q(owner=user) | Q(owner_role__in=user_roles(user)))

    def by_age(self, queryset, name, value):
        return queryset.filter(opened_at__lt=clock.now() - timedelta(days=int(value)))

    def by_status(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(status=value)
