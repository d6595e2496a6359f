"""The shop floor's one form: how many good and scrapped pieces an operation made."""

from decimal import Decimal

from django import forms


def _quantity_input() -> forms.TextInput:
    # Text, not type=number: a browser would blank a mistyped number, and the operator should
    # see what they typed next to the message. inputmode still brings up the numeric keypad.
    return forms.TextInput(
        attrs={"class": "form-control-lg", "inputmode": "decimal", "autocomplete": "off"}
    )


class FinishForm(forms.Form):
    good_quantity = forms.DecimalField(
        label="Good",
        min_value=0,
        max_digits=14,
        decimal_places=3,
        widget=_quantity_input(),
        error_messages={
            "required": "Enter how many good pieces (0 if none).",
            "invalid": "Enter a number, like 12.",
            "min_value": "Enter 0 or more.",
        },
    )
    scrap_quantity = forms.DecimalField(
        label="Scrapped",
        min_value=0,
        max_digits=14,
        decimal_places=3,
        required=False,
        widget=_quantity_input(),
        error_messages={"invalid": "Enter a number, like 0.", "min_value": "Enter 0 or more."},
    )

    def __init__(self, *args, operation_id: int, **kwargs):
        # Every running operation has its own form on the page: keep the ids unique.
        kwargs.setdefault("auto_id", f"op{operation_id}_%s")
        super().__init__(*args, **kwargs)
        self.operation_id = operation_id

    def clean_scrap_quantity(self) -> Decimal:
        return self.cleaned_data["scrap_quantity"] or Decimal(0)

    def clean(self):
        cleaned = super().clean()
        good, scrap = cleaned.get("good_quantity"), cleaned.get("scrap_quantity")
        if good is not None and scrap is not None and good + scrap == 0:
            self.add_error("good_quantity", "Report at least one good or scrapped piece.")
        return cleaned
