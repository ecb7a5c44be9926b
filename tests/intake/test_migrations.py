"""Migration 0007: screenings of urgency 5-6 sent before every non-routine screening needed
an acknowledgement, and not reviewed yet, are flagged for one; undone on the way back."""

import datetime as dt

import pytest
from django.utils import timezone

from intake import escalation
from intake.models import Screening
from tests.builders.intake import latest, migrate, model

pytestmark = pytest.mark.django_db

BEFORE = ("intake", "0006_triage")
AFTER = ("intake", "0007_acknowledge_flagged")


def make(status="submitted", urgency=5, **fields):
    fields.setdefault("submitted_at", None if status == "draft" else timezone.now())
    return model().objects.create(status=status, urgency=urgency, **fields)


def needs(screenings) -> dict[str, bool]:
    return {
        name: model().objects.get(pk=s.pk).needs_acknowledgement for name, s in screenings.items()
    }


def test_open_screenings_of_urgency_5_and_6_are_flagged_and_unflagged_on_the_way_back():
    migrate(BEFORE)
    made = {
        # Sent under the old rule: no acknowledgement needed for a flag without risk.
        "submitted 5": make(),
        "in review 6": make("in_review", 6),
        "reviewed 5": make("reviewed", 5),  # closed by a clinician then: left alone
        "routine": make(urgency=7),
        "draft": make("draft", None),
        # Needing one under the old rule as well.
        "risk 4": make(urgency=4, needs_acknowledgement=True),
        "crisis shown 6": make(urgency=6, shows_crisis=True, needs_acknowledgement=True),
        "changed before sending 6": make(urgency=6, draft_urgency=2, needs_acknowledgement=True),
        "crisis wording 5": make(flag_codes=["crisis_wording"], needs_acknowledgement=True),
    }
    old = needs(made)

    migrate(AFTER)
    assert needs(made) == {**old, "submitted 5": True, "in review 6": True}

    # An acknowledgement given since keeps its flag on the way back.
    acknowledged = make(needs_acknowledgement=True, acknowledged_at=timezone.now())
    sent_since = make(urgency=6, needs_acknowledgement=True)  # by the new rule, not acknowledged
    migrate(BEFORE)
    assert needs(made) == old
    assert needs({"acknowledged": acknowledged, "sent since": sent_since}) == {
        "acknowledged": True,
        "sent since": False,
    }
    migrate(latest())  # as the rest of the suite expects (rolled back with the test anyway)


def test_the_flagged_ones_wait_for_a_clinician_without_escalating():
    migrate(BEFORE)
    waiting = make(urgency=5, submitted_at=timezone.now() - dt.timedelta(days=3))
    migrate(AFTER)
    migrate(latest())
    waiting = Screening.objects.get(pk=waiting.pk)
    assert waiting.awaits_acknowledgement
    assert escalation.escalate() == 0
    assert not waiting.alerts.exists()
