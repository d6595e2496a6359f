"""The buyer's forms on a purchase order line: shape only; the services decide."""

from django import forms

DATE = forms.DateInput(attrs={"type": "date"})


class LineForm(forms.Form):
    # The line's version when the page was drawn: a change made since by someone else wins.
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ConfirmForm(LineForm):
    confirmed_date = forms.DateField(label="Confirmed delivery date", widget=DATE)
    supplier_reference = forms.CharField(
        label="Their confirmation number", max_length=60, required=False
    )


class RescheduleForm(LineForm):
    due_date = forms.DateField(label="New due date", widget=DATE)
    reason = forms.CharField(
        label="Why it moves", max_length=300, help_text="e.g. the mill delayed the heat"
    )


class ReceiveForm(LineForm):
    quantity = forms.CharField(label="Quantity received", max_length=20)
    delivery_note = forms.CharField(label="Delivery note number", max_length=60, required=False)


class CancelRestForm(LineForm):
    reason = forms.CharField(label="Why the rest is cancelled", max_length=300)


# action -> (form, button label, the permission it needs)
PURCHASE_ACTIONS = {
    "receive": (ReceiveForm, "Receive", "scheduling.receive_purchaseorder"),
    "confirm": (ConfirmForm, "Record confirmation", "scheduling.change_purchaseorder"),
    "reschedule": (RescheduleForm, "Move the due date", "scheduling.change_purchaseorder"),
    "cancel": (CancelRestForm, "Cancel the rest", "scheduling.change_purchaseorder"),
}
