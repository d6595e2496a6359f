"""The capacity board's move form and the plan-run filter."""

from django import forms

from scheduling.models import PlanRunStatus, WorkCenter


class MoveForm(forms.Form):
    """Move a job on the capacity board: what a drop (or the keyboard's Move… form) sends."""

    operation_key = forms.CharField(max_length=80, widget=forms.HiddenInput, label="Job")
    work_center = forms.ModelChoiceField(
        queryset=WorkCenter.objects.all(), empty_label=None, label="Work center"
    )
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    # The job's version when the board was drawn: a move made since by someone else wins.
    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Your board is out of date; reload it and move the job again.",
            "invalid": "Your board is out of date; reload it and move the job again.",
        },
    )

    def limit_work_centers(self, work_centers) -> None:
        """Offer only the work centers that can take this job (after validation, for display)."""
        self.fields["work_center"].queryset = WorkCenter.objects.filter(
            pk__in=[wc.pk for wc in work_centers]
        )


class RunFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *PlanRunStatus.choices], required=False, label="Status"
    )
