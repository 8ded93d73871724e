from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Unit
from luoshi.plans.models import Programme, Task


def date_input():
    # <input type=date> accepts only ISO dates; the localized format
    # (2018年12月29日) would reach the browser as an invalid value and come back empty.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def max_upload_bytes() -> int:
    return settings.LUOSHI_MAX_UPLOAD_MB * 1024 * 1024


class PlanFileField(forms.FileField):
    """A plan document: refused when empty or over LUOSHI_MAX_UPLOAD_MB; parsing happens later."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is not None:
            if upload.size > max_upload_bytes():
                raise forms.ValidationError(
                    _("The file is %(size).1f MB; the limit is %(limit)s MB."),
                    params={"size": upload.size / 1024 / 1024, "limit": settings.LUOSHI_MAX_UPLOAD_MB},
                )
        return upload


def limit_file_size_in_the_browser(field: forms.Field) -> None:
    """Tell the page the upload limit, so plans/upload-limit.js refuses an oversized file before sending it.

    The server refuses such a request from its Content-Length without reading
    the body, and so without the name and year typed beside the file: only a
    check in the browser keeps them.
    """
    field.widget.attrs.update({
        "data-max-bytes": str(max_upload_bytes()),
        # {name} and {size} are filled in by the script; the limit is known here.
        "data-too-big": _("“{name}” is {size} MB; the limit is %(limit)s MB. Choose a smaller file: nothing was sent.")
        % {"limit": settings.LUOSHI_MAX_UPLOAD_MB},
    })


class PlanImportForm(forms.Form):
    file = PlanFileField(
        label=_("Plan document"),
        help_text=_(".txt (UTF-8, GB18030 or UTF-16), .docx or .pdf, or a task table as .xlsx"),
        allow_empty_file=False,
    )
    name = forms.CharField(label=_("Plan name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        limit_file_size_in_the_browser(self.fields["file"])


class PlanReimportForm(forms.Form):
    file = PlanFileField(label=_("Revised plan document"), allow_empty_file=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_file_size_in_the_browser(self.fields["file"])


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TaskForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Task"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = UnitChoiceField(label=_("Lead unit"), queryset=Unit.objects.none(), required=False)
    co_units = UnitsChoiceField(
        label=_("Co-units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    supervising_leader = forms.CharField(label=_("Supervising leader"), max_length=60, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=date_input())
    due_date = forms.DateField(label=_("Due date"), required=False, widget=date_input())
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_digits=6, decimal_places=2)
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"), queryset=Programme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True) | Unit.objects.filter(pk=task.lead_unit_id)
        self.fields["lead_unit"].queryset = units.distinct()
        self.fields["co_units"].queryset = (Unit.objects.filter(is_active=True) | task.co_units.all()).distinct()
        self.fields["programmes"].queryset = Programme.objects.filter(plan_id=task.plan_id)

    @staticmethod
    def initial_for(task: Task) -> dict:
        return {
            "version": task.version,
            "title": task.title,
            "description": task.description,
            "lead_unit": task.lead_unit_id,
            "co_units": [u.pk for u in task.co_units.all()],
            "supervising_leader": task.supervising_leader,
            "start_date": task.start_date,
            "due_date": task.due_date,
            "weight": task.weight,
            "programmes": [p.pk for p in task.programmes.all()],
        }


class MilestoneForm(forms.Form):
    # The row being edited: tracking records reached milestones against it,
    # so a save updates that row instead of replacing it.
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Milestone"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Date"), required=False, widget=date_input())

    def clean(self):
        data = super().clean()
        if data.get("DELETE"):
            return data
        if bool((data.get("title") or "").strip()) != bool(data.get("due_date")):
            raise forms.ValidationError(_("A milestone needs both a title and a date."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if data.get("DELETE") or not (data.get("title") or "").strip():
            return None
        return {"id": data.get("id"), "title": data["title"], "due_date": data["due_date"]}


class IndicatorForm(forms.Form):
    # As for milestones: indicator actuals are recorded against the row.
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit of measure"), max_length=30, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=16, decimal_places=4, required=False)
    target = forms.DecimalField(label=_("Target"), max_digits=16, decimal_places=4, required=False)
    target_text = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        has_numbers = any(data.get(k) not in (None, "") for k in ("unit", "baseline", "target"))
        if not data.get("DELETE") and has_numbers and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("An indicator needs a name."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if data.get("DELETE") or not (data.get("name") or "").strip():
            return None
        return {k: data.get(k) for k in ("id", "name", "unit", "baseline", "target", "target_text")}


# One blank row to add a milestone or an indicator; ticking "delete" removes a row.
MilestoneFormSet = formset_factory(MilestoneForm, extra=1, can_delete=True)
IndicatorFormSet = formset_factory(IndicatorForm, extra=1, can_delete=True)


class TaskSplitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    titles = forms.CharField(
        label=_("Titles of the new tasks, one per line"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The first line stays on this task; every further line becomes a task with the same units and dates."),
    )

    def clean_titles(self):
        titles = [line.strip() for line in self.cleaned_data["titles"].splitlines() if line.strip()]
        if len(titles) < 2:
            raise forms.ValidationError(_("Give at least two titles to split a task."))
        too_long = [t for t in titles if len(t) > 500]
        if too_long:
            raise forms.ValidationError(_("A title may have at most 500 characters."))
        return titles


class TasksMergeForm(forms.Form):
    tasks = forms.ModelMultipleChoiceField(
        label=_("Tasks to merge"), queryset=Task.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title of the merged task"), max_length=500, required=False,
                            help_text=_("Leave empty to keep the first task's title."))

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = measure.tasks.order_by("position", "id")
        self.fields["tasks"].label_from_instance = lambda t: t.title

    def clean_tasks(self):
        tasks = self.cleaned_data["tasks"]
        if len(tasks) < 2:
            raise forms.ValidationError(_("Choose at least two tasks to merge."))
        return tasks


class TaskMergeIntoForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Task.objects.none(),
                                  help_text=_("The chosen task stays and takes over this task's units, milestones "
                                              "and indicators; this task is deleted."))

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (task.plan.tasks.exclude(pk=task.pk).select_related("measure")
                                        .order_by("measure__position", "position", "id"))
        self.fields["into"].label_from_instance = lambda t: f"{t.measure.number} {t.title[:60]}"


class UnitLearnForm(forms.Form):
    file = PlanFileField(
        label=_("Last year's task table"),
        help_text=_(".xlsx or .docx, with a task column and 牵头单位 / 配合单位 (or 责任单位) columns"),
        allow_empty_file=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_file_size_in_the_browser(self.fields["file"])
