"""Forms of the quality and packing pages (the delivery page's are in ``.delivery``).

They check shape; the services decide.
"""

from decimal import Decimal

from django import forms
from django.utils.dateparse import parse_datetime

from fulfillment.models import Disposition
from fulfillment.selectors import ChecklistEntry
from fulfillment.services import ItemResult

CHECK_CHOICES = [("pass", "Pass"), ("fail", "Fail")]


class InspectionForm(forms.Form):
    """One measured value (or pass/fail) and a remark per checklist entry."""

    # When the page was opened; a garbled value only loses the start time, never the inspection.
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, checklist: list[ChecklistEntry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for entry in checklist:
            if entry.kind == "dimension":
                self.fields[f"{entry.key}__value"] = forms.DecimalField(
                    label=entry.label,
                    max_digits=14,
                    decimal_places=4,
                    error_messages={
                        "required": "Enter the measured value.",
                        "invalid": "Enter a number, e.g. 120.02.",
                    },
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            else:
                self.fields[f"{entry.key}__value"] = forms.ChoiceField(
                    label=entry.label,
                    choices=CHECK_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose pass or fail."},
                )
            self.fields[f"{entry.key}__remark"] = forms.CharField(
                label="Remark", required=False, max_length=200
            )

    def rows(self) -> list[dict]:
        """The checklist with its bound fields, for the template."""
        return [
            {
                "entry": entry,
                "value": self[f"{entry.key}__value"],
                "remark": self[f"{entry.key}__remark"],
            }
            for entry in self.checklist
        ]

    def clean_started(self):
        try:
            return parse_datetime(self.cleaned_data.get("started") or "")
        except ValueError:
            return None

    def clean(self):
        cleaned = super().clean()
        for entry in self.checklist:
            value = cleaned.get(f"{entry.key}__value")
            if (
                entry.kind == "check"
                and value == "fail"
                and not cleaned.get(f"{entry.key}__remark")
            ):
                self.add_error(f"{entry.key}__remark", "Say what is wrong.")
        return cleaned

    def results(self) -> dict[str, ItemResult]:
        data = self.cleaned_data
        results = {}
        for entry in self.checklist:
            value = data.get(f"{entry.key}__value")
            remark = data.get(f"{entry.key}__remark", "")
            if entry.kind == "dimension":
                results[entry.key] = ItemResult(measured=value, remark=remark)
            else:
                results[entry.key] = ItemResult(passed=value == "pass", remark=remark)
        return results


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        choices=Disposition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a disposition."},
    )
    deviation_reference = forms.CharField(
        label="Customer deviation approval", required=False, max_length=60
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("disposition") == Disposition.USE_AS_IS
            and not cleaned.get("deviation_reference", "").strip()
        ):
            self.add_error(
                "deviation_reference",
                "Using it as is needs the customer's deviation approval reference.",
            )
        return cleaned


# --- Packing, carriers and backorders -------------------------------------------------------

SIZE_ERRORS = {
    "required": "Enter a size in cm.",
    "invalid": "Enter a number, e.g. 60 or 42.5.",
    "min_value": "Must be more than zero.",
    "max_digits": "Too large for a package.",
    "max_whole_digits": "Too large for a package.",
    "max_decimal_places": "Use at most one decimal.",
}


def _size_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=7,
        decimal_places=1,
        min_value=Decimal("0.1"),
        error_messages=SIZE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )


class PackageForm(forms.Form):
    """One package: packaging, size, weight, marks, and a quantity per line still to pack."""

    packaging = forms.CharField(
        max_length=40, initial="Carton", error_messages={"required": "Carton, pallet, crate ..."}
    )
    length_cm = _size_field("Length (cm)")
    width_cm = _size_field("Width (cm)")
    height_cm = _size_field("Height (cm)")
    weight_kg = forms.DecimalField(
        label="Weight (kg)",
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": "Enter the weight in kg.",
            "invalid": "Enter a number, e.g. 18.5.",
            "min_value": "Must be more than zero.",
            "max_digits": "Too heavy for one package.",
            "max_whole_digits": "Too heavy for one package.",
            "max_decimal_places": "Use at most two decimals.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    marks = forms.CharField(label="Marks", max_length=200, required=False)

    def __init__(self, *args, rows, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.to_ship > 0]
        for row in self.rows:
            self.fields[f"line_{row.line.pk}"] = forms.DecimalField(
                label=f"Line {row.line.line_no}",
                required=False,
                max_digits=12,
                decimal_places=3,
                min_value=Decimal(0),
                error_messages={
                    "invalid": "Enter a quantity, e.g. 10.",
                    "min_value": "A quantity cannot be negative.",
                    "max_digits": "Too large.",
                    "max_whole_digits": "Too large.",
                    "max_decimal_places": "Use at most three decimals.",
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )

    def line_fields(self) -> list[tuple]:
        return [(row, self[f"line_{row.line.pk}"]) for row in self.rows]

    def clean(self):
        cleaned = super().clean()
        if (
            self.rows
            and not any(cleaned.get(f"line_{row.line.pk}") for row in self.rows)
            and not any(f"line_{row.line.pk}" in self.errors for row in self.rows)
        ):
            self.add_error(None, "Put at least one line's quantity in the package.")
        return cleaned

    def package_input(self):
        from fulfillment.services import PackageInput

        data = self.cleaned_data
        return PackageInput(
            packaging=data["packaging"],
            length_cm=data["length_cm"],
            width_cm=data["width_cm"],
            height_cm=data["height_cm"],
            weight_kg=data["weight_kg"],
            marks=data.get("marks", ""),
            contents=tuple(
                (row.line.pk, data[f"line_{row.line.pk}"])
                for row in self.rows
                if data.get(f"line_{row.line.pk}")
            ),
        )


class BackorderCancelForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the backorder is cancelled."},
    )
