from django import forms
from django.core.validators import validate_email

from orders.models import ComplaintType, MessageKind


class ChangeRequestForm(forms.Form):
    new_date = forms.DateField(
        label="New delivery date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label="What should change, and why", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_fields = []
        for line in order.lines.all() if order is not None else []:
            name = f"quantity_{line.line_no}"
            self.fields[name] = forms.DecimalField(
                label=f"New quantity for line {line.line_no} ({line.product.name})",
                required=False,
                min_value=0,
            )
            self.line_fields.append((line.line_no, name))

    def quantities(self) -> dict:
        return {
            str(line_no): self.cleaned_data[name]
            for line_no, name in self.line_fields
            if self.cleaned_data.get(name) is not None
        }


class ComplaintForm(forms.Form):
    complaint_type = forms.ChoiceField(label="What is it about", choices=ComplaintType.choices)
    text = forms.CharField(label="What went wrong", widget=forms.Textarea(attrs={"rows": 3}))


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How satisfied are you with this order (1 = not at all, 5 = very)",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(forms.Form):
    note = forms.CharField(label="Note (optional)", required=False)


class ReorderForm(forms.Form):
    pass


class PreferencesForm(forms.Form):
    wanted_kinds = forms.MultipleChoiceField(
        label="Email me about",
        choices=MessageKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extra_emails = forms.CharField(
        label="Also send them to",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Other addresses of your company, one per line or separated by commas.",
    )

    def clean_extra_emails(self) -> list[str]:
        raw = self.cleaned_data["extra_emails"].replace(",", "\n").splitlines()
        emails = [address.strip() for address in raw if address.strip()]
        bad = [address for address in emails if not _valid_email(address)]
        if bad:
            raise forms.ValidationError(f"Not an email address: {', '.join(bad)}.")
        if len(emails) > 10:
            raise forms.ValidationError("At most 10 extra addresses.")
        return emails


def _valid_email(address: str) -> bool:
    try:
        validate_email(address)
    except forms.ValidationError:
        return False
    return True


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Name (what will use it)", max_length=100)
