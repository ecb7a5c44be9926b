"""The patient's form through the test client: the gate, the steps in order, crisis
display from the server, submission, thank-you, resume links."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from intake.models import Screening
from tests.builders.intake import (
    CSSRS_NO,
    HISTORY,
    START,
    begin,
    medical_data,
    post,
    questionnaire_data,
    through,
    url,
)

pytestmark = pytest.mark.django_db


def test_the_form_is_off_until_enabled(client, settings):
    settings.INTAKE_FORM_ENABLED = False
    assert client.get(START).status_code == 404


def test_under_18_gets_a_kind_page_with_the_phone_number(client):
    response = client.post(START, {"adult": "no"})
    assert "call us on" in response.content.decode()
    assert not Screening.objects.exists()


def test_a_whole_pass_submits_and_thanks(client):
    through(client, upto="end")
    response = client.get(reverse("intake:thanks"))
    assert "your answers have been sent" in response.content.decode()
    screening = Screening.objects.get()
    assert screening.status == Screening.Status.SUBMITTED
    assert screening.urgency == 7
    assert screening.answers["consent"]["version"]
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")


def test_steps_cannot_be_skipped_by_editing_the_request(client):
    begin(client)
    response = client.get(url("cssrs"))
    assert response["Location"] == url("about")
    response = post(client, "medical", medical_data())
    assert response["Location"] == url("about")
    assert "prescreen" not in Screening.objects.get().answers


def test_an_error_on_a_later_step_keeps_every_earlier_answer(client):
    through(client, upto="questionnaires")
    bad = questionnaire_data()
    del bad["phq9_q3"]
    response = post(client, "questionnaires", bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose an answer for" in html
    screening = Screening.objects.get()
    assert screening.identity["first_name"] == "Ada"
    assert screening.answers["history"]["conditions"] == ["depression", "chronic_pain"]
    assert html.count("checked") >= 17  # the 17 answers typed on this step are still chosen


@pytest.mark.parametrize("item9", ["1", "2", "3"])
def test_item9_shows_the_crisis_panel_on_the_next_page(client, item9):
    through(client, upto="questionnaires")
    post(client, "questionnaires", questionnaire_data(item9=item9))
    html = client.get(url("cssrs")).content.decode()
    panel = html.split('id="crisis-panel"')[1].split(">")[0]
    assert 'data-level="calm"' in panel and "hidden" not in panel


def test_no_crisis_panel_when_nothing_calls_for_it(client):
    through(client, upto="cssrs")
    html = client.get(url("cssrs")).content.decode()
    assert 'data-level="none"' in html and "hidden>" in html.split('id="crisis-panel"')[1][:200]


@pytest.mark.parametrize("question", ["q1", "q2"])
def test_each_cssrs_yes_shows_the_panel_at_once(client, question):
    through(client, upto="cssrs")
    response = post(client, "cssrs", {**CSSRS_NO, question: "1"})
    html = (
        response.content.decode()
        if response.status_code == 200
        else client.get(response["Location"]).content.decode()
    )
    assert 'data-level="calm"' in html or 'data-level="strong"' in html


def test_a_cssrs_q4_yes_shows_the_strong_message(client):
    through(client, upto="cssrs")
    post(client, "cssrs", {**CSSRS_NO, "q2": "1"})
    response = post(
        client,
        "cssrs",
        {
            "shown": "q1,q2,q3,q4,q5,q6",
            "q1": "0",
            "q2": "1",
            "q3": "0",
            "q4": "1",
            "q5": "0",
            "q6": "0",
        },
    )
    html = client.get(response["Location"]).content.decode()
    assert 'data-level="strong"' in html


def test_crisis_wording_in_free_text_shows_the_panel(client):
    through(client, upto="medical")
    post(client, "medical", medical_data(medication_names="sometimes I want to end my life"))
    html = client.get(url("review")).content.decode()
    assert 'data-level="calm"' in html


def test_resume_needs_the_date_of_birth_and_dies_on_submission(client):
    from django.test import Client

    through(client, upto="history")
    resume_url = client.get(url("history")).context["resume_url"]
    assert "/intake/resume/" in resume_url  # shown once, on the page after "about you"
    assert not client.get(url("history")).context["resume_url"]
    path = urlsplit(resume_url).path
    other = Client()  # another browser
    page = other.get(path).content.decode()
    assert "Ada" not in page and "Lovelace" not in page
    wrong = other.post(path, {"date_of_birth": "1990-02-04"})
    assert "does not match" in wrong.content.decode()
    right = other.post(path, {"date_of_birth": "1990-02-03"})
    assert right["Location"] == url("history")
    for code, data in [
        ("history", HISTORY),
        ("questionnaires", questionnaire_data()),
        ("cssrs", CSSRS_NO),
        ("medical", medical_data(ride_home="yes")),
        ("review", {"consent": "on", "signature": "Ada Lovelace"}),
    ]:
        assert post(other, code, data).status_code == 302
    assert Screening.objects.get().status == Screening.Status.SUBMITTED
    assert other.get(path).status_code == 404  # dead after submission


def test_the_review_step_shows_every_answer_in_plain_words(client):
    through(client, upto="review")
    html = client.get(url("review")).content.decode()
    for text in (
        "Ada Lovelace",
        "3 February 1990",  # not the stored 1990-02-03
        "(212) 555-0199",  # national format, not the stored +12125550199
        "(415) 555-2671",
        "Depression or low mood",
        "Little interest or pleasure in doing things",
        "Several days",
        "Have you wished you were dead",
        "Have you ever had an allergic reaction to ketamine",
    ):
        assert text in html, text


def test_every_intake_response_is_no_store(client):
    responses = [client.get(START)]
    begin(client)
    responses.append(client.get(url("about")))
    responses.append(post(client, "about", {}))
    for response in responses:
        assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")


@pytest.mark.parametrize("question", ["q3", "q4", "q5"])
def test_each_follow_up_cssrs_yes_shows_the_panel(client, question):
    through(client, upto="cssrs")
    post(client, "cssrs", {**CSSRS_NO, "q2": "1"})
    follow = {"shown": "q1,q2,q3,q4,q5,q6", "q1": "0", "q2": "1", "q6": "0"}
    follow |= {"q3": "0", "q4": "0", "q5": "0", question: "1"}
    response = post(client, "cssrs", follow)
    html = client.get(response["Location"]).content.decode()
    panel = html.split('id="crisis-panel"')[1].split(">")[0]
    assert "hidden" not in panel


def test_a_cssrs_behaviour_yes_shows_the_panel(client):
    through(client, upto="cssrs")
    post(client, "cssrs", {**CSSRS_NO, "q6": "1"})
    response = post(
        client, "cssrs", {**CSSRS_NO, "shown": "q1,q2,q6,q6_recent", "q6": "1", "q6_recent": "0"}
    )
    html = client.get(response["Location"]).content.decode()
    assert "hidden" not in html.split('id="crisis-panel"')[1].split(">")[0]


def test_crisis_wording_flags_the_submitted_screening_and_alerts(client):
    from intake.models import StaffAlert

    through(client, upto="medical")
    post(client, "medical", medical_data(ride_home="yes", medication_names="I want to kill myself"))
    post(client, "review", {"consent": "on", "signature": "Ada Lovelace"})
    screening = Screening.objects.get()
    assert "crisis_wording" in screening.flag_codes and screening.shows_crisis
    assert StaffAlert.objects.filter(screening=screening).exists()
    assert 'id="intake-crisis' in client.get(reverse("intake:thanks")).content.decode()


def test_a_replayed_submission_sends_nothing_twice(client):
    through(client, upto="end")
    again = post(client, "review", {"consent": "on", "signature": "Ada Lovelace"})
    assert again["Location"] == START
    assert Screening.objects.count() == 1


def test_out_of_hours_the_thank_you_page_says_when_answers_will_be_read(client):
    import datetime as dt

    import time_machine

    from clinic.seed import seed_clinic

    seed_clinic()
    sunday_night = dt.datetime(2026, 12, 6, 22, tzinfo=dt.UTC)
    with time_machine.travel(sunday_night, tick=False):
        through(client, upto="end")
        html = client.get(reverse("intake:thanks")).content.decode()
    assert "The clinic is closed right now" in html
    assert "Your answers will be read when we open again, on" in html
    assert "988" in html
