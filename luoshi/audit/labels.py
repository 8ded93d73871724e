"""How audit entries read to a person.

The log stores identifiers (``task.publish``, ``plans.task``, ``is_public``)
and plain JSON values; the task history and the audit log page both show
them in words through this module, so a new action gets its label once.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from luoshi.audit.models import AuditEntry

# Labels carry the context "audit" so that a word another app translates
# differently ("Name" is 姓名 for a person) keeps the meaning it has here.

# Every action a service records; an action missing here shows its code.
ACTION_LABELS = {
    "task.create": pgettext_lazy("audit", "Proposed at import"),
    "task.update": pgettext_lazy("audit", "Edited"),
    "task.split": pgettext_lazy("audit", "Split off"),
    "task.merge": pgettext_lazy("audit", "Merged away"),
    "task.delete": pgettext_lazy("audit", "Deleted"),
    "task.publish": pgettext_lazy("audit", "Published on the public page"),
    "task.unpublish": pgettext_lazy("audit", "Withdrawn from the public page"),
    "contribution.add": pgettext_lazy("audit", "Co-unit contribution added"),
    "extension.request": pgettext_lazy("audit", "Extension requested"),
    "extension.approved": pgettext_lazy("audit", "Extension approved"),
    "extension.refused": pgettext_lazy("audit", "Extension refused"),
    "comment.add": pgettext_lazy("audit", "Comment added"),
    "instruction.add": pgettext_lazy("audit", "Leader's instruction (批示) given"),
    "instruction.answer": pgettext_lazy("audit", "Leader's instruction answered"),
    "completion.request": pgettext_lazy("audit", "Completion requested"),
    "completion.sign_off": pgettext_lazy("audit", "Completion signed off"),
    "plan.import": pgettext_lazy("audit", "Plan imported"),
    "plan.reimport": pgettext_lazy("audit", "New version of the plan imported"),
    "measure.revise": pgettext_lazy("audit", "Measure revised in a new version"),
    "measure.remove": pgettext_lazy("audit", "Measure removed in a new version"),
    "calendar.load": pgettext_lazy("audit", "Public holidays loaded"),
    "report.submit": pgettext_lazy("audit", "Progress report submitted"),
    "report.resubmit": pgettext_lazy("audit", "Progress report resubmitted"),
    "report.evidence": pgettext_lazy("audit", "Evidence added"),
    "report.accept": pgettext_lazy("audit", "Progress report accepted"),
    "report.return": pgettext_lazy("audit", "Progress report returned"),
    "reminder.before": pgettext_lazy("audit", "Reminder sent"),
    "reminder.chase": pgettext_lazy("audit", "Chase sent"),
    "task.chase": pgettext_lazy("audit", "Task chased by the supervision office"),
    "notice.issue": pgettext_lazy("audit", "Supervision notice issued"),
    "notice.reply": pgettext_lazy("audit", "Supervision notice answered"),
    "notice.close": pgettext_lazy("audit", "Supervision notice closed"),
    "notice.draft": pgettext_lazy("audit", "Supervision notice drafted"),
    "notice.edit": pgettext_lazy("audit", "Draft supervision notice edited"),
    "notice.submit": pgettext_lazy("audit", "Supervision notice submitted for approval"),
    "notice.return": pgettext_lazy("audit", "Supervision notice returned by the leader"),
    "ack.sign": pgettext_lazy("audit", "Signed for by the unit"),
    "ack.chase": pgettext_lazy("audit", "Unit chased to sign"),
    "plan.cycle": pgettext_lazy("audit", "Supervision settings changed"),
    "task.cycle": pgettext_lazy("audit", "Task's reporting cycle changed"),
    "channel.create": pgettext_lazy("audit", "Notification channel added"),
    "api_token.create": pgettext_lazy("audit", "API token created"),
    "api_token.revoke": pgettext_lazy("audit", "API token revoked"),
    "unit.create": pgettext_lazy("audit", "Unit added"),
    "unit.update": pgettext_lazy("audit", "Unit changed"),
    "demo.progress": pgettext_lazy("audit", "Demo progress generated"),
}

# The keys services write into before/after. A key missing here takes the
# verbose name of the model field it names, else shows as written.
FIELD_LABELS = {
    "title": pgettext_lazy("audit", "Task"),
    "description": pgettext_lazy("audit", "Description"),
    "lead_unit": pgettext_lazy("audit", "Lead unit"),
    "co_units": pgettext_lazy("audit", "Co-units"),
    "supervising_leader": pgettext_lazy("audit", "Supervising leader"),
    "start_date": pgettext_lazy("audit", "Start date"),
    "due_date": pgettext_lazy("audit", "Due date"),
    "weight": pgettext_lazy("audit", "Weight"),
    "programmes": pgettext_lazy("audit", "Programmes"),
    "milestones": pgettext_lazy("audit", "Milestones"),
    "indicators": pgettext_lazy("audit", "Indicators"),
    "is_public": pgettext_lazy("audit", "On the public page"),
    "period": pgettext_lazy("audit", "Period"),
    # A co-unit's contribution on a task, the sentence of a revised measure.
    "text": pgettext_lazy("audit", "Text"),
    "due": pgettext_lazy("audit", "Due date"),
    "comment": pgettext_lazy("audit", "Comment"),
    "reply_due": pgettext_lazy("audit", "Reply due"),
    "reply_to": pgettext_lazy("audit", "In reply to"),
    "mentions": pgettext_lazy("audit", "Mentioned"),
    "requested_due": pgettext_lazy("audit", "Requested due date"),
    "effective_due": pgettext_lazy("audit", "Effective due date"),
    "status": pgettext_lazy("audit", "Status"),
    "requested_at": pgettext_lazy("audit", "Requested at"),
    "signed_off_at": pgettext_lazy("audit", "Signed off at"),
    "name": pgettext_lazy("audit", "Name"),
    "year": pgettext_lazy("audit", "Year"),
    "file": pgettext_lazy("audit", "File"),
    "measures": pgettext_lazy("audit", "Measures"),
    "version": pgettext_lazy("audit", "Version"),
    "added": pgettext_lazy("audit", "Added"),
    "removed": pgettext_lazy("audit", "Removed"),
    "changed": pgettext_lazy("audit", "Changed"),
    "number": pgettext_lazy("audit", "Number"),
    "source": pgettext_lazy("audit", "Source"),
    "holidays": pgettext_lazy("audit", "Holidays"),
    "workdays": pgettext_lazy("audit", "Adjusted workdays"),
    "percent": pgettext_lazy("audit", "Percent done"),
    "work_state": pgettext_lazy("audit", "Work state"),
    "narrative": pgettext_lazy("audit", "Progress"),
    "files_added": pgettext_lazy("audit", "Files added"),
    "sha256": pgettext_lazy("audit", "SHA-256"),
    "task": pgettext_lazy("audit", "Task"),
    "tasks": pgettext_lazy("audit", "Tasks"),
    "unit": pgettext_lazy("audit", "Unit"),
    "notice": pgettext_lazy("audit", "Supervision notice"),
    "copied_to": pgettext_lazy("audit", "Copied to"),
    "note": pgettext_lazy("audit", "Note"),
    "reasons": pgettext_lazy("audit", "Reasons"),
    "reply_due": pgettext_lazy("audit", "Reply due"),
    "reply": pgettext_lazy("audit", "Reply"),
    "kind": pgettext_lazy("audit", "Kind"),
    "webhook_url": pgettext_lazy("audit", "Webhook URL"),
    "signed": pgettext_lazy("audit", "Signed"),
    "user": pgettext_lazy("audit", "User"),
    "prefix": pgettext_lazy("audit", "Prefix"),
    "revoked": pgettext_lazy("audit", "Revoked at"),
    "today": pgettext_lazy("audit", "Date"),
    "parent": pgettext_lazy("audit", "Parent unit"),
}

ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

# Extension decisions are recorded on the task, which has no status field
# whose choices could name them.
STATUS_LABELS = {
    "pending": pgettext_lazy("audit", "pending"),
    "approved": pgettext_lazy("audit", "approved"),
    "refused": pgettext_lazy("audit", "refused"),
}

# Objects with a page of their own, by the object type the log stores.
OBJECT_PAGES = {
    "plans.plan": "plans:detail",
    "plans.task": "plans:task",
    "tracking.progressreport": "tracking:report",
    "tracking.supervisionnotice": "tracking:notice",
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model else object_type


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(name: str, model=None) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    field = _field(model, name)
    return str(getattr(field, "verbose_name", name))


def display(value, *, name: str = "", model=None) -> str:
    """One logged value in words: choices by their label, Yes/No, lists joined, times local."""
    if value is None or value == "" or value == []:
        return "—"
    # Python's True/False would reach the page as English words.
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return "、".join(_display_item(v) for v in value)
    field = _field(model, name)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if name == "status":
        return str(STATUS_LABELS.get(value, value))
    if isinstance(value, str) and ISO_TIME.match(value):
        return _local_time(value)
    return str(value)


def _display_item(item) -> str:
    if isinstance(item, dict) and "due_date" in item:
        return f"{item['due_date']} {item['title']}"
    if isinstance(item, dict) and "name" in item:
        target = item.get("target")
        return f"{item['name']}" + (f" {target}{item.get('unit') or ''}" if target is not None else "")
    return str(item)


def _local_time(value: str) -> str:
    """Services log times as ISO 8601 in UTC; a reader wants the office's clock."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def labelled(values: dict | None, *, model=None) -> list[tuple[str, str]]:
    return [
        (field_label(name, model), display(value, name=name, model=model))
        for name, value in (values or {}).items()
    ]


@dataclass
class Change:
    field: str
    before: str | None  # None when the entry records no earlier state
    after: str


@dataclass
class Row:
    entry: AuditEntry
    action: str
    object_type: str
    url: str | None
    changes: list[Change]


def changes(entry: AuditEntry, *, model=None) -> list[Change]:
    before, after = entry.before or {}, entry.after or {}
    names = list(before) + [name for name in after if name not in before]
    return [
        Change(
            field=field_label(name, model),
            before=display(before.get(name), name=name, model=model) if entry.before is not None else None,
            after=display(after.get(name), name=name, model=model),
        )
        for name in names
    ]


def rows(entries) -> list[Row]:
    """Entries ready for a page; links only to objects that still exist (a merged task is gone)."""
    entries = list(entries)
    existing: dict[str, set[str]] = {}
    for object_type in {e.object_type for e in entries} & set(OBJECT_PAGES):
        ids = [e.object_id for e in entries if e.object_type == object_type]
        pks = _model(object_type).objects.filter(pk__in=ids).values_list("pk", flat=True)
        existing[object_type] = {str(pk) for pk in pks}
    result = []
    for entry in entries:
        model = _model(entry.object_type)
        linked = entry.object_id in existing.get(entry.object_type, ())
        result.append(Row(
            entry=entry,
            action=action_label(entry.action),
            object_type=object_type_label(entry.object_type),
            url=reverse(OBJECT_PAGES[entry.object_type], args=[entry.object_id]) if linked else None,
            changes=changes(entry, model=model),
        ))
    return result
