from datetime import timedelta

from django.db import migrations, models


def tokens_made_before_expiry_existed_expire_like_new_ones(apps, schema_editor):
    # Counted from creation, as for a new token; a token older than that
    # stops working at once, which is the point of the change.
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.all():
        token.expires = token.created + timedelta(days=180)
        token.save(update_fields=["expires"])


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_tokens")]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="expires", field=models.DateTimeField(null=True, verbose_name="expires")
        ),
        migrations.RunPython(tokens_made_before_expiry_existed_expire_like_new_ones, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken", name="expires", field=models.DateTimeField(verbose_name="expires")
        ),
    ]
