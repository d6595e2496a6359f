"""The order entry screen's forms: the header, and a formset of lines with their spec fields.

Forms check shape (numbers are numbers, the ship-to is the customer's); business rules (who may
change payment terms, what a line may hold) are the services'. Each form runs in one of three
modes: ``draft`` (incomplete allowed), ``submit`` (complete, every required spec) and
``quote`` (only what a delivery date needs).
"""

import json
from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.urls import reverse

from core import clock
from orders.models import Address, Customer, Product
from orders.services.entry import (
    EntryLine,
    NewShipTo,
    OrderEntry,
    blanket_agreements_open,
    entry_products,
    ship_to_addresses,
)
from orders.specs import spec_errors
from orders.states import OrderType, PaymentTerms

DRAFT, SUBMIT, QUOTE = "draft", "submit", "quote"
NEW_SHIP_TO = "new"
DIMENSION_PARTS = (("nominal", "nominal"), ("tol_plus", "+ tol"), ("tol_minus", "\u2212 tol"))
SMALL = {"class": "form-control form-control-sm"}


def _number(value: str) -> int | float:
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _finite(value: str) -> str:
    """``value`` as typed, or a marker that reads as "not a number" for NaN and infinity."""
    try:
        return value if Decimal(value).is_finite() else "not a number"
    except ArithmeticError:
        return value


def product_choices(products: Iterable[Product]) -> list:
    """Choices for a product select, grouped by family (``<optgroup>``)."""
    groups: dict[str, list] = {}
    for product in products:
        groups.setdefault(product.family or "Other", []).append(
            (str(product.pk), f"{product.sku} · {product.name}")
        )
    return [("", "Choose a product…"), *groups.items()]


class OrderEntryForm(forms.Form):
    customer = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a customer.", "invalid": "Choose a customer."},
    )
    customer_query = forms.CharField(required=False, label="Customer")
    ship_to = forms.ChoiceField(required=False, label="Ship to")
    ship_name = forms.CharField(required=False, max_length=200, label="Name")
    ship_line1 = forms.CharField(required=False, max_length=200, label="Street")
    ship_city = forms.CharField(required=False, max_length=100, label="City")
    ship_postal_code = forms.CharField(required=False, max_length=20, label="Postal code")
    ship_region = forms.CharField(required=False, max_length=50, label="Region")
    ship_country = forms.CharField(
        required=False, max_length=2, min_length=2, label="Country", initial="US"
    )
    customer_po = forms.CharField(required=False, max_length=60, label="Customer PO number")
    order_type = forms.ChoiceField(choices=OrderType.choices, label="Order type")
    requested_date = forms.DateField(
        required=False,
        label="Requested delivery date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    payment_terms = forms.ChoiceField(
        choices=PaymentTerms.choices, required=False, label="Payment terms"
    )
    blanket = forms.ChoiceField(required=False, label="Blanket agreement")
    entry_token = forms.UUIDField(required=False, widget=forms.HiddenInput)
    loaded_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, mode: str = DRAFT, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)
        self.customer_obj = self._customer()
        if self.customer_obj is not None and not self.is_bound:
            self.initial["customer"] = self.customer_obj.pk
        self.fields["ship_region"].widget.attrs["list"] = "entry-regions"
        self.addresses = ship_to_addresses(customer=self.customer_obj)
        self.agreements = blanket_agreements_open(customer=self.customer_obj)
        self.fields["blanket"].choices = [
            ("", "Not a blanket release"),
            *(
                (str(a.pk), f"{a.number} · {a.product.sku} · to {a.valid_to:%a %-d %b %Y}")
                for a in self.agreements
            ),
        ]
        self.fields["ship_to"].choices = [
            ("", "Choose a ship-to address…"),
            *((str(a.pk), str(a)) for a in self.addresses),
            (NEW_SHIP_TO, "New ship-to address…"),
        ]

    def _customer(self) -> Customer | None:
        raw = self.data.get(self.add_prefix("customer")) if self.is_bound else None
        if raw is None:
            raw = self.initial.get("customer")
        if isinstance(raw, Customer):
            return raw
        try:
            return Customer.objects.get(pk=int(raw))
        except (TypeError, ValueError, Customer.DoesNotExist):
            return None

    @property
    def payment_terms_label(self) -> str:
        value = self["payment_terms"].value() or (
            self.customer_obj.payment_terms if self.customer_obj else ""
        )
        return PaymentTerms(value).label if value in PaymentTerms.values else ""

    @property
    def new_ship_to_open(self) -> bool:
        return self["ship_to"].value() == NEW_SHIP_TO

    def clean_customer(self) -> Customer:
        if self.customer_obj is None:
            raise forms.ValidationError("Choose a customer from the list.")
        return self.customer_obj

    def clean_requested_date(self):
        requested = self.cleaned_data["requested_date"]
        if requested is None and self.mode == SUBMIT:
            raise forms.ValidationError("Enter the requested delivery date.")
        if requested is not None and self.mode != QUOTE and requested < clock.today():
            raise forms.ValidationError("The requested date is in the past.")
        return requested

    def clean(self):
        data = super().clean()
        chosen = data.get("blanket") or ""
        data["blanket_agreement"] = next((a for a in self.agreements if str(a.pk) == chosen), None)
        if data.get("order_type") != OrderType.BLANKET_RELEASE:
            data["blanket_agreement"] = None
        elif data["blanket_agreement"] is None and self.mode == SUBMIT:
            self.add_error("blanket", "Choose the agreement this release draws from.")
        choice = data.get("ship_to") or ""
        data["ship_to_address"], data["new_ship_to"] = None, None
        if choice == NEW_SHIP_TO:
            data["new_ship_to"] = self._new_ship_to(data)
        elif choice:
            data["ship_to_address"] = next((a for a in self.addresses if str(a.pk) == choice), None)
            if data["ship_to_address"] is None:
                self.add_error("ship_to", "Choose one of this customer's ship-to addresses.")
        elif self.mode == SUBMIT:
            self.add_error("ship_to", "Choose a ship-to address or add a new one.")
        return data

    def _new_ship_to(self, data: dict) -> NewShipTo | None:
        required = {
            "ship_name": "Enter the site or department name.",
            "ship_line1": "Enter the street.",
            "ship_city": "Enter the city.",
            "ship_region": "Enter the region (it decides the transit days).",
            "ship_country": "Enter the two-letter country code.",
        }
        missing = False
        for name, message in required.items():
            if not (data.get(name) or "").strip() and name not in self.errors:
                if self.mode != QUOTE:
                    self.add_error(name, message)
                missing = True
        if missing:
            return None
        return NewShipTo(
            name=data["ship_name"],
            line1=data["ship_line1"],
            city=data["ship_city"],
            postal_code=data.get("ship_postal_code") or "",
            region=data["ship_region"],
            country=data["ship_country"].upper(),
        )

    def quote_address(self) -> Address | None:
        """The ship-to as far as a quote needs it (its region), saved or not."""
        data = getattr(self, "cleaned_data", {})
        if data.get("ship_to_address"):
            return data["ship_to_address"]
        region = (self.data.get(self.add_prefix("ship_region")) or "").strip()
        if self["ship_to"].value() == NEW_SHIP_TO and region:
            return Address(region=region)
        return None


class EntryLineForm(forms.Form):
    """One order line; spec fields are added from the chosen product's spec template."""

    # A blank or removed row must not stop the browser from sending the form.
    use_required_attribute = False

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    product = forms.ChoiceField(
        label="Product",
        error_messages={
            "required": "Choose a product.",
            "invalid_choice": "That product cannot be ordered.",
        },
    )
    quantity = forms.DecimalField(
        max_digits=12,
        decimal_places=3,
        label="Quantity",
        error_messages={"required": "Enter a quantity.", "invalid": "Enter a number."},
        widget=forms.NumberInput(attrs={**SMALL, "step": "any", "min": "0"}),
    )
    unit = forms.ChoiceField(required=False, label="Unit")
    unit_price = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        min_value=0,
        label="Unit price",
        error_messages={"invalid": "Enter a price."},
        widget=forms.NumberInput(attrs={**SMALL, "step": "0.01", "min": "0"}),
    )

    def __init__(
        self, *args, products: dict[int, Product], choices: list, mode: str = DRAFT, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        self.products = products
        self.fields["product"].choices = choices
        # Choosing a product swaps in its unit, price and spec fields (htmx).
        self.fields["product"].widget.attrs.update(
            {
                "class": "form-select form-select-sm",
                "hx-get": reverse("orders:entry_line_product"),
                "hx-target": f"#{self.prefix}-specs",
                "hx-vals": json.dumps({"prefix": self.prefix}),
            }
        )
        self.fields["unit"].widget.attrs.update({"class": "form-select form-select-sm"})
        self.chosen_product = self._product()
        units = self.chosen_product.units if self.chosen_product else []
        self.fields["unit"].choices = [(u, u) for u in units] or [("", "—")]
        self.spec_error_map: dict[str, str] = {}
        self._add_spec_fields()

    def _product(self) -> Product | None:
        raw = self.data.get(self.add_prefix("product")) if self.is_bound else None
        if raw is None:
            raw = self.initial.get("product")
        try:
            return self.products.get(int(getattr(raw, "pk", raw)))
        except (TypeError, ValueError):
            return None

    def _add_spec_fields(self) -> None:
        if self.chosen_product is None:
            return
        initial = self.initial.get("specs") or {}
        for spec in self.chosen_product.spec_template:
            key, kind = spec["key"], spec.get("type", "text")
            value = initial.get(key)
            if kind == "dimension":
                value = value if isinstance(value, dict) else {}
                for part, label in DIMENSION_PARTS:
                    aria = f"{spec.get('label', key)} {label}"
                    self.fields[f"spec__{key}__{part}"] = forms.CharField(
                        required=False,
                        label=label,
                        initial=value.get(part),
                        widget=forms.NumberInput(
                            attrs={**SMALL, "step": "any", "aria-label": aria}
                        ),
                    )
            elif kind == "choice":
                self.fields[f"spec__{key}"] = forms.ChoiceField(
                    required=False,
                    label=spec.get("label", key),
                    initial=value,
                    choices=[("", "—"), *((c, c) for c in spec.get("choices", []))],
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
            else:
                self.fields[f"spec__{key}"] = forms.CharField(
                    required=False,
                    label=spec.get("label", key),
                    initial=value,
                    max_length=500,
                    widget=forms.TextInput(attrs=SMALL),
                )

    @property
    def spec_rows(self) -> list[dict]:
        """What the template draws for each spec field, with its error beside it."""
        if self.chosen_product is None:
            return []
        rows = []
        for spec in self.chosen_product.spec_template:
            key, kind = spec["key"], spec.get("type", "text")
            if kind == "dimension":
                bound = [self[f"spec__{key}__{part}"] for part, _label in DIMENSION_PARTS]
            else:
                bound = [self[f"spec__{key}"]]
            rows.append(
                {
                    "key": key,
                    "label": spec.get("label", key),
                    "type": kind,
                    "unit": spec.get("unit", ""),
                    "required": self.chosen_product.is_configurable or spec.get("required", False),
                    "fields": bound,
                    "error": self.spec_error_map.get(key, ""),
                }
            )
        return rows

    def _raw_specs(self) -> dict:
        specs = {}
        for spec in self.chosen_product.spec_template:
            key = spec["key"]
            if spec.get("type", "text") == "dimension":
                parts = {
                    part: (self.data.get(self.add_prefix(f"spec__{key}__{part}")) or "").strip()
                    for part, _label in DIMENSION_PARTS
                }
                if any(parts.values()):
                    specs[key] = {part: _finite(value) for part, value in parts.items() if value}
            else:
                value = (self.data.get(self.add_prefix(f"spec__{key}")) or "").strip()
                if value:
                    specs[key] = value
        return specs

    def clean_product(self) -> Product:
        if self.chosen_product is None:
            raise forms.ValidationError("Choose a product.")
        return self.chosen_product

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity is not None and quantity <= 0:
            raise forms.ValidationError("Enter a quantity above zero.")
        return quantity

    def clean(self):
        data = super().clean()
        product = self.chosen_product
        if product is None:
            return data
        data["unit"] = data.get("unit") or product.unit
        if data["unit"] not in product.units:
            self.add_error("unit", f"Choose {' or '.join(product.units)}.")
        if self.mode == QUOTE:
            return data
        raw = self._raw_specs()
        errors = spec_errors(
            product.spec_template,
            raw,
            require_all=product.is_configurable,
            enforce_required=self.mode == SUBMIT,
        )
        for key, message in errors.items():
            self.spec_error_map[key] = message
            names = [
                name
                for name in self.fields
                if name == f"spec__{key}" or name.startswith(f"spec__{key}__")
            ]
            for name in names:
                css = self.fields[name].widget.attrs.get("class", "")
                self.fields[name].widget.attrs["class"] = f"{css} is-invalid"
            # On a field too, so that the form is invalid; the template shows the map.
            self.add_error(names[0], message)
        if not errors:
            data["specs"] = {
                key: {part: _number(v) for part, v in value.items()}
                if isinstance(value, dict)
                else value
                for key, value in raw.items()
            }
        return data

    def entry_line(self) -> EntryLine:
        data = self.cleaned_data
        return EntryLine(
            product=data["product"],
            quantity=data["quantity"],
            unit=data["unit"],
            unit_price=data.get("unit_price"),
            specs=data.get("specs", {}),
            line_id=data.get("id"),
        )


class BaseEntryLineFormSet(BaseFormSet):
    def __init__(self, *args, products: list[Product], mode: str = DRAFT, **kwargs) -> None:
        self.mode = mode
        self.product_map = {product.pk: product for product in products}
        self.choices = product_choices(products)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"products": self.product_map, "choices": self.choices, "mode": self.mode}

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.update({"class": "d-none", "data-delete": ""})

    def live_forms(self) -> list[EntryLineForm]:
        """Forms the user filled in and did not remove."""
        return [
            form
            for index, form in enumerate(self.forms)
            if index < self.initial_form_count() or form.has_changed()
            if not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self) -> None:
        if any(self.errors) or self.mode != SUBMIT:
            return
        if not any(form.cleaned_data.get("product") for form in self.live_forms()):
            raise forms.ValidationError("Add at least one line.")

    def entry_lines(self) -> tuple[EntryLine, ...]:
        return tuple(form.entry_line() for form in self.live_forms())


EntryLineFormSet = formset_factory(
    EntryLineForm, formset=BaseEntryLineFormSet, extra=0, can_delete=True
)
LINES_PREFIX = "lines"


def line_formset(
    data=None,
    *,
    mode: str = DRAFT,
    initial: list[dict] | None = None,
    include_product_ids: Iterable[int] = (),
    extra: int = 0,
) -> BaseEntryLineFormSet:
    """The lines formset; ``include_product_ids``: products of the order, even if retired."""
    formset = EntryLineFormSet(
        data,
        prefix=LINES_PREFIX,
        initial=initial,
        products=entry_products(include_ids=include_product_ids),
        mode=mode,
    )
    formset.extra = extra
    return formset


class PromiseForm(forms.Form):
    """The order page's acknowledge form: the promise, and a manager's reason to beat the quote."""

    expected_status = forms.CharField(required=False)
    note = forms.CharField(required=False, max_length=2000)
    promised_date = forms.DateField(required=False)
    override_reason = forms.CharField(required=False, max_length=500)


def order_entry(form: OrderEntryForm, formset: BaseEntryLineFormSet) -> OrderEntry:
    """The valid form and formset as the services take them."""
    data = form.cleaned_data
    return OrderEntry(
        customer=data["customer"],
        lines=formset.entry_lines(),
        order_type=data["order_type"],
        ship_to=data["ship_to_address"],
        new_ship_to=data["new_ship_to"],
        customer_po=data.get("customer_po") or "",
        requested_date=data.get("requested_date"),
        payment_terms=data.get("payment_terms") or "",
        blanket=data.get("blanket_agreement"),
    )
