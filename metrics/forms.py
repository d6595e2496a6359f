"""The dashboard's filters (GET): period, customer, product family, order type, owners."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms

from core import clock
from metrics import selectors
from metrics.kpis import DEFINITIONS
from orders.states import OrderType

DEFAULT_WEEKS = 13
# Longer periods are still answered from the snapshot; this guards against typos (year 20026).
MAX_PERIOD_DAYS = 5 * 366
WHICH_CHOICES = [
    ("all", "All orders measured"),
    ("counted", "Counted in the figure"),
    ("other", "Not counted"),
]


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last 13 weeks: from the Monday 12 weeks before this one, through today."""
    today = today or clock.today()
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=DEFAULT_WEEKS - 1), today


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    customer = forms.ModelChoiceField(queryset=None, required=False, empty_label="All customers")
    family = forms.ChoiceField(label="Product family", required=False)
    order_type = forms.ChoiceField(
        label="Order type", required=False, choices=[("", "All types"), *OrderType.choices]
    )
    owner = UserChoiceField(
        queryset=None, required=False, empty_label="All sales", label="Sales person"
    )
    planner = UserChoiceField(
        queryset=None, required=False, empty_label="All planners", label="Planner"
    )

    def __init__(self, data=None, **kwargs) -> None:
        start, end = default_period()
        if data is not None:
            data = data.copy()
            data.setdefault("start", start.isoformat())
            data.setdefault("end", end.isoformat())
            for name in ("start", "end"):
                if not data.get(name):
                    data[name] = (start if name == "start" else end).isoformat()
        super().__init__(data, **kwargs)
        self.fields["customer"].queryset = selectors.customer_choices()
        self.fields["family"].choices = [
            ("", "All families"),
            *((family, family) for family in selectors.family_choices()),
        ]
        self.fields["owner"].queryset = selectors.owner_choices()
        self.fields["planner"].queryset = selectors.planner_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The period must end on or after its first day.")
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("start", "Choose a period of at most five years.")
        return cleaned

    def filters(self) -> selectors.Filters:
        data = self.cleaned_data
        return selectors.Filters(
            start=data["start"],
            end=data["end"],
            customer_id=data["customer"].pk if data.get("customer") else None,
            family=data.get("family") or "",
            order_type=data.get("order_type") or "",
            owner_id=data["owner"].pk if data.get("owner") else None,
            planner_id=data["planner"].pk if data.get("planner") else None,
        )


class DrillForm(forms.Form):
    which = forms.ChoiceField(choices=WHICH_CHOICES, required=False, label="Show")
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Order, customer or PO number"}
        ),
    )


def figure_known(key: str) -> bool:
    return key in DEFINITIONS
