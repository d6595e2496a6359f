from django import forms
from django.db.models import F
from django_filters import (
    CharFilter,
    ChoiceFilter,
    DateFilter,
    FilterSet,
    OrderingFilter,
)

from orders.models import SalesOrder
from orders.selectors import order_search_q
from orders.states import FINISHED, OPEN, OrderStatus, OrderType

STATUS_GROUPS = {"open": OPEN, "finished": FINISHED}
STATUS_CHOICES = [
    ("open", "All open"),
    ("finished", "Delivered, closed or cancelled"),
    *OrderStatus.choices,
]

DATE_FIELDS = [
    ("created_at__date", "Entered"),
    ("requested_date", "Requested"),
    ("promised_date", "Promised"),
]


class NullsLastOrderingFilter(OrderingFilter):
    """Orders without a date (not yet promised) sort after the dated ones, either way."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        ordering = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        return ordering


class OrderFilter(FilterSet):
    q = CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Order, customer or PO number",
                "autocomplete": "off",
            }
        ),
    )
    status = ChoiceFilter(choices=STATUS_CHOICES, method="by_status", empty_label="Any status")
    order_type = ChoiceFilter(choices=OrderType.choices, label="Type", empty_label="Any type")
    date_field = ChoiceFilter(
        choices=DATE_FIELDS, method="noop", label="Date", empty_label=None, initial="promised_date"
    )
    date_from = DateFilter(
        method="date_range", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = DateFilter(
        method="date_range", label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = NullsLastOrderingFilter(
        fields=[
            ("number", "number"),
            ("customer__name", "customer"),
            ("created_at", "entered"),
            ("requested_date", "requested"),
            ("promised_date", "promised"),
            ("status", "status"),
        ],
        label="Sort",
    )

    class Meta:
        model = SalesOrder
        fields = ["q", "status", "order_type"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(order_search_q(value))

    def by_status(self, queryset, name, value):
        return queryset.filter(status__in=STATUS_GROUPS.get(value, [value]))

    def noop(self, queryset, name, value):
        return queryset

    def date_range(self, queryset, name, value):
        field = self.form.cleaned_data.get("date_field") or "promised_date"
        if field not in dict(DATE_FIELDS):
            return queryset
        lookup = "gte" if name == "date_from" else "lte"
        return queryset.filter(**{f"{field}__{lookup}": value})
