import uuid

from django.db import migrations, models


def give_each_delivery_its_key(apps, schema_editor):
    # A default on AddField gives every existing row the same value; each
    # delivery needs a key of its own before the column can be unique.
    Delivery = apps.get_model("tracking", "Delivery")
    for delivery in Delivery.objects.only("id").iterator():
        Delivery.objects.filter(id=delivery.id).update(key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("tracking", "0002_reports_periods_notices")]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="key",
            field=models.UUIDField(editable=False, null=True, verbose_name="idempotency key"),
        ),
        migrations.RunPython(give_each_delivery_its_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="idempotency key"),
        ),
    ]
