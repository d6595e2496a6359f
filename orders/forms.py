from django import forms


class TransitionForm(forms.Form):
    """What a transition button sends: the status the user saw, a note, maybe a date."""

    expected_status = forms.CharField(required=False)
    note = forms.CharField(required=False, max_length=2000)
    promised_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
