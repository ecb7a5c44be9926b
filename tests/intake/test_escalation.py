"""Nothing urgent waits unseen: an unacknowledged urgent screening escalates after 60 and
180 minutes of clinic opening hours, once each, and a form left after a risk answer alerts
once; an acknowledgement stops both, even for an alert already queued.  Through the real
worker, with no detail in any email."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command

from clinic.models import ClinicClosure, OfficeHours
from intake import escalation, services
from intake.models import Screening, StaffAlert
from tests.builders.intake import AT_LEVEL, CALM, IDENTITY, local
from tests.factories import UserFactory

# The worker closes connections between tasks: real transactions, as on the site.
pytestmark = pytest.mark.django_db(transaction=True)

ALERTS = ["clinical@mindscape.example"]  # INTAKE_ALERT_EMAILS in the test settings
ESCALATION = ["medical.director@mindscape.example", "on.call@mindscape.example"]
Kind = StaffAlert.Kind
PRIORITY = "Priority: a screening needs review now"


@pytest.fixture(autouse=True)
def escalation_list(settings):
    assert settings.INTAKE_ALERT_EMAILS == ALERTS
    assert settings.INTAKE_ESCALATION_MINUTES == [60, 180]
    settings.INTAKE_ESCALATION_EMAILS = ESCALATION


def submit(level: int = 1) -> Screening:
    draft = Screening.objects.create(identity=IDENTITY, answers={**CALM, **AT_LEVEL[level]})
    screening = services.screening_submit(screening=draft)
    assert screening.urgency == level
    return screening


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def kinds(screening) -> list[str]:
    return sorted(screening.alerts.values_list("kind", flat=True))


def assert_detail_free(message, screening, subject="A screening needs review"):
    """Only "a screening needs review" (priority for levels 1-2) and the admin link: no
    name, contact, date of birth, score or answer."""
    assert message.subject == subject
    assert message.body == (
        "A screening needs review by a clinician.\n\n"
        "Open it in the staff area (sign-in required):\n"
        f"{django_settings.SITE_URL}/admin/intake/screening/{screening.pk}/change/\n"
    )
    text = (message.subject + message.body).lower()
    for secret in (*IDENTITY.values(), "solveig", "1981", "phq", "c-ssrs", "urgency", "yes"):
        assert secret.lower() not in text


# --- Escalation -------------------------------------------------------------------------------


def test_an_unacknowledged_urgent_screening_escalates_once_at_each_threshold(weekday_hours):
    with time_machine.travel(local(1, 10), tick=False) as clock:
        screening = submit(1)
        run_worker()
        (immediate,) = mail.outbox
        assert immediate.to == ALERTS
        mail.outbox.clear()

        clock.move_to(local(1, 10, 59))
        assert escalation.escalate() == 0
        clock.move_to(local(1, 11))
        assert escalation.escalate() == 1
        assert kinds(screening) == [Kind.ESCALATION_FIRST, Kind.URGENT_SUBMISSION]
        run_worker()
        (first,) = mail.outbox
        assert first.to == ESCALATION
        assert_detail_free(first, screening, PRIORITY)

        clock.move_to(local(1, 11, 30))
        assert escalation.escalate() == 0
        clock.move_to(local(1, 12, 59))
        assert escalation.escalate() == 0
        run_worker()
        assert len(mail.outbox) == 1

        clock.move_to(local(1, 13))
        assert escalation.escalate() == 1
        run_worker()
        assert len(mail.outbox) == 2
        assert mail.outbox[1].to == ESCALATION
        assert_detail_free(mail.outbox[1], screening, PRIORITY)

        clock.move_to(local(1, 16))
        assert escalation.escalate() == 0
        clock.move_to(local(2, 16))
        assert escalation.escalate() == 0
        run_worker()
    assert len(mail.outbox) == 2
    assert kinds(screening) == [
        Kind.ESCALATION_FIRST,
        Kind.ESCALATION_SECOND,
        Kind.URGENT_SUBMISSION,
    ]
    assert set(screening.alerts.values_list("status", flat=True)) == {"sent"}


@pytest.mark.parametrize("level", [2, 3, 4])
def test_every_urgent_level_escalates(weekday_hours, level):
    with time_machine.travel(local(1, 10), tick=False):
        screening = submit(level)
    assert escalation.escalate(now=local(1, 11)) == 1
    assert Kind.ESCALATION_FIRST in kinds(screening)


@pytest.mark.parametrize("level", [5, 6, 7])
def test_a_screening_below_urgency_4_never_escalates(weekday_hours, level):
    with time_machine.travel(local(1, 10), tick=False):
        screening = submit(level)
    # Levels 5-6 wait for a clinician's acknowledgement, unalerted, days on.
    assert screening.awaits_acknowledgement is (level < 7)
    assert escalation.escalate(now=local(3, 16)) == 0
    assert kinds(screening) == []
    run_worker()
    assert mail.outbox == []


def test_crisis_wording_escalates_whatever_the_scores(weekday_hours):
    draft = Screening.objects.create(
        identity=IDENTITY,
        answers={**CALM, "prescreen": {**CALM["prescreen"], "medication_names": "I want to die"}},
    )
    with time_machine.travel(local(1, 10), tick=False):
        screening = services.screening_submit(screening=draft)
    assert screening.urgency == 3 and "crisis_wording" in screening.flag_codes
    assert "crisis_wording" in screening.urgency_reasons
    assert escalation.escalate(now=local(1, 11)) == 1


def test_the_wait_is_counted_in_clinic_opening_hours(weekday_hours):
    with time_machine.travel(local(4, 16, 30), tick=False):  # a Friday afternoon
        screening = submit(2)
    assert escalation.escalate(now=local(4, 17, 30)) == 0  # 30 open minutes on Friday
    assert escalation.escalate(now=local(6, 12)) == 0  # the weekend counts nothing
    assert escalation.escalate(now=local(7, 9, 29)) == 0  # + 29 on Monday
    assert escalation.escalate(now=local(7, 9, 30)) == 1  # + 30 on Monday: 60
    assert kinds(screening) == [Kind.ESCALATION_FIRST, Kind.URGENT_SUBMISSION]
    assert escalation.escalate(now=local(7, 11, 29)) == 0
    assert escalation.escalate(now=local(7, 11, 30)) == 1  # 180


def test_opening_hours_are_read_in_the_clinics_own_time_zone(weekday_hours):
    weekday_hours.time_zone = "America/Los_Angeles"
    weekday_hours.save()
    with time_machine.travel(local(1, 10), tick=False):  # 07:00 in Los Angeles: closed
        submit(1)
    assert escalation.escalate(now=local(1, 12, 59)) == 0  # 09:59 there: 59 open minutes
    assert escalation.escalate(now=local(1, 13)) == 1


def test_a_closure_day_counts_no_minutes(weekday_hours):
    ClinicClosure.objects.create(
        clinic=weekday_hours, first_day=dt.date(2026, 12, 7), last_day=dt.date(2026, 12, 7)
    )
    with time_machine.travel(local(4, 16, 30), tick=False):
        submit(2)
        assert escalation.escalate(now=local(7, 16)) == 0
        assert escalation.escalate(now=local(8, 9, 29)) == 0
        assert escalation.escalate(now=local(8, 9, 30)) == 1


def test_with_no_opening_hours_entered_the_clock_counts():
    assert not OfficeHours.objects.exists()
    with time_machine.travel(local(5, 22), tick=False):  # a Saturday night
        submit(1)
    assert escalation.escalate(now=local(5, 22, 59)) == 0
    assert escalation.escalate(now=local(5, 23)) == 1


def test_a_risk_answer_changed_before_sending_escalates_until_acknowledged(weekday_hours):
    clinician = UserFactory(is_staff=True)
    draft = Screening.objects.create(identity=IDENTITY, answers=CALM, draft_urgency=2)
    with time_machine.travel(local(1, 10), tick=False):
        screening = services.screening_submit(screening=draft)
    assert (screening.urgency, screening.awaits_acknowledgement) == (7, True)
    assert escalation.escalate(now=local(1, 10, 59)) == 0
    assert escalation.escalate(now=local(1, 11)) == 1
    assert kinds(screening) == [Kind.ESCALATION_FIRST, Kind.URGENT_SUBMISSION]
    services.screening_acknowledge(
        screening=screening, action="called_patient", note="Spoke with them", by=clinician
    )
    assert escalation.escalate(now=local(1, 13)) == 0
    assert kinds(screening) == [Kind.ESCALATION_FIRST, Kind.URGENT_SUBMISSION]


def test_an_acknowledgement_before_the_threshold_stops_escalation(weekday_hours):
    clinician = UserFactory(is_staff=True)
    with time_machine.travel(local(1, 10), tick=False) as clock:
        screening = submit(1)
        clock.move_to(local(1, 10, 45))
        services.screening_acknowledge(
            screening=screening, action="called_patient", note="Spoke with them", by=clinician
        )
    assert escalation.escalate(now=local(1, 11)) == 0
    assert escalation.escalate(now=local(1, 13)) == 0
    assert escalation.escalate(now=local(8, 13)) == 0
    assert kinds(screening) == [Kind.URGENT_SUBMISSION]


def test_an_escalation_acknowledged_before_the_worker_sends_it_is_dropped(weekday_hours):
    clinician = UserFactory(is_staff=True)
    with time_machine.travel(local(1, 10), tick=False) as clock:
        screening = submit(1)
        run_worker()
        assert len(mail.outbox) == 1  # the immediate alert
        mail.outbox.clear()
        clock.move_to(local(1, 11))
        assert escalation.escalate() == 1
        services.screening_acknowledge(
            screening=screening, action="scheduled", note="Booked for tomorrow", by=clinician
        )
        run_worker()
        clock.move_to(local(1, 13))
        assert escalation.escalate() == 0
        run_worker()
    assert mail.outbox == []
    alert = StaffAlert.objects.get(screening=screening, kind=Kind.ESCALATION_FIRST)
    assert (alert.status, alert.attempts, alert.sent_at) == ("dropped", 0, None)
    assert not StaffAlert.objects.filter(kind=Kind.ESCALATION_SECOND).exists()


# --- A form left after a risk answer ----------------------------------------------------------


def left_form(draft_urgency: int | None) -> Screening:
    """A draft last saved now (the clock is frozen by the caller)."""
    return Screening.objects.create(
        identity=IDENTITY, answers={"phq9": {"q9": 2}}, draft_urgency=draft_urgency
    )


def test_a_form_left_after_a_risk_answer_alerts_once_without_details():
    with time_machine.travel(local(1, 10), tick=False) as clock:
        left = left_form(2)
        left_calm = left_form(None)
        left_low = left_form(4)  # C-SSRS question 1 only, or item 9 = 1: alerted too
        last_touched = Screening.objects.get(pk=left.pk).updated_at
        clock.move_to(local(1, 10, 59))
        assert escalation.alert_abandoned_drafts() == 0
        clock.move_to(local(1, 11))
        assert escalation.alert_abandoned_drafts() == 2
        run_worker()
        assert [m.to for m in mail.outbox] == [ESCALATION, ESCALATION]
        by_link = {m.body.split("/screening/")[1].split("/")[0]: m for m in mail.outbox}
        assert_detail_free(by_link[str(left.pk)], left, PRIORITY)
        assert_detail_free(by_link[str(left_low.pk)], left_low)

        clock.move_to(local(1, 14))
        assert escalation.alert_abandoned_drafts() == 0
        clock.move_to(local(3, 14))
        assert escalation.alert_abandoned_drafts() == 0
        assert escalation.escalate() == 0  # a form not sent is not escalated further
        run_worker()
    assert len(mail.outbox) == 2
    left.refresh_from_db()
    assert (left.status, left.needs_acknowledgement, left.acknowledged_at) == ("draft", True, None)
    assert left.updated_at == last_touched  # "last touched" stays true
    assert kinds(left) == [Kind.ABANDONED_RISK_DRAFT]
    left_calm.refresh_from_db()
    assert (kinds(left_calm), left_calm.needs_acknowledgement) == ([], False)
    # They wait in the clinician's queue until acknowledged.
    assert set(Screening.objects.in_triage()) == {left, left_low}


def test_the_medical_director_can_turn_the_left_form_alert_off(settings):
    settings.INTAKE_ABANDONED_RISK_ALERT = False
    with time_machine.travel(local(1, 10), tick=False):
        left = left_form(1)
    assert escalation.alert_abandoned_drafts(now=local(2, 10)) == 0
    left.refresh_from_db()
    assert (kinds(left), left.needs_acknowledgement) == ([], False)


def test_acknowledging_a_left_form_drops_its_queued_alert():
    clinician = UserFactory(is_staff=True)
    with time_machine.travel(local(1, 10), tick=False) as clock:
        left = left_form(3)
        clock.move_to(local(1, 11))
        assert escalation.alert_abandoned_drafts() == 1
        acknowledgement = services.screening_acknowledge(
            screening=left, action="called_patient", note="Rang, no answer", by=clinician
        )
        run_worker()
        clock.move_to(local(2, 11))
        assert escalation.alert_abandoned_drafts() == 0
    assert acknowledgement.of_draft
    assert mail.outbox == []
    assert StaffAlert.objects.get(screening=left).status == "dropped"
    assert not Screening.objects.in_triage().exists()


def test_turned_back_on_the_left_form_alert_ignores_forms_older_than_a_resume_link(settings):
    settings.INTAKE_RESUME_HOURS = 24
    settings.INTAKE_ABANDONED_RISK_MINUTES = 30
    settings.INTAKE_ABANDONED_RISK_ALERT = False
    made = {}
    for name, left_at in [
        ("months ago", local(1, 10) - dt.timedelta(days=90)),
        ("25 hours ago", local(1, 10) - dt.timedelta(hours=25)),
        ("23 hours ago", local(1, 10) - dt.timedelta(hours=23)),
        ("31 minutes ago", local(1, 9, 29)),
        ("29 minutes ago", local(1, 9, 31)),
    ]:
        with time_machine.travel(left_at, tick=False):
            made[name] = left_form(1)
    assert escalation.alert_abandoned_drafts(now=local(1, 10)) == 0

    settings.INTAKE_ABANDONED_RISK_ALERT = True
    assert escalation.alert_abandoned_drafts(now=local(1, 10)) == 2
    alerted = {name for name, left in made.items() if left.alerts.exists()}
    assert alerted == {"23 hours ago", "31 minutes ago"}
    assert escalation.alert_abandoned_drafts(now=local(1, 10, 5)) == 1  # the next one, in time


def test_the_escalation_thresholds_are_a_setting(weekday_hours, settings):
    settings.INTAKE_ESCALATION_MINUTES = [30, 90]
    with time_machine.travel(local(1, 10), tick=False):
        screening = submit(2)
    assert escalation.escalate(now=local(1, 10, 29)) == 0
    assert escalation.escalate(now=local(1, 10, 30)) == 1
    assert escalation.escalate(now=local(1, 11, 29)) == 0
    assert escalation.escalate(now=local(1, 11, 30)) == 1
    assert kinds(screening) == [*StaffAlert.ESCALATIONS, Kind.URGENT_SUBMISSION]
