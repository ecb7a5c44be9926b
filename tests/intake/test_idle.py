"""A screening form on a shared phone, through the test client: the draft closes in the
session after INTAKE_IDLE_SECONDS without a request; the page's answers can be saved unsent
(CSRF-protected POST, draft rules kept) and are shown again; Back links; review formats."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from intake import summary
from intake.models import Screening
from intake.views import UNSENT_KEY
from tests.builders.intake import CSSRS_NO, HISTORY, begin, post, questionnaire_data, through, url

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 15, tzinfo=dt.UTC)
CLOSED = reverse("intake:closed")


def save_url(code):
    return reverse("intake:save", kwargs={"code": code})


def checked(html):
    """(name, value) of every ticked radio button or checkbox."""
    inputs = re.findall(r"<input[^>]*>", html)
    return {
        (re.search(r'name="([^"]+)"', tag)[1], re.search(r'value="([^"]*)"', tag)[1])
        for tag in inputs
        if re.search(r"\schecked\b", tag)
    }


def unsent(code):
    return (Screening.objects.get().answers.get(UNSENT_KEY) or {}).get(code)


# --- Closing after inactivity ----------------------------------------------------------------


def test_a_draft_left_30_minutes_closes_in_the_session_and_keeps_what_was_sent(client):
    with time_machine.travel(NOW, tick=False) as clock:
        through(client, upto="questionnaires")
        clock.shift(dt.timedelta(minutes=30))
        assert client.get(url("questionnaires")).status_code == 200  # exactly 30: still open
        clock.shift(dt.timedelta(minutes=30, seconds=1))
        response = post(client, "questionnaires", questionnaire_data())
        assert response["Location"] == CLOSED
        # Closed for good in this browser: no draft to go back to.
        assert client.get(url("about"))["Location"] == reverse("intake:start")
    screening = Screening.objects.get()
    assert screening.status == Screening.Status.DRAFT
    assert screening.identity["first_name"] == "Ada"  # what was sent is kept
    assert screening.answers["history"]["conditions"] == HISTORY["conditions"]
    assert "phq9" not in screening.answers  # sent after it closed: not taken


def test_every_request_counts_as_activity(client):
    with time_machine.travel(NOW, tick=False) as clock:
        through(client, upto="history")
        for _ in range(3):
            clock.shift(dt.timedelta(minutes=25))
            assert client.get(url("history")).status_code == 200


def test_the_page_is_told_the_time_left_as_the_server_counts_it(client):
    with time_machine.travel(NOW, tick=False) as clock:
        through(client, upto="history")
        clock.shift(dt.timedelta(seconds=20))  # activity is noted every 30 seconds at most
        assert client.get(url("history")).context["idle"]["seconds"] == 30 * 60 - 20
        clock.shift(dt.timedelta(seconds=20))
        assert client.get(url("history")).context["idle"]["seconds"] == 30 * 60
        clock.shift(dt.timedelta(minutes=29, seconds=50))
        saved = client.post(save_url("history"), {"duration": "over_5_years"}).json()
        assert saved["seconds"] == 30 * 60  # Continue starts the time again


def test_the_resume_link_still_opens_a_closed_draft(client, settings):
    settings.SITE_URL = "http://testserver"
    with time_machine.travel(NOW, tick=False) as clock:
        through(client, upto="history")
        resume_path = urlsplit(client.get(url("history")).context["resume_url"]).path
        clock.shift(dt.timedelta(minutes=31))
        assert client.get(url("history"))["Location"] == CLOSED
        response = client.post(resume_path, {"date_of_birth": "1990-02-03"})
        assert response["Location"] == url("history")
        assert client.get(url("history")).status_code == 200


def test_the_closed_page_says_why_and_how_to_come_back(client):
    html = client.get(CLOSED).content.decode()
    assert "after 30 minutes without activity" in html
    assert "private link we emailed you" in html


def test_a_session_without_a_time_of_last_use_is_closed(client):
    begin(client)
    session = client.session
    del session["intake_active_at"]
    session.save()
    assert client.get(url("about"))["Location"] == CLOSED


# --- Saving the page's answers unsent ----------------------------------------------------------


def test_save_keeps_the_page_answers_encrypted_and_shows_them_again(client):
    through(client, upto="questionnaires")
    partial = {"phq9_q1": "3", "phq9_q2": "2", "gad7_q1": "1", "unknown": "x"}
    response = client.post(save_url("questionnaires"), partial)
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert 30 * 60 - 5 <= response.json()["seconds"] <= 30 * 60
    assert unsent("questionnaires") == {"phq9_q1": ["3"], "phq9_q2": ["2"], "gad7_q1": ["1"]}
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers::text FROM intake_screening")
        stored = cursor.fetchone()[0]
    assert "phq9_q1" not in stored and "unsent" not in stored  # encrypted at rest
    html = client.get(url("questionnaires")).content.decode()
    assert checked(html) == {("phq9_q1", "3"), ("phq9_q2", "2"), ("gad7_q1", "1")}
    assert "Please check" not in html and "Choose an answer" not in html  # not checked
    assert Screening.objects.get().answers["progress"] == ["about", "history"]  # not sent


def test_sending_the_step_replaces_its_unsent_answers(client):
    through(client, upto="questionnaires")
    client.post(save_url("questionnaires"), {"phq9_q1": "3"})
    client.post(save_url("history"), {"duration": "over_5_years"})
    assert post(client, "questionnaires", questionnaire_data()).status_code == 302
    assert unsent("questionnaires") is None
    assert unsent("history") == {"duration": ["over_5_years"]}
    assert Screening.objects.get().answers["phq9"]["q1"] == 1


def test_sending_the_form_drops_every_unsent_answer(client):
    through(client, upto="review")
    client.post(save_url("medical"), {"ride_home": "no"})
    through_review = post(client, "review", {"consent": "on", "signature": "Ada Lovelace"})
    assert through_review.status_code == 302
    screening = Screening.objects.get()
    assert screening.status == Screening.Status.SUBMITTED
    assert UNSENT_KEY not in screening.answers


def test_the_review_step_keeps_no_unsent_consent(client):
    through(client, upto="review")
    assert client.post(save_url("review"), {"consent": "on", "signature": "x"}).status_code == 200
    assert unsent("review") is None


def test_save_with_end_closes_the_draft_in_the_session(client):
    through(client, upto="questionnaires")
    response = client.post(save_url("questionnaires"), {"phq9_q1": "2", "end": "1"})
    assert response.json() == {"closed": CLOSED}
    assert unsent("questionnaires") == {"phq9_q1": ["2"]}
    assert client.get(url("questionnaires"))["Location"] == reverse("intake:start")


def test_save_is_post_only_and_csrf_protected():
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("intake:start"))
    token = page.context["csrf_token"]
    client.post(reverse("intake:start"), {"adult": "yes", "csrfmiddlewaretoken": str(token)})
    assert client.get(save_url("about")).status_code == 405
    assert client.post(save_url("about"), {"first_name": "Ada"}).status_code == 403
    assert unsent("about") is None


def test_save_keeps_the_draft_rules(client):
    assert client.post(save_url("about"), {}).status_code == 410  # no draft in the session
    begin(client)
    # Not a step beyond the first unfinished one.
    assert client.post(save_url("history"), {"duration": "over_5_years"}).status_code == 409
    # The first step's honeypot and signed start time.
    started = client.get(url("about")).context["form"]["form_started"].value()
    refused = client.post(
        save_url("about"), {"first_name": "Ada", "website": "spam", "form_started": started}
    )
    assert refused.status_code == 400
    no_time = client.post(save_url("about"), {"first_name": "Ada"})
    assert no_time.status_code == 400
    assert unsent("about") is None
    fine = client.post(save_url("about"), {"first_name": "Ada", "form_started": started})
    assert fine.status_code == 200
    assert unsent("about") == {"first_name": ["Ada"]}  # never the antispam fields
    assert "first_name" not in (Screening.objects.get().identity or {})  # nothing sent


def test_save_after_the_draft_closed_saves_nothing(client):
    with time_machine.travel(NOW, tick=False) as clock:
        through(client, upto="questionnaires")
        clock.shift(dt.timedelta(minutes=31))
        response = client.post(save_url("questionnaires"), {"phq9_q1": "3"})
    assert response.status_code == 410
    assert response.json() == {"closed": CLOSED}
    assert unsent("questionnaires") is None


def test_an_unsent_crisis_answer_shows_the_panel_after_resuming(client):
    through(client, upto="questionnaires")
    client.post(save_url("questionnaires"), {"phq9_q9": "2", "end": "1"})
    assert Screening.objects.get().answers["crisis_level"] == "calm"


@pytest.mark.parametrize(
    ("code", "page", "level", "reason"),
    [
        ("questionnaires", {"phq9_q9": "2"}, 2, "phq9_item9_2"),
        ("cssrs", {**CSSRS_NO, "q2": "1"}, 3, "cssrs_q2"),
        ("cssrs", {**CSSRS_NO, "q1": "1"}, 4, "cssrs_q1"),
    ],
)
def test_an_unsent_risk_answer_counts_toward_the_drafts_urgency(client, code, page, level, reason):
    """A risk answer saved without being sent (Back, or the form closing) was still given:
    a form left after it is alerted like one whose page was sent."""
    through(client, upto=code)
    client.post(save_url(code), {**page, "end": "1"})
    draft = Screening.objects.get()
    assert draft.status == Screening.Status.DRAFT
    assert draft.draft_urgency == level
    assert reason in draft.urgency_reasons


def test_unsent_follow_up_questions_are_shown_again(client):
    through(client, upto="cssrs")
    client.post(save_url("cssrs"), {**CSSRS_NO, "q2": "1", "q3": "1"})
    html = client.get(url("cssrs")).content.decode()
    assert 'name="q3"' in html and 'name="q4"' in html  # asked after a YES to q2


# --- Back links ---------------------------------------------------------------------------------


def test_every_step_after_the_first_links_back_to_the_one_before(client):
    through(client, upto="review")
    assert "intake-back" not in client.get(url("about")).content.decode()
    codes = ["about", "history", "questionnaires", "cssrs", "medical", "review"]
    for number, (before, code) in enumerate(zip(codes, codes[1:], strict=False), start=2):
        html = client.get(url(code)).content.decode()
        assert f'href="{url(before)}" class="intake-back"' in html, code
        assert f"Step {number} of 6" in html


# --- Review formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+12125550199", "(212) 555-0199"),
        ("+442079460018", "+44 20 7946 0018"),  # abroad: with its country code
        ("not a number", "not a number"),
        ("", ""),
    ],
)
def test_review_phone_format(stored, shown):
    assert summary.phone(stored) == shown


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("1980-04-02", "2 April 1980"), ("1990-12-31", "31 December 1990"), ("", "")],
)
def test_review_date_of_birth_format(stored, shown):
    assert summary.date_of_birth(stored) == shown
