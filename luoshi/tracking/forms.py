"""Forms of the reporter and review pages.

They only shape the input; the rules (percent 0–100, evidence types, who may
do what) are checked by luoshi.tracking.services, whose ValidationErrors are
put back on the form fields by ``errors_onto``.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from luoshi.tracking.evidence import KINDS
from luoshi.tracking.models import ProgressReport, ReportingCycle


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one input; the content check happens in the service."""

    def __init__(self, **kwargs):
        accept = ",".join(f".{kind.extension}" for kind in KINDS) + ",.jpeg"
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Percent complete"),
        # The browser's own bounds help on a phone; the service gives the message.
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
    )
    work_state = forms.ChoiceField(
        label=_("State of the work"), choices=ProgressReport.WorkState.choices, widget=forms.RadioSelect
    )
    narrative = forms.CharField(
        label=_("Progress this period"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done: figures, dates, documents issued, works started or finished."),
    )
    milestones = forms.ModelMultipleChoiceField(
        label=_("Milestones reached"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    # Last, so that the text fields come first in the multipart body: an
    # upload stopped for its size still leaves them to show again.
    files = EvidenceFilesField(label=_("Evidence files"))

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["milestones"].queryset = task.milestones.all()
        self.fields["milestones"].label_from_instance = lambda m: f"{m.title}（{m.due_date:%Y-%m-%d}）"
        if not task.milestones.exists():
            del self.fields["milestones"]
        self.indicators = list(task.indicators.all())
        files = self.fields.pop("files")
        for indicator in self.indicators:
            label = f"{indicator.name}（{indicator.unit}）" if indicator.unit else indicator.name
            self.fields[f"actual_{indicator.pk}"] = forms.DecimalField(
                label=label, required=False, max_digits=16, decimal_places=4,
                help_text=_("Target: %(target)s") % {"target": indicator.target_text or indicator.target or "—"},
            )
        self.fields["files"] = files

    def actuals(self) -> dict:
        return {
            indicator.pk: self.cleaned_data[f"actual_{indicator.pk}"]
            for indicator in self.indicators
            if self.cleaned_data.get(f"actual_{indicator.pk}") is not None
        }

    def actual_fields(self):
        return [self[f"actual_{indicator.pk}"] for indicator in self.indicators]


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The unit reads this and resubmits the same report."),
    )


class AcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Comment on acceptance (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the unit with the report."),
    )


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("What your unit did for this task"), widget=forms.Textarea(attrs={"rows": 4}))


class ExtensionRequestForm(forms.Form):
    requested_due = forms.DateField(label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("@login or @unit short name notifies them."),
    )
    instruction = forms.BooleanField(label=_("As a leader's instruction (批示), to be answered by the lead unit"),
                                     required=False)
    reply_due = forms.DateField(
        label=_("Reply due"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class UpdateRowForm(ReportForm):
    """One row of 我的填报: a task's report without files (they go on the task's page), pre-filled."""

    def __init__(self, *args, task, hint: str = "", **kwargs):
        super().__init__(*args, task=task, **kwargs)
        del self.fields["files"]
        self.fields["work_state"].widget = forms.Select(choices=ProgressReport.WorkState.choices)
        narrative = self.fields["narrative"]
        narrative.widget = forms.Textarea(attrs={"rows": 3})
        if hint:
            narrative.widget.attrs["placeholder"] = _("Last period: %(text)s") % {"text": hint[:200]}


def update_initial(prefill: dict) -> dict:
    """A row's pre-filled values (updates.UpdateRow.prefill) as UpdateRowForm's initial data."""
    initial = {
        "percent": prefill["percent"],
        "work_state": prefill["work_state"],
        "narrative": prefill["narrative"],
        "milestones": prefill["milestone_ids"],
    }
    for indicator_id, value in prefill["actuals"].items():
        initial[f"actual_{indicator_id}"] = value
    return initial


class CycleSettingsForm(forms.Form):
    """A plan's 督查设置: its reporting cycle and its supervision options (checked again by the service)."""

    frequency = forms.ChoiceField(label=_("Reporting cycle"), choices=ReportingCycle.Frequency.choices)
    due_day = forms.IntegerField(
        label=_("Report due day"),
        help_text=_("Monthly or quarterly: the day of the month after the period (1–31). Weekly: the weekday of the "
                    "following week (1 = Monday … 7 = Sunday)."),
        widget=forms.NumberInput(attrs={"min": 1, "max": 31, "inputmode": "numeric"}),
    )
    remind_days_before = forms.IntegerField(
        label=_("Remind days before"),
        help_text=_("Working days before the due date on which units are reminded (0–20)."),
        widget=forms.NumberInput(attrs={"min": 0, "max": 20, "inputmode": "numeric"}),
    )
    notice_needs_approval = forms.BooleanField(label=_("Supervision notices need a leader's approval"), required=False)
    stateful_lights = forms.BooleanField(
        label=_("Stateful lights"), required=False,
        help_text=_("A task that went red stays red until its gap is made up, then shows yellow before green."),
    )
