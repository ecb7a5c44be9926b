"""A screening's consultation becomes a foreign key (nullable, SET_NULL on delete).

Until now the column held a consultation's number with nothing to keep it true: a number
whose consultation no longer exists is cleared first, or the constraint could not be added.
The column keeps its name (``consultation_id``); going back drops only the constraint.
"""

import django.db.models.deletion
from django.db import migrations, models

CLEAR_DANGLING = """
    UPDATE intake_screening SET consultation_id = NULL
    WHERE consultation_id IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM booking_consultation WHERE booking_consultation.id = consultation_id
      )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0005_location_cutoff_help"),
        ("intake", "0010_recompute_urgency"),
    ]

    operations = [
        migrations.RunSQL(CLEAR_DANGLING, migrations.RunSQL.noop, elidable=True),
        # The field's new name, on the same column, in the state only: the column stays.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("screening", "consultation_id", "consultation"),
                migrations.AlterField(
                    model_name="screening",
                    name="consultation",
                    field=models.PositiveBigIntegerField(
                        blank=True, null=True, db_column="consultation_id"
                    ),
                ),
            ]
        ),
        migrations.AlterField(
            model_name="screening",
            name="consultation",
            field=models.ForeignKey(
                blank=True,
                help_text="The consultation the patient booked before filling in the form, if any.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="screenings",
                to="booking.consultation",
            ),
        ),
    ]
