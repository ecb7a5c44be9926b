"""Every screening that is not routine now needs an acknowledgement, not only a sign of risk:
a contraindication, a caution or a medicine to review needs a clinician's word as well.
Screenings of urgency 5-6 sent before the change and not yet reviewed are flagged too, so
they cannot be marked reviewed without one.  Reviewed ones are left as they are: a clinician
closed them under the rule of the time.  No schema change."""

from django.db import migrations
from django.db.models import Q

OPEN = ("submitted", "in_review")
FLAGS_ONLY = (5, 6)  # label contraindication; cautions or medicines (intake.flags.Urgency)


def flag_open_flagged(apps, schema_editor):
    Screening = apps.get_model("intake", "Screening")
    Screening.objects.filter(
        status__in=OPEN, urgency__in=FLAGS_ONLY, needs_acknowledgement=False
    ).update(needs_acknowledgement=True)


def unflag_unacknowledged_flags_only(apps, schema_editor):
    """Back to the old rule: a sent screening of urgency 5-6 not yet acknowledged needs an
    acknowledgement only for crisis resources shown, crisis wording or a risk answer changed
    before sending (a left form's ``draft_urgency`` is 1-4 only).  One already acknowledged
    keeps its flag, so its acknowledgement still reads as one."""
    Screening = apps.get_model("intake", "Screening")
    Screening.objects.exclude(status="draft").filter(
        urgency__in=FLAGS_ONLY,
        needs_acknowledgement=True,
        acknowledged_at=None,
        shows_crisis=False,
        draft_urgency=None,
    ).exclude(Q(flag_codes__contains=["crisis_wording"])).update(needs_acknowledgement=False)


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_triage")]

    operations = [migrations.RunPython(flag_open_flagged, unflag_unacknowledged_flags_only)]
