"""Forms of the delivery page: tracking events, proof of delivery, reports, closing."""

from django import forms

from core import clock
from fulfillment.models import ReportKind, ReportResolution, TrackingEventCode

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_POD_BYTES = 10 * 1024 * 1024


class TrackingEventForm(forms.Form):
    code = forms.ChoiceField(label="Event", choices=TrackingEventCode.choices)
    occurred_at = forms.DateTimeField(
        label="When", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    location = forms.CharField(max_length=120, required=False)
    description = forms.CharField(max_length=200, required=False)
    signed_by = forms.CharField(
        label="Signed for by", max_length=120, required=False, help_text="For a delivery."
    )


class DeliveryForm(forms.Form):
    received_by = forms.CharField(
        max_length=120,
        help_text="The name on the proof of delivery.",
        error_messages={"required": "Enter who received the goods."},
    )
    delivered_at = forms.DateTimeField(
        label="Delivered at", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    note = forms.CharField(max_length=200, required=False)
    pod_file = forms.FileField(
        label="Signed delivery note (scan or photo)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("delivered_at", clock.localtime().replace(second=0))

    def clean_pod_file(self):
        upload = self.cleaned_data.get("pod_file")
        if upload and upload.size > MAX_POD_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        if upload and not (
            upload.content_type == "application/pdf" or upload.content_type.startswith("image/")
        ):
            raise forms.ValidationError("Upload a PDF or an image.")
        return upload


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="What is wrong", choices=ReportKind.choices)
    shipment = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    line = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    quantity = forms.DecimalField(min_value=0.001, decimal_places=3, required=False)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Describe what was found."},
    )
    # Set when the report records a customer's complaint from the portal.
    complaint = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, shipments: list, lines: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shipment"].choices = [("", "—")] + [(s.pk, s.number) for s in shipments]
        self.fields["line"].choices = [("", "Whole order")] + [
            (line.pk, f"{line.line_no} · {line.product.name}") for line in lines
        ]


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        choices=ReportResolution.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it is resolved."},
    )
    replacement_quantity = forms.DecimalField(
        label="Quantity to replace", min_value=0.001, decimal_places=3, required=False
    )
    credit_amount = forms.DecimalField(
        label="Amount to credit", min_value=0.01, decimal_places=2, required=False
    )
    note = forms.CharField(
        label="What the customer is told", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, can_credit: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_credit:
            # Only credit issues credit notes: others are not offered one.
            self.fields["resolution"].choices = [
                choice
                for choice in ReportResolution.choices
                if choice[0] != ReportResolution.CREDIT_NOTE
            ]
            del self.fields["credit_amount"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolution") == ReportResolution.CREDIT_NOTE and not cleaned.get(
            "credit_amount"
        ):
            self.add_error("credit_amount", "Enter the amount to credit.")
        return cleaned


class CloseForm(forms.Form):
    note = forms.CharField(max_length=500, required=False)
