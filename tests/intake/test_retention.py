"""Kept only as long as needed: screenings of people who never became patients are deleted
after INTAKE_RETENTION_DAYS (never one awaiting a clinician), bookings and call-backs lose
their contact details after BOOKING_ANONYMISE_AFTER_DAYS, and searches that found nothing
are forgotten after BLOG_SEARCH_LOG_DAYS; ``run_periodic`` runs them all."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.shortcuts import get_object_or_404
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEntry
from blog.models import ZeroResultSearch
from blog.search import prune_zero_results
from booking import links
from booking import retention as booking_retention
from booking import services as booking_services
from booking.models import CallbackRequest, Consultation
from intake import retention, services
from intake.admin import screenings as screening_admin
from intake.models import Acknowledgement, Screening, ScreeningNote, StaffAlert
from mindscape import roles
from tests.builders.intake import AT_LEVEL, CALM, IDENTITY, NOW, OLD, screening
from tests.factories import PATIENT, ConsultationTypeFactory, LocationFactory, UserFactory, book

pytestmark = pytest.mark.django_db

RECENT = NOW - dt.timedelta(days=179)


def flagged_acknowledged_and_reviewed(changed: dt.datetime) -> Screening:
    """Urgency 2, through the services: alerted, acknowledged, noted, reviewed."""
    clinician = UserFactory(is_staff=True)
    draft = Screening.objects.create(identity=IDENTITY, answers={**CALM, **AT_LEVEL[2]})
    sent = services.screening_submit(screening=draft)
    services.screening_acknowledge(
        screening=sent, action="called_patient", note="Spoke with Solveig", by=clinician
    )
    services.screening_note_add(screening=sent, text="Not going ahead", by=clinician)
    services.screening_review(screening=sent, step="mark_reviewed", by=clinician)
    Screening.objects.filter(pk=sent.pk).update(updated_at=changed)
    return sent


def test_retention_deletes_exactly_the_screenings_no_longer_needed(settings):
    assert settings.INTAKE_RETENTION_DAYS == 180
    deleted = {
        "old reviewed, not a patient": screening("reviewed", changed=OLD),
        "old draft with no sign of risk": screening("draft", changed=OLD),
        "old draft, risk alerted and acknowledged": screening(
            "draft",
            changed=OLD,
            draft_urgency=2,
            needs_acknowledgement=True,
            acknowledged_at=OLD,
        ),
        "old flagged, acknowledged and reviewed": flagged_acknowledged_and_reviewed(OLD),
    }
    kept = {
        "old reviewed, became a patient": screening("reviewed", changed=OLD, became_patient_at=OLD),
        "old submitted (waiting for review)": screening("submitted", changed=OLD),
        "old in review": screening("in_review", changed=OLD),
        "old draft awaiting acknowledgement": screening(
            "draft", changed=OLD, draft_urgency=2, needs_acknowledgement=True
        ),
        "old reviewed, sign of risk never acknowledged": screening(
            "reviewed", changed=OLD, urgency=2, needs_acknowledgement=True
        ),
        "reviewed 179 days ago": screening("reviewed", changed=RECENT),
        "draft left 179 days ago": screening("draft", changed=RECENT),
    }
    gone = [s.pk for s in deleted.values()]
    flagged = deleted["old flagged, acknowledged and reviewed"]
    history_before = AuditEntry.objects.filter(object_pk=str(flagged.pk)).count()
    assert history_before >= 4  # submitted, acknowledged, note added, reviewed
    assert flagged.acknowledgements.exists() and flagged.notes.exists() and flagged.alerts.exists()

    assert retention.apply(NOW) == len(deleted)

    assert sorted(Screening.objects.values_list("pk", flat=True)) == sorted(
        s.pk for s in kept.values()
    )
    for model in (Acknowledgement, ScreeningNote, StaffAlert):
        assert not model.objects.filter(screening_id__in=gone).exists()
    entry = AuditEntry.objects.get(action="screenings_deleted_by_retention")
    assert (entry.actor, entry.object_pk, entry.detail) == (None, "", {"count": 4})
    # The audit log outlives what it describes.
    assert AuditEntry.objects.filter(object_pk=str(flagged.pk)).count() == history_before
    # Nothing more to do the next time.
    assert retention.apply(NOW) == 0
    assert AuditEntry.objects.filter(action="screenings_deleted_by_retention").count() == 1


def test_the_retention_period_is_a_setting(settings):
    settings.INTAKE_RETENTION_DAYS = 30
    recent = screening("reviewed", changed=NOW - dt.timedelta(days=31))
    assert retention.apply(NOW) == 1
    assert not Screening.objects.filter(pk=recent.pk).exists()


# --- Booking contact details ------------------------------------------------------------------

MESSAGE = "Please call after 5, my partner Henrik answers the landline"


def past_consultation(starts_at: dt.datetime, location, kind, **details) -> Consultation:
    with time_machine.travel(starts_at - dt.timedelta(days=1), tick=False):
        return book(location, kind, starts_at, details={"message": MESSAGE, **details})


def callback_at(created: dt.datetime) -> CallbackRequest:
    with time_machine.travel(created, tick=False):
        return booking_services.callback_request_create(
            details={**PATIENT, "message": MESSAGE},
            location=None,
            preferred_days=[1],
            preferred_times=["morning"],
        )


def contact(row) -> tuple:
    row.refresh_from_db()
    return (row.first_name, row.last_name, row.email, row.phone, row.message, row.source_article)


def test_old_bookings_and_call_backs_lose_their_contact_details_once(settings):
    assert settings.BOOKING_ANONYMISE_AFTER_DAYS == 365
    location = LocationFactory()
    phone_call = ConsultationTypeFactory(locations=[location])
    year_and_a_day = NOW - dt.timedelta(days=366)
    old = past_consultation(year_and_a_day, location, phone_call)
    old_cancelled = past_consultation(year_and_a_day + dt.timedelta(hours=2), location, phone_call)
    with time_machine.travel(old_cancelled.starts_at - dt.timedelta(hours=30), tick=False):
        booking_services.consultation_cancel(
            consultation=old_cancelled, by=UserFactory(is_staff=True), reason="Henrik phoned"
        )
    recent = past_consultation(NOW - dt.timedelta(days=364), location, phone_call)
    old_callback = callback_at(year_and_a_day)
    recent_callback = callback_at(NOW - dt.timedelta(days=364))
    token = links.manage_token(old)
    assert links.consultation_for(token, now=old.starts_at - dt.timedelta(hours=1)) == old
    untouched = (
        list(Consultation.objects.filter(pk=recent.pk).values()),
        list(CallbackRequest.objects.filter(pk=recent_callback.pk).values()),
    )

    assert booking_retention.apply(NOW) == {"consultations": 2, "callbacks": 1}

    for row in (old, old_cancelled, old_callback):
        assert contact(row) == ("", "", "", "", "", "")
        assert row.anonymised_at == NOW
    assert old_cancelled.cancel_reason == ""
    assert (old.status, old_cancelled.status) == ("booked", "cancelled")  # statistics stay
    with pytest.raises(links.LinkInvalid):  # revoked, not merely expired
        links.consultation_for(token, now=old.starts_at - dt.timedelta(hours=1))
    assert (
        list(Consultation.objects.filter(pk=recent.pk).values()),
        list(CallbackRequest.objects.filter(pk=recent_callback.pk).values()),
    ) == untouched
    assert contact(recent)[:4] == (
        PATIENT["first_name"],
        PATIENT["last_name"],
        PATIENT["email"],
        PATIENT["phone"],
    )
    entry = AuditEntry.objects.get(action="contacts_anonymised_by_retention")
    assert (entry.actor, entry.detail) == (None, {"consultations": 2, "callbacks": 1})

    after_first = list(Consultation.objects.order_by("pk").values())
    assert booking_retention.apply(NOW + dt.timedelta(hours=1)) == {
        "consultations": 0,
        "callbacks": 0,
    }
    assert list(Consultation.objects.order_by("pk").values()) == after_first
    assert AuditEntry.objects.filter(action="contacts_anonymised_by_retention").count() == 1


def test_searches_that_found_nothing_are_forgotten_after_90_days(settings):
    assert settings.BLOG_SEARCH_LOG_DAYS == 90
    today = NOW.date()
    for query, days in [("esketamine nasal", 91), ("ketamine cost", 90), ("tms", 0)]:
        ZeroResultSearch.objects.create(query=query, last_seen=today - dt.timedelta(days=days))
    assert prune_zero_results(today) == 1
    assert sorted(ZeroResultSearch.objects.values_list("query", flat=True)) == [
        "ketamine cost",
        "tms",
    ]


@override_settings(BOOKING_ANONYMISE_AFTER_DAYS=30)
def test_the_booking_anonymisation_age_is_a_setting():
    location = LocationFactory()
    phone_call = ConsultationTypeFactory(locations=[location])
    old = past_consultation(NOW - dt.timedelta(days=31), location, phone_call)
    recent = past_consultation(NOW - dt.timedelta(days=29), location, phone_call)
    old_callback = callback_at(NOW - dt.timedelta(days=31))
    recent_callback = callback_at(NOW - dt.timedelta(days=29))
    assert booking_retention.apply(NOW) == {"consultations": 1, "callbacks": 1}
    assert contact(old)[:4] == contact(old_callback)[:4] == ("", "", "", "")
    assert contact(recent)[2] == contact(recent_callback)[2] == PATIENT["email"]


@override_settings(BLOG_SEARCH_LOG_DAYS=7)
def test_the_search_log_age_is_a_setting():
    today = NOW.date()
    for query, days in [("esketamine nasal", 8), ("ketamine cost", 7)]:
        ZeroResultSearch.objects.create(query=query, last_seen=today - dt.timedelta(days=days))
    assert prune_zero_results(today) == 1
    assert list(ZeroResultSearch.objects.values_list("query", flat=True)) == ["ketamine cost"]


# --- All of it, every five minutes ------------------------------------------------------------


def test_run_periodic_runs_every_job():
    location = LocationFactory()
    old_consultation = past_consultation(
        NOW - dt.timedelta(days=400), location, ConsultationTypeFactory(locations=[location])
    )
    old_screening = screening("reviewed", changed=OLD)
    with time_machine.travel(NOW - dt.timedelta(hours=5), tick=False):
        urgent = services.screening_submit(
            screening=Screening.objects.create(identity=IDENTITY, answers={**CALM, **AT_LEVEL[1]})
        )
        left = Screening.objects.create(identity=IDENTITY, answers={}, draft_urgency=2)
    ZeroResultSearch.objects.create(query="old words", last_seen=NOW.date() - dt.timedelta(days=91))
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("run_periodic", stdout=out)
    assert out.getvalue().strip() == (
        "0 reminders queued, 2 screening escalations queued, 1 left-form alerts queued, "
        "1 screenings deleted (retention), 1 consultations anonymised, "
        "0 call-back requests anonymised, 1 searches forgotten, 0 rate-limit counters deleted, "
        "0 stale tasks queued again"
    )
    assert not Screening.objects.filter(pk=old_screening.pk).exists()
    assert contact(old_consultation)[0] == ""
    assert set(urgent.alerts.values_list("kind", flat=True)) >= set(StaffAlert.ESCALATIONS)
    left.refresh_from_db()
    assert left.awaits_acknowledgement
    assert list(left.alerts.values_list("kind", flat=True)) == ["abandoned_risk_draft"]
    assert not ZeroResultSearch.objects.exists()
    assert Screening.objects.in_triage().count() == 2


# --- Deleted while a clinician acts on it -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("acknowledge", {"action": "called_patient", "note": "Spoke with Solveig"}),
        ("review", {"step": "reopen"}),
        ("review", {"step": "became_patient"}),
        ("note", {"text": "Spoke with Solveig"}),
    ],
)
def test_a_screening_deleted_by_retention_while_a_clinician_posts_is_a_message_not_a_500(
    staff_client, monkeypatch, name, data
):
    gone = screening(
        "reviewed", changed=OLD, urgency=2, needs_acknowledgement=True, acknowledged_at=OLD
    )

    def found_then_deleted(*args, **kwargs):
        # The page found it; retention deleted it before the change was saved.
        found = get_object_or_404(*args, **kwargs)
        assert retention.apply(NOW) == 1
        return found

    monkeypatch.setattr(screening_admin, "get_object_or_404", found_then_deleted)
    client = staff_client(roles.CLINICIAN)
    response = client.post(reverse(f"admin:intake_screening_{name}", args=[gone.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:intake_screening_changelist")
    page = client.get(response["Location"]).content.decode()
    assert f"Screening #{gone.pk} no longer exists" in page
    assert not Acknowledgement.objects.exists() and not ScreeningNote.objects.exists()
    assert not AuditEntry.objects.filter(actor=client.user).exists()


def test_the_services_refuse_a_screening_that_is_gone():
    clinician = UserFactory(is_staff=True)
    stale = screening("reviewed", changed=OLD)
    Screening.objects.filter(pk=stale.pk).delete()
    for act in (
        lambda: services.screening_review(screening=stale, step="reopen", by=clinician),
        lambda: services.screening_patient_set(screening=stale, became_patient=True, by=clinician),
        lambda: services.screening_note_add(screening=stale, text="A note", by=clinician),
        lambda: services.screening_acknowledge(
            screening=stale, action="called_patient", note="Rang", by=clinician
        ),
    ):
        with pytest.raises(services.ScreeningGone):
            act()
    assert not ScreeningNote.objects.exists()
