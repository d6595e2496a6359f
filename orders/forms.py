from django import forms

from orders.models import RequirableDocument


class TransitionForm(forms.Form):
    """What a transition button sends: the status the user saw, a note, maybe a date."""

    expected_status = forms.CharField(required=False)
    note = forms.CharField(required=False, max_length=2000)
    promised_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DeliveryRequirementsForm(forms.Form):
    """How the order must be delivered: shown to shipping at packing and carrier choice."""

    partial_shipments_allowed = forms.BooleanField(
        label="Partial shipments allowed",
        required=False,
        help_text="Ship what is made; the rest stays open as a backorder.",
    )
    liftgate_required = forms.BooleanField(
        label="Liftgate required", required=False, help_text="No dock at the site."
    )
    appointment_required = forms.BooleanField(label="Delivery by appointment only", required=False)
    delivery_appointment = forms.DateTimeField(
        label="Booked appointment",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter a date and time, e.g. 2027-01-15 09:30."},
    )
    delivery_window = forms.CharField(
        label="Receiving hours",
        max_length=80,
        required=False,
        help_text="When the site receives goods, e.g. Mon-Fri 7-15h.",
    )
    site_contact = forms.CharField(
        label="Site contact", max_length=120, required=False, help_text="Name and phone number."
    )
    label_instructions = forms.CharField(
        label="Customer labels", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    packing_instructions = forms.CharField(
        label="Packing and marking", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CustomerShippingForm(forms.Form):
    """A customer's standing shipping rules (documents with every shipment, order defaults)."""

    required_documents = forms.MultipleChoiceField(
        label="Documents with every shipment",
        choices=RequirableDocument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The packing list always goes; a commercial invoice goes abroad. Shipping "
        "cannot ship until the documents ticked here exist.",
    )
    accepts_partial_shipments = forms.BooleanField(
        label="Accepts partial shipments",
        required=False,
        help_text="New orders default to shipping what is made and backordering the rest.",
    )
    packing_instructions = forms.CharField(
        label="Packaging and marking", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    label_instructions = forms.CharField(
        label="Customer labels", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
