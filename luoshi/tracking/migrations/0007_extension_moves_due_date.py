"""An approved extension now moves the task's own due date. Tasks extended before keep their
extended date: the last approved extension's, unless the due date was edited after it was decided."""
from django.db import migrations


def extensions_into_due_dates(apps, schema_editor):
    ExtensionRequest = apps.get_model("tracking", "ExtensionRequest")
    Task = apps.get_model("plans", "Task")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    latest = {}
    for extension in ExtensionRequest.objects.filter(status="approved").order_by("decided_at", "pk"):
        latest[extension.task_id] = extension
    for task in Task.objects.filter(pk__in=list(latest)):
        extension = latest[task.pk]
        edits = AuditEntry.objects.filter(
            object_type="plans.task", object_id=str(task.pk), action="task.update", at__gt=extension.decided_at
        )
        if any("due_date" in (entry.after or {}) for entry in edits):
            continue
        if task.due_date != extension.requested_due:
            task.due_date = extension.requested_due
            task.version += 1
            task.save(update_fields=["due_date", "version"])


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0006_task_conversation"),
        ("plans", "0004_unit_correction_source"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(extensions_into_due_dates, migrations.RunPython.noop)]
