from django.db import migrations, models


def settle_duplicates_from_races(apps, schema_editor):
    # Before these constraints two clicks at the same moment could create two
    # open notices or two pending requests for one task. The first one stands;
    # the others are closed with a note saying why, so the constraint can hold.
    Notice = apps.get_model("tracking", "SupervisionNotice")
    Extension = apps.get_model("tracking", "ExtensionRequest")
    seen = set()
    for notice in Notice.objects.filter(status="open").order_by("task_id", "issued_at", "id"):
        if notice.task_id in seen:
            notice.status = "closed"
            notice.reply = notice.reply or "同一任务重复签发的督办单，以较早的一份为准。"
            notice.save(update_fields=["status", "reply"])
        seen.add(notice.task_id)
    seen = set()
    for extension in Extension.objects.filter(status="pending").order_by("task_id", "requested_at", "id"):
        if extension.task_id in seen:
            extension.status = "refused"
            extension.decision_note = "同一任务重复提交的延期申请，以较早的一份为准。"
            extension.save(update_fields=["status", "decision_note"])
        seen.add(extension.task_id)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0003_delivery_key")]

    operations = [
        migrations.RunPython(settle_duplicates_from_races, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="extensionrequest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")), fields=("task",), name="extension_one_pending_per_task"
            ),
        ),
        migrations.AddConstraint(
            model_name="supervisionnotice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")), fields=("task",), name="notice_one_open_per_task"
            ),
        ),
    ]
