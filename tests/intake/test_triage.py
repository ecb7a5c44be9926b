"""The clinician's triage: the queue's order, who may open what, acknowledging every
screening that is not routine before review, a draft's urgency so far, and the one-screen
summary."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEntry
from intake import flagging, flags, instruments, services
from intake.models import Acknowledgement, Screening, ScreeningNote
from mindscape import roles
from tests.booking.conftest import at
from tests.builders.intake import (
    AT_LEVEL,
    CALM,
    IDENTITY,
    LIST,
    NEW_YORK,
    NOTHING,
    left_draft,
    post,
    questionnaire_data,
    submitted,
    through,
    url,
)
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db

NOTE = "Spoke with Solveig at 14:10; safety plan agreed, husband with her tonight"


def change_url(screening) -> str:
    return reverse("admin:intake_screening_change", args=[screening.pk])


def acknowledge(client, screening, **data):
    return client.post(reverse("admin:intake_screening_acknowledge", args=[screening.pk]), data)


def review(client, screening, step, **kwargs):
    return client.post(
        reverse("admin:intake_screening_review", args=[screening.pk]), {"step": step}, **kwargs
    )


# --- The queue's order ------------------------------------------------------------------------


def test_the_queue_is_urgency_first_then_longest_waiting_and_a_left_form_by_its_risk_so_far(
    staff_client,
):
    nine = dt.datetime(2026, 12, 1, 9, tzinfo=NEW_YORK)

    def hours(n):
        return nine + dt.timedelta(hours=n)

    # Created in an order that matches neither the expected order nor the times, so neither
    # the primary key nor the submission time alone can produce the right queue.
    routine_newer = submitted(7, now=hours(6))
    low = submitted(4, now=hours(5))
    high = submitted(1, now=hours(4))
    caution = submitted(6, now=hours(3))
    routine_older = submitted(7, now=hours(1))
    item9_high = submitted(2, now=hours(2))
    contraindication = submitted(5, now=hours(0))
    moderate = submitted(3, now=hours(7))
    # Left after an item-9 answer of 2, before item9_high was sent: it waits longer.
    left = left_draft(2, last_touched=hours(1.5), needs_acknowledgement=True)
    # Not in the queue by default: reviewed (acknowledged), and a calm unfinished form.
    done = submitted(2, now=hours(0))
    Screening.objects.filter(pk=done.pk).update(status="reviewed", acknowledged_at=hours(1))
    left_draft(None, last_touched=hours(0))

    expected = [
        high,
        left,
        item9_high,
        moderate,
        low,
        contraindication,
        caution,
        routine_older,
        routine_newer,
    ]
    assert [s.urgency or s.draft_urgency for s in expected] == [1, 2, 2, 3, 4, 5, 6, 7, 7]
    expected_pks = [s.pk for s in expected]

    in_queue = Screening.objects.in_triage().queue()
    assert [s.pk for s in in_queue] == expected_pks

    response = staff_client(roles.CLINICIAN).get(LIST)
    assert response.status_code == 200
    assert [s.pk for s in response.context["cl"].result_list] == expected_pks
    # And the page shows them in that order.
    html = response.content.decode().split('id="result_list"')[1]
    shown = [int(pk) for pk in re.findall(r"/admin/intake/screening/(\d+)/change/", html)]
    assert shown == expected_pks
    assert f"{flags.Urgency(2).label} (form not sent)" in html
    # Beside the level, what set it, in plain words.
    assert "C-SSRS Q2: active suicidal thoughts, past month" in html


def changed_before_sending(draft_urgency: int = 2, *, now: dt.datetime | None = None) -> Screening:
    """Sent calm (urgency 7) after a risk answer of ``draft_urgency`` was given and changed."""
    draft = Screening.objects.create(identity=IDENTITY, answers=CALM, draft_urgency=draft_urgency)
    screening = services.screening_submit(screening=draft, now=now)
    assert (screening.urgency, screening.awaits_acknowledgement) == (7, True)
    return screening


def test_a_risk_answer_changed_before_sending_sorts_by_that_answer_until_acknowledged(
    staff_client,
):
    nine = dt.datetime(2026, 12, 1, 9, tzinfo=NEW_YORK)
    calm = submitted(7, now=nine)
    moderate = submitted(3, now=nine)
    item9 = submitted(2, now=nine + dt.timedelta(hours=1))
    changed = changed_before_sending(2, now=nine + dt.timedelta(hours=3))
    client = staff_client(roles.CLINICIAN)

    response = client.get(LIST)
    assert [s.pk for s in response.context["cl"].result_list] == [
        item9.pk,
        changed.pk,
        moderate.pk,
        calm.pk,
    ]
    assert (
        f"{flags.Urgency(2).label} (answer changed before sending; sent as 7)"
        in response.content.decode()
    )
    urgent = client.get(LIST, {"urgency": "2"}).context["cl"].result_list
    assert [s.pk for s in urgent] == [item9.pk, changed.pk]

    acknowledge(client, changed, action="called_patient", note=NOTE)
    response = client.get(LIST)
    assert [s.pk for s in response.context["cl"].result_list] == [
        item9.pk,
        moderate.pk,
        calm.pk,
        changed.pk,
    ]
    assert [s.pk for s in client.get(LIST, {"urgency": "7"}).context["cl"].result_list] == [
        calm.pk,
        changed.pk,
    ]


def test_a_risk_answer_changed_before_sending_alerts_at_once_like_the_answer_given():
    changed = changed_before_sending(1)
    assert list(changed.alerts.values_list("kind", flat=True)) == ["urgent_submission"]
    assert services.effective_urgency(changed) == 1
    mild = changed_before_sending(4)
    # Every sign of risk alerts at once, level 4 (C-SSRS question 1 only) included.
    assert list(mild.alerts.values_list("kind", flat=True)) == ["urgent_submission"]
    assert services.effective_urgency(mild) == 4
    assert mild.urgency_reasons == ["risk_answer_changed"]
    flagged = changed_before_sending(5)
    assert not flagged.alerts.exists()  # not a sign of risk: in the queue, no alert


# --- Who may open what ------------------------------------------------------------------------


def contents_urls(screening):
    return [
        change_url(screening),
        reverse("admin:intake_screening_print", args=[screening.pk]),
        reverse("admin:intake_screening_history", args=[screening.pk]),
        reverse("admin:intake_screening_export"),
    ]


def actions(screening):
    return [
        (
            reverse("admin:intake_screening_acknowledge", args=[screening.pk]),
            {"action": "called_patient", "note": NOTE},
        ),
        (reverse("admin:intake_screening_review", args=[screening.pk]), {"step": "start_review"}),
        (reverse("admin:intake_screening_note", args=[screening.pk]), {"text": NOTE}),
    ]


def test_the_front_desk_sees_the_queue_without_names_or_links_and_opens_nothing(staff_client):
    screening = submitted(2)
    client = staff_client(roles.FRONT_DESK)
    listing = client.get(LIST)
    assert listing.status_code == 200
    html = listing.content.decode()
    # A neutral band, nothing clinical: no level label, no reasons.
    assert f"#{screening.pk}" in html and '<td class="field-urgency_neutral">Priority</td>' in html
    rows = html.split('id="result_list"')[1].split("</table>")[0]
    assert flags.Urgency(2).label not in html and "PHQ-9" not in rows
    assert "phq9_item9" not in html and "C-SSRS" not in rows
    for secret in IDENTITY.values():
        assert secret not in html
    assert f"/admin/intake/screening/{screening.pk}/" not in html
    assert reverse("admin:intake_screening_export") not in html
    for address in contents_urls(screening):
        assert client.get(address).status_code == 403, address
    for address, data in actions(screening):
        assert client.post(address, data).status_code == 403, address
    screening.refresh_from_db()
    assert (screening.status, screening.acknowledged_at) == ("submitted", None)
    assert not Acknowledgement.objects.exists() and not ScreeningNote.objects.exists()
    tried = AuditEntry.objects.filter(Q(actor=client.user) | Q(action__startswith="screening"))
    assert not tried.exclude(action="screening_submitted").exists()


@pytest.mark.parametrize("role", [roles.CONTENT_EDITOR, roles.MEDICAL_REVIEWER])
def test_content_staff_get_no_screening_page_at_all(staff_client, role):
    screening = submitted(2)
    client = staff_client(role)
    assert client.get(LIST).status_code == 403
    for address in contents_urls(screening):
        assert client.get(address).status_code == 403, address
    for address, data in actions(screening):
        assert client.post(address, data).status_code == 403, address
    assert not Acknowledgement.objects.exists() and not ScreeningNote.objects.exists()


@pytest.mark.parametrize("role", [roles.CLINICIAN, roles.ADMINISTRATOR])
def test_clinicians_and_administrators_open_and_act_on_a_screening(staff_client, role):
    screening = submitted(2)
    client = staff_client(role)
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert change_url(screening) in listing.content.decode()
    assert reverse("admin:intake_screening_export") in listing.content.decode()
    for address in contents_urls(screening):
        assert client.get(address).status_code == 200, address
    for address, data in actions(screening):
        response = client.post(address, data)
        assert (response.status_code, response["Location"]) == (302, change_url(screening))
    screening.refresh_from_db()
    assert screening.status == "in_review" and screening.acknowledged_at is not None
    assert Acknowledgement.objects.get().by == client.user
    assert ScreeningNote.objects.get().author == client.user


# --- Acknowledging every screening that is not routine -----------------------------------


@pytest.mark.parametrize(
    ("level", "shows_crisis", "flag_codes", "needed"),
    [
        *((level, False, [], True) for level in (1, 2, 3, 4)),
        (5, False, ["cardiac_disease"], True),  # a label contraindication only
        (6, False, ["psychosis"], True),  # a caution only
        (6, False, ["medication_lamotrigine"], True),  # a medicine, information or not
        (7, False, [], False),
        (7, False, ["hypertension_treated"], False),  # information only: routine
        (7, True, [], True),  # crisis resources shown
        (7, False, ["crisis_wording"], True),
    ],
)
def test_every_screening_that_is_not_routine_needs_an_acknowledgement(
    level, shows_crisis, flag_codes, needed
):
    computed = {"urgency": level, "shows_crisis": shows_crisis, "flag_codes": flag_codes}
    assert services.needs_acknowledgement(computed) is needed


def test_an_urgency_outside_the_order_is_refused_not_read_as_routine():
    with pytest.raises(ValueError, match="is not a valid Urgency"):
        services.needs_acknowledgement({"urgency": 8, "shows_crisis": False, "flag_codes": []})


@pytest.mark.parametrize(("level", "flag"), [(5, "cardiac_disease"), (6, "psychosis")])
def test_a_flag_without_risk_cannot_be_marked_reviewed_until_acknowledged(
    staff_client, level, flag
):
    screening = submitted(level)
    assert (screening.flag_codes, screening.shows_crisis) == ([flag], False)
    assert screening.awaits_acknowledgement
    client = staff_client(roles.CLINICIAN)
    assert "Acknowledge this screening" in client.get(change_url(screening)).content.decode()
    with pytest.raises(services.ScreeningError, match="acknowledge it"):
        services.screening_review(screening=screening, step="mark_reviewed", by=client.user)
    page = review(client, screening, "mark_reviewed", follow=True)
    assert "acknowledge it (say what was done) before marking it reviewed" in page.content.decode()
    screening.refresh_from_db()
    assert screening.status == "submitted"
    assert not AuditEntry.objects.filter(action="screening_reviewed").exists()

    response = acknowledge(client, screening, action="scheduled", note="Booked a consultation")
    assert response.status_code == 302
    assert review(client, screening, "mark_reviewed").status_code == 302
    screening.refresh_from_db()
    assert (screening.status, screening.awaits_acknowledgement) == ("reviewed", False)
    assert AuditEntry.objects.filter(action="screening_reviewed").count() == 1


@pytest.mark.parametrize(("level", "flag"), [(5, "cardiac_disease"), (6, "psychosis")])
def test_a_flag_without_risk_awaiting_acknowledgement_alerts_nobody(level, flag):
    screening = submitted(level)
    assert screening.awaits_acknowledgement
    assert services.effective_urgency(screening) == level
    assert not services.is_urgent(screening)
    assert not screening.alerts.exists()  # in the queue, no immediate alert


def test_a_routine_screening_with_an_information_only_flag_is_reviewed_without_one(
    staff_client,
):
    screening = submitted(
        prescreen={**NOTHING, "high_blood_pressure": "yes_controlled"},
    )
    assert (screening.urgency, screening.flag_codes) == (7, ["hypertension_treated"])
    assert not screening.needs_acknowledgement
    client = staff_client(roles.CLINICIAN)
    assert review(client, screening, "mark_reviewed").status_code == 302
    screening.refresh_from_db()
    assert (screening.status, screening.acknowledged_at) == ("reviewed", None)


def test_a_sign_of_risk_cannot_be_marked_reviewed_until_acknowledged(staff_client):
    screening = submitted(2)
    assert screening.awaits_acknowledgement
    client = staff_client(roles.CLINICIAN)
    with pytest.raises(services.ScreeningError, match="acknowledge it"):
        services.screening_review(screening=screening, step="mark_reviewed", by=client.user)
    assert review(client, screening, "start_review").status_code == 302
    page = review(client, screening, "mark_reviewed", follow=True)
    assert "acknowledge it (say what was done) before marking it reviewed" in page.content.decode()
    screening.refresh_from_db()
    assert screening.status == "in_review"
    assert not AuditEntry.objects.filter(action="screening_reviewed").exists()

    response = acknowledge(client, screening, action="called_patient", note=NOTE)
    assert response.status_code == 302
    review(client, screening, "mark_reviewed")
    screening.refresh_from_db()
    assert screening.status == "reviewed"
    assert AuditEntry.objects.filter(action="screening_reviewed").count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"note": NOTE}, "Choose what was done."),
        ({"action": "called_patient", "note": "   "}, "Say in a few words what was done."),
        ({"action": "rang_a_bell", "note": NOTE}, "Select a valid choice."),
    ],
)
def test_an_acknowledgement_needs_an_action_and_a_note_and_keeps_what_was_typed(
    staff_client, data, error
):
    screening = submitted(1)
    response = acknowledge(staff_client(roles.CLINICIAN), screening, **data)
    # Re-shown, not redirected (200 like every form of the site: intake/admin.py).
    assert response.status_code == 200
    assert response.templates[0].name == "admin/intake/screening/summary.html"
    html = response.content.decode()
    assert error in html
    textarea = re.search(r'<textarea name="note"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert textarea.strip() == escape(data["note"].strip())
    screening.refresh_from_db()
    assert screening.acknowledged_at is None
    assert not Acknowledgement.objects.exists()
    assert not AuditEntry.objects.filter(action="screening_acknowledged").exists()


def test_a_calm_screening_is_reviewed_without_acknowledgement_and_cannot_be_acknowledged(
    staff_client,
):
    screening = submitted(7)
    assert not screening.needs_acknowledgement
    client = staff_client(roles.CLINICIAN)
    response = acknowledge(client, screening, action="no_action_needed", note="Nothing to do")
    assert response.status_code == 302  # back to the summary, with the reason as a message
    page = client.get(response.url).content.decode()
    assert "Acknowledge this screening" not in page  # no form offered
    assert "<dt>Acknowledgement</dt><dd>not needed</dd>" in page
    with pytest.raises(services.ScreeningError):
        services.screening_acknowledge(
            screening=screening, action="no_action_needed", note="x", by=client.user
        )
    assert not Acknowledgement.objects.exists()
    review(client, screening, "mark_reviewed")
    screening.refresh_from_db()
    assert (screening.status, screening.acknowledged_at) == ("reviewed", None)


def test_refusing_to_acknowledge_a_screening_without_risk_says_why(staff_client):
    screening = submitted(7)
    client = staff_client(roles.CLINICIAN)
    response = client.post(
        reverse("admin:intake_screening_acknowledge", args=[screening.pk]),
        {"action": "no_action_needed", "note": "Nothing to do"},
        follow=True,
    )
    assert "This screening is routine: there is nothing to acknowledge." in (
        response.content.decode()
    )
    assert not Acknowledgement.objects.exists()


def test_the_acknowledgement_note_is_encrypted_and_never_audited(staff_client):
    screening = submitted(2)
    client = staff_client(roles.CLINICIAN)
    acknowledge(client, screening, action="called_patient", note=NOTE)
    ack = Acknowledgement.objects.get()
    assert (ack.note, ack.action, ack.by, ack.of_draft) == (
        NOTE,
        "called_patient",
        client.user,
        False,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_acknowledgement")
        raw = repr(cursor.fetchall())
    assert screening.pk and "called_patient" in raw  # the right table, read for real
    for word in ("Solveig", "safety plan", "husband", "14:10"):
        assert word not in raw
    entry = AuditEntry.objects.get(action="screening_acknowledged")
    assert entry.detail == {"action": "called_patient", "of_draft": False, "urgency": 2}
    for entry in AuditEntry.objects.all():
        assert "safety" not in repr(entry.detail) + entry.object_label
    # The clinician reads it back on the summary.
    assert escape(NOTE) in client.get(change_url(screening)).content.decode()


def test_every_opening_and_every_triage_step_is_audited(staff_client):
    screening = submitted(2)
    client = staff_client(roles.CLINICIAN)
    client.get(change_url(screening))
    client.get(reverse("admin:intake_screening_print", args=[screening.pk]))
    history = client.get(reverse("admin:intake_screening_history", args=[screening.pk]))
    assert history.status_code == 200
    export = client.get(reverse("admin:intake_screening_export"))
    acknowledge(client, screening, action="scheduled", note=NOTE)
    note = client.post(reverse("admin:intake_screening_note", args=[screening.pk]), {"text": NOTE})
    assert note.status_code == 302
    for step in ("start_review", "mark_reviewed", "reopen", "became_patient", "not_patient"):
        assert review(client, screening, step).status_code == 302
    entries = list(AuditEntry.objects.filter(actor=client.user).order_by("pk"))
    assert [e.action for e in entries] == [
        "screening_viewed",
        "screening_printed",
        "screening_history_viewed",
        "screenings_exported",
        "screening_acknowledged",
        "screening_note_added",
        "screening_review_started",
        "screening_reviewed",
        "screening_reopened",
        "screening_became_patient",
        "screening_not_patient",
    ]
    for entry in entries:
        if entry.action == "screenings_exported":
            assert (entry.object_pk, entry.detail) == ("", {"rows": 1})
        else:
            assert entry.object_pk == str(screening.pk)
        assert "safety" not in repr(entry.detail)
    assert entries[5].detail == {"note": ScreeningNote.objects.get().pk}  # the note's number
    screening.refresh_from_db()
    assert (screening.status, screening.became_patient_at) == ("in_review", None)
    # The export itself holds numbers and codes, not the person or the answers.
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:5] == [
        "screening",
        "urgency",
        "urgency label",
        "urgency reasons",
        "urgency scale",
    ]
    assert rows[1][:7] == [
        str(screening.pk),
        "2",
        flags.Urgency(2).label,
        "phq9_item9_2",
        flags.URGENCY_SCALE,
        "Submitted",
        "awaiting acknowledgement",
    ]
    for secret in IDENTITY.values():
        assert secret not in export.content.decode()


def test_a_draft_cannot_be_marked_as_a_patients(staff_client):
    draft = left_draft(2, last_touched=dt.datetime(2026, 12, 1, 9, tzinfo=NEW_YORK))
    client = staff_client(roles.CLINICIAN)
    page = review(client, draft, "became_patient", follow=True)
    assert "never sent cannot be marked" in page.content.decode()
    draft.refresh_from_db()
    assert draft.became_patient_at is None


def test_an_acknowledgement_of_a_left_form_does_not_cover_the_sent_answers(staff_client):
    draft = Screening.objects.create(identity=IDENTITY, answers={**CALM, **AT_LEVEL[2]})
    Screening.objects.filter(pk=draft.pk).update(needs_acknowledgement=True, draft_urgency=2)
    client = staff_client(roles.CLINICIAN)
    acknowledge(client, draft, action="called_patient", note=NOTE)
    assert Acknowledgement.objects.get().of_draft
    draft.refresh_from_db()
    assert draft.acknowledged_at is not None
    sent = services.screening_submit(screening=draft)
    assert sent.awaits_acknowledgement


# --- A draft's urgency so far -------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({"phq9": {"q9": 3}}, 2),
        ({"phq9": {"q9": 2}}, 2),
        ({"phq9": {"q9": 1}}, 4),
        ({"phq9": {"q9": 0}}, None),
        # C-SSRS question 2 yes, its follow-ups (3-5) not answered yet: level 3, a lower bound.
        ({"cssrs": {"q1": 0, "q2": 1}}, 3),
        ({"cssrs": {"q1": 0, "q2": 1, "q3": None, "q4": None}}, 3),
        ({"cssrs": {"q1": 1, "q2": 0}}, 4),
        ({"cssrs": {"q1": 1, "q2": 1, "q3": 1}}, 2),
        ({"cssrs": {"q1": 0, "q2": 1, "q3": 0, "q4": 1}}, 1),
        ({"cssrs": {"q1": 0, "q2": 1, "q3": 0, "q4": 0, "q5": 1}}, 1),
        # Behaviour, its recency not answered (a form left there): counted as recent.
        ({"cssrs": {"q1": 0, "q2": 0, "q6": 1}}, 1),
        ({"cssrs": {"q1": 0, "q2": 0, "q6": 1, "q6_recent": None}}, 1),
        ({"cssrs": {"q1": 0, "q2": 0, "q6": 1, "q6_recent": 0}}, 2),
        ({"cssrs": {"q1": 0, "q2": 0, "q6": 1, "q6_recent": 1}}, 1),
        ({"prescreen": {"medication_names": "some days I want to kill myself"}}, 3),
        ({"history": {"goals": "I want to end my life"}}, 3),
        ({"phq9": {"q9": 2}, "prescreen": {"medication_names": "I want to kill myself"}}, 2),
        (CALM, None),
        ({}, None),
        ({"prescreen": {**NOTHING, "heart_disease": True}}, None),
    ],
)
def test_the_urgency_of_a_draft_is_a_lower_bound_from_its_risk_answers(answers, level):
    assert services.draft_urgency(answers) == level


def test_a_draft_keeps_the_strongest_risk_seen_so_far():
    draft = Screening(answers={"phq9": {"q9": 2}})
    services.draft_risk_update(draft)
    assert draft.draft_urgency == 2
    draft.answers = {"phq9": {"q9": 0}}  # the patient went back and changed the answer
    services.draft_risk_update(draft)
    assert draft.draft_urgency == 2
    draft.answers = {"phq9": {"q9": 0}, "cssrs": {"q1": 0, "q2": 1, "q3": 0, "q4": 1}}
    services.draft_risk_update(draft)
    assert draft.draft_urgency == 1


def test_the_form_stores_the_draft_urgency_as_the_patient_goes(client):
    through(client, upto="questionnaires")
    assert Screening.objects.get().draft_urgency is None
    response = post(client, "questionnaires", questionnaire_data(item9="2"))
    assert response["Location"] == url("cssrs")
    assert Screening.objects.get().draft_urgency == 2
    # Going back and answering "not at all" leaves the risk seen on record.
    post(client, "questionnaires", questionnaire_data(item9="0"))
    draft = Screening.objects.get()
    assert (draft.status, draft.draft_urgency, draft.answers["phq9"]["q9"]) == ("draft", 2, 0)


# --- The summary --------------------------------------------------------------------------


def row(*cells: str) -> str:
    return "".join(f"<td>{escape(cell)}</td>" for cell in cells)


def test_the_summary_shows_everything_a_clinician_triages_on(staff_client):
    location = LocationFactory(name="Harbor View")
    phone_call = ConsultationTypeFactory(name="Phone consultation", locations=[location])
    with time_machine.travel(at(1, 8), tick=False):
        consultation = book(location, phone_call, at(2, 10))
    prescreen = {
        **NOTHING,
        "heart_disease": True,
        "medication_categories": ["benzodiazepine"],
        "medication_names": "Lamictal 100mg",
    }
    screening = submitted(
        phq9={**CALM["phq9"], "q9": 1},
        cssrs={"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0},
        prescreen=prescreen,
    )
    Screening.objects.filter(pk=screening.pk).update(consultation=consultation)
    assert (screening.urgency, screening.phq9_total, screening.gad7_total) == (3, 9, 7)

    client = staff_client(roles.CLINICIAN)
    pages = {
        "summary": client.get(change_url(screening)),
        "print": client.get(reverse("admin:intake_screening_print", args=[screening.pk])),
    }
    cssrs = instruments.INSTRUMENTS["cssrs"]
    questions = {q.code: q.text for q in flags.PRESCREEN_QUESTIONS}
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f"<strong>{flags.Urgency(3).label}</strong>" in html, name
        assert "<code>cssrs_q2</code> C-SSRS Q2: active suicidal thoughts, past month" in html
        assert "<code>phq9_item9_1</code>" in html, name
        assert IDENTITY["name"] in html and IDENTITY["phone"] in html, name
        # Scores with their bands.
        assert '<th scope="row">PHQ-9 (depression)</th>' + row("9 / 27", "Mild") in html, name
        assert '<th scope="row">GAD-7 (anxiety)</th>' + row("7 / 21", "Mild") in html, name
        assert '<th scope="row">C-SSRS screen</th>' + row("Low", "—") in html, name
        # Item 9, and every C-SSRS question with its answer (or that it was not asked).
        assert "Several days (1)" in html, name
        for code, answer in [
            ("q1", "Yes"),
            ("q2", "Yes"),
            ("q3", "No"),
            ("q4", "No"),
            ("q5", "No"),
            ("q6", "No"),
            ("q6_recent", "not asked"),
        ]:
            assert "<tr>" + row(cssrs.item(code).text, answer) + "</tr>" in html, (name, code)
        # Each flag with its kind, the answer behind it and why it matters.
        reasons = {f.code: f.reason for f in flagging.evaluate(prescreen)}
        for code, kind, question, answer in [
            ("cardiac_disease", "contraindication", "heart_disease", "Yes"),
            ("medication_benzodiazepine", "caution", "medication_categories", "benzodiazepine"),
            ("medication_lamotrigine", "information", "medication_names", "lamictal"),
        ]:
            assert (
                f'<th scope="row">{code}</th><td>{kind}</td>'
                f"<td>{escape(questions[question])}: <strong>{answer}</strong></td>"
                f"<td>{escape(reasons[code])}</td>"
            ) in html, (name, code)
        # Medicines: the group ticked and the names typed.
        category = dict(flags.QUESTIONS_BY_CODE["medication_categories"].choices)
        assert f"<li>{escape(category['benzodiazepine'])}</li>" in html, name
        assert "Listed by the patient: Lamictal 100mg" in html, name
        # The linked consultation, with its status.
        assert consultation.reference in html, name
        assert "Phone consultation at Harbor View · 2026-12-02 10:00 · Booked" in html, name
    assert "Confidential patient information" in pages["print"].content.decode()
    assert "Confidential patient information" not in pages["summary"].content.decode()
    assert [e.action for e in AuditEntry.objects.filter(actor=client.user).order_by("pk")] == [
        "screening_viewed",
        "screening_printed",
    ]


def test_the_summary_changes_nothing_on_post(staff_client):
    screening = submitted(2)
    client = staff_client(roles.CLINICIAN)
    assert client.post(change_url(screening), {"status": "reviewed"}).status_code == 403
    screening.refresh_from_db()
    assert screening.status == "submitted"


def test_a_left_forms_summary_shows_the_risk_answers_given_so_far(staff_client):
    left = left_draft(
        1, last_touched=dt.datetime(2026, 12, 1, 9, tzinfo=NEW_YORK), needs_acknowledgement=True
    )
    left.answers = {
        "phq9": {"q1": 2, "q9": 2},
        "cssrs": {"q1": 1, "q2": 1, "q3": 1, "q4": 1},
        "prescreen": {"heart_disease": True},
    }
    left.save(update_fields=["answers"])
    client = staff_client(roles.CLINICIAN)
    response = client.get(change_url(left))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<strong>{flags.Urgency(1).label} (form not sent)</strong>" in html
    assert "Not scored: the form was not sent." in html
    assert "More than half the days (2)" in html
    cssrs = instruments.INSTRUMENTS["cssrs"]
    assert "<tr>" + row(cssrs.item("q4").text, "Yes") + "</tr>" in html
    assert "<tr>" + row(cssrs.item("q5").text, "not asked") + "</tr>" in html
    assert "<dt>Consultation</dt><dd>none linked</dd>" in html
    assert "Acknowledge this screening" in html
    assert 'value="became_patient"' not in html  # a form never sent is nobody's record yet


def test_a_risk_answer_changed_before_sending_still_needs_an_acknowledgement(staff_client):
    screening = Screening.objects.create(
        identity={"first_name": "Sam", "last_name": "Changed-Mind"},
        answers=CALM,
        draft_urgency=2,  # item 9 was "more than half the days" before it was changed
    )
    screening = services.screening_submit(screening=screening)
    assert (screening.urgency, screening.needs_acknowledgement) == (7, True)
    page = staff_client(roles.CLINICIAN).get(
        reverse("admin:intake_screening_change", args=[screening.pk])
    )
    assert "a stronger risk answer was given, then changed before sending" in page.content.decode()


def test_an_export_with_a_parameter_the_list_does_not_offer_is_refused(staff_client):
    """As the list does: only the filters shown may be used, so nothing can be learnt
    through a lookup typed into the address."""
    client = staff_client(roles.CLINICIAN)
    response = client.get(reverse("admin:intake_screening_export") + "?nonsense=1")
    assert response.status_code == 400
    assert "nonsense" not in response.content.decode()
