"""Staff alerts become outbound messages like booking emails (``mindscape.delivery``): they
gain ``updated_at``, when the row last changed.  Existing rows get the best time known: when
the alert was sent, or else when it was created."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    StaffAlert = apps.get_model("intake", "StaffAlert")
    StaffAlert.objects.update(updated_at=Coalesce("sent_at", "created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0011_consultation_foreign_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="staffalert",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AlterField(
            model_name="staffalert",
            name="last_error",
            field=models.CharField(
                blank=True, help_text="The kind of error only, never its text.", max_length=100
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
