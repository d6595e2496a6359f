"""Search, filter and sort for the planning lists (django-filter FilterSets)."""

import re
from datetime import date, timedelta

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django_filters import CharFilter, ChoiceFilter, Filter, FilterSet, OrderingFilter

from scheduling.models import (
    ACTIVE_WORK,
    Item,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    WorkOrder,
    WorkOrderStatus,
)
from scheduling.selectors.purchasing import late_purchase_orders

MAX_WEEKS = 26
DEFAULT_WEEKS = 12


def item_search(queryset: QuerySet, value: str) -> QuerySet:
    """Rows whose item (or the item itself) matches a code or a name."""
    value = value.strip()
    if not value:
        return queryset
    prefix = "" if queryset.model is Item else "item__"
    return queryset.filter(
        Q(**{f"{prefix}code__icontains": value}) | Q(**{f"{prefix}name__icontains": value})
    )


def search_input(placeholder: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off"}
    )


def _with_default(data, **defaults) -> QueryDict:
    """The request's parameters with a default for each missing one, so lists start filtered."""
    data = data.copy() if data is not None else QueryDict(mutable=True)
    for name, value in defaults.items():
        if not data.get(name):
            data[name] = value
    return data


class IsoWeekField(forms.CharField):
    """An ISO week as the browser's week picker sends it ("2026-W49"), cleaned to its Monday."""

    widget = forms.TextInput(attrs={"type": "week", "placeholder": "2026-W49"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", value.strip(), re.IGNORECASE)
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except (TypeError, ValueError) as error:
            raise forms.ValidationError("Enter a week like 2026-W49.") from error


class IsoWeekFilter(Filter):
    field_class = IsoWeekField


class ItemSearchFilter(FilterSet):
    """One search box over anything that has an item (shortages, suggestions, planned work)."""

    q = CharFilter(method="search", label="Item", widget=search_input("Item code or name"))

    def search(self, queryset, name, value):
        return item_search(queryset, value)


class MpsFilter(ItemSearchFilter):
    """Items with demand, and the window of ISO weeks shown for them."""

    week_from = IsoWeekFilter(method="noop", label="From week")
    week_to = IsoWeekFilter(method="noop", label="To week")

    def noop(self, queryset, name, value):
        return queryset

    def weeks(self, *, today: date) -> list[date]:
        """The Mondays of the weeks to show: this week and the next eleven unless chosen."""
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        first = cleaned.get("week_from") or today - timedelta(days=today.weekday())
        last = cleaned.get("week_to") or first + timedelta(weeks=DEFAULT_WEEKS - 1)
        first, last = min(first, last), max(first, last)
        count = min((last - first).days // 7 + 1, MAX_WEEKS)
        return [first + timedelta(weeks=n) for n in range(count)]


STATUS_GROUPS = {
    "active": list(ACTIVE_WORK),
    "finished": [WorkOrderStatus.DONE, WorkOrderStatus.CLOSED],
}
WORK_ORDER_STATUS_CHOICES = [
    ("active", "Active (firm, released, running)"),
    ("finished", "Done or closed"),
    *WorkOrderStatus.choices,
    ("all", "Any status"),
]


class WorkOrderFilter(FilterSet):
    q = CharFilter(
        method="search",
        label="Search",
        widget=search_input("Work order, item or order number"),
    )
    status = ChoiceFilter(
        choices=WORK_ORDER_STATUS_CHOICES, method="by_status", label="Status", empty_label=None
    )
    sort = OrderingFilter(
        fields=[
            ("due_date", "due"),
            ("number", "number"),
            ("item__code", "item"),
            ("status", "status"),
        ],
        label="Sort",
    )

    class Meta:
        model = WorkOrder
        fields = ["q", "status"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_with_default(data, status="active"), *args, **kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(item__code__icontains=value)
            | Q(item__name__icontains=value)
            # Pegging: "SO-000123" finds work for any line of that order.
            | Q(demand_refs__icontains=value)
        )

    def by_status(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(status__in=STATUS_GROUPS.get(value, [value]))


PURCHASE_STATUS_CHOICES = [
    ("open", "Open"),
    ("late", "Late: goods overdue"),
    ("current", "Open and received"),
    ("received", "Received"),
    ("cancelled", "Cancelled"),
    ("all", "Any status"),
]


class PurchaseOrderFilter(FilterSet):
    q = CharFilter(
        method="search", label="Search", widget=search_input("PO number, supplier or item")
    )
    status = ChoiceFilter(
        choices=PURCHASE_STATUS_CHOICES, method="by_status", label="Status", empty_label=None
    )
    supplier = ChoiceFilter(method="by_supplier", label="Supplier", empty_label="Any supplier")
    sort = OrderingFilter(
        fields=[
            ("next_due", "due"),
            ("number", "number"),
            ("supplier", "supplier"),
            ("created_at", "created"),
        ],
        label="Sort",
    )

    class Meta:
        model = PurchaseOrder
        fields = ["q", "status"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_with_default(data, status="open"), *args, **kwargs)
        suppliers = (
            PurchaseOrder.objects.order_by("supplier").values_list("supplier", flat=True).distinct()
        )
        self.filters["supplier"].extra["choices"] = [(name, name) for name in suppliers]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A subquery, not a join, so an order with two matching lines is listed once.
        line_matches = PurchaseOrderLine.objects.filter(
            Q(item__code__icontains=value) | Q(item__name__icontains=value),
            purchase_order=OuterRef("pk"),
        )
        return queryset.filter(
            Q(number__icontains=value) | Q(supplier__icontains=value) | Exists(line_matches)
        )

    def by_supplier(self, queryset, name, value):
        return queryset.filter(supplier=value) if value else queryset

    def by_status(self, queryset, name, value):
        if value == "all":
            return queryset
        if value == "late":
            return late_purchase_orders(queryset)
        if value == "current":
            return queryset.filter(
                status__in=[PurchaseOrderStatus.OPEN, PurchaseOrderStatus.RECEIVED]
            )
        return queryset.filter(status=value)
