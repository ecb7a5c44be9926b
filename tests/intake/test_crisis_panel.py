"""The in-page crisis panel after a risk answer (clinical-reference 7.4 C and D): every way
to get help now, as large links from the one crisis list, and when a clinician will review,
computed from the clinic's hours."""

import pytest
import time_machine
from bs4 import BeautifulSoup

from clinic import crisis
from clinic.models import ClinicClosure
from intake import escalation
from tests.builders.intake import CSSRS_NO, local, post, through

pytestmark = pytest.mark.django_db

FIVE = ["tel:988", "sms:988", "https://988lifeline.org/chat/", "sms:741741?body=HOME", "tel:911"]


@pytest.mark.parametrize(
    ("now", "closed", "when"),
    [
        (local(1, 9), False, "today, within about an hour"),  # Tuesday, at opening
        (local(1, 15, 59), False, "today, within about an hour"),
        # Open, but less than an hour of opening left today: tomorrow's first hour.
        (local(1, 16, 30), False, "by 9:30 am on Wednesday, December 2"),
        (local(1, 20), True, "by 10 am on Wednesday, December 2"),  # closed for the night
        (local(2, 7), True, "by 10 am on Wednesday, December 2"),  # before opening
        (local(4, 18), True, "by 10 am on Monday, December 7"),  # Friday evening
        (local(5, 12), True, "by 10 am on Monday, December 7"),  # Saturday
    ],
)
def test_the_review_time_follows_the_clinics_hours(weekday_hours, now, closed, when):  # noqa: F811
    got = escalation.review_time(now)
    assert (got.closed, got.when) == (closed, when)
    assert (got.opens is not None) is closed


def test_a_closure_day_moves_the_review_time(weekday_hours):  # noqa: F811
    ClinicClosure.objects.create(
        clinic=weekday_hours, first_day=local(7, 0).date(), last_day=local(7, 0).date()
    )
    assert escalation.review_time(local(4, 18)).when == "by 10 am on Tuesday, December 8"


def test_the_first_escalation_threshold_sets_the_review_time(weekday_hours, settings):  # noqa: F811
    settings.INTAKE_ESCALATION_MINUTES = [120, 240]
    assert escalation.review_time(local(1, 10)).when == "today, within about 2 hours"
    assert escalation.review_time(local(1, 20)).when == "by 11 am on Wednesday, December 2"


def panel_after_behaviour(client, *, recent: str):
    """The C-SSRS step after question 6 yes and its recency: the page the patient sees."""
    through(client, upto="cssrs")
    post(client, "cssrs", {**CSSRS_NO, "q6": "1"})
    response = post(
        client,
        "cssrs",
        {**CSSRS_NO, "shown": "q1,q2,q6,q6_recent", "q6": "1", "q6_recent": recent},
    )
    html = client.get(response["Location"]).content.decode()
    return BeautifulSoup(html, "html.parser").find(id="crisis-panel")


def test_the_panel_gives_the_five_ways_then_veterans_spanish_and_asl(client):
    panel = panel_after_behaviour(client, recent="0")
    assert not panel.has_attr("hidden")
    big = panel.find(class_="crisis-panel-actions").find_all("a")
    assert [a["href"] for a in big] == FIVE
    assert [a.get_text(strip=True) for a in big] == [a.label for a in crisis.PANEL_ACTIONS]
    assert all("btn-crisis-lg" in a["class"] for a in big)  # large tap targets
    more = panel.find(class_="crisis-panel-more")
    text = " ".join(more.get_text(" ").split())
    assert "Veterans and service members: Call 988, then press 1" in text
    assert "Llame al 988 y oprima 2" in text and more.find("li", attrs={"lang": "es"})
    assert "ASL Now" in text


def test_while_open_the_panel_says_today_within_about_an_hour(client, weekday_hours):  # noqa: F811
    with time_machine.travel(local(1, 10), tick=False):
        panel = panel_after_behaviour(client, recent="0")
    text = " ".join(panel.get_text(" ").split())
    assert "review them today, within about an hour" in text
    assert "The clinic is closed right now" not in text


def test_while_closed_the_strong_tier_says_so_plainly_with_the_review_time(
    client,
    weekday_hours,  # noqa: F811
):
    with time_machine.travel(local(4, 18), tick=False):  # Friday evening
        panel = panel_after_behaviour(client, recent="1")  # behaviour in the past 3 months
    strong = panel.find(class_="crisis-strong")
    assert not strong.has_attr("hidden")
    said = " ".join(strong.get_text(" ").split())
    assert "The clinic is closed right now." in said
    assert "We open again on Monday, December 7 at 9 am" in said
    assert {"tel:988", "tel:911"} <= {a["href"] for a in strong.find_all("a")}
    text = " ".join(panel.get_text(" ").split())
    assert "review them by 10 am on Monday, December 7 (the clinic is closed right now)" in text


def test_the_thank_you_page_says_when_a_clinician_will_review_after_a_risk_answer(client):
    from django.urls import reverse

    through(client, upto="cssrs")
    post(client, "cssrs", {**CSSRS_NO, "q2": "1"})
    follow = {"shown": "q1,q2,q3,q4,q5,q6", "q1": "0", "q2": "1", "q6": "0"}
    post(client, "cssrs", {**follow, "q3": "0", "q4": "0", "q5": "0"})
    from tests.builders.intake import medical_data

    post(client, "medical", medical_data(ride_home="yes"))
    post(client, "review", {"consent": "on", "signature": "Ada Lovelace"})
    html = client.get(reverse("intake:thanks")).content.decode()
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "A member of our clinical team will review your answers today, within about an hour" in (
        text
    )
    # One full crisis block on the page: the footer's is the compact one.
    assert 'id="intake-crisis-en"' in html and 'id="footer-crisis-en"' not in html


def test_the_spanish_text_option_is_listed_for_the_medical_directors_sign_off(staff_client):
    from django.urls import reverse

    from mindscape import roles

    page = staff_client(roles.CLINICIAN).get(reverse("admin:intake_screening_changelist"))
    assert "the Spanish text and chat option of the 988 Lifeline" in page.content.decode()
