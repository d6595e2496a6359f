"""Forms of the quality pages: they check shape; the services decide pass or fail."""

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
