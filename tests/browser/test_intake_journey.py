"""The whole screening form on a phone, keyboard only: a patient answers PHQ-9 item 9 and
sees the crisis panel at once, makes an error on the medical step without losing anything,
leaves, resumes from a fresh browser with the emailed/on-screen link, submits, and the link
is then dead.  axe on every page, errors and the open crisis panel included.

Keyboard only: Tab, Space, Enter, arrow keys and typing.  Radio groups are reached with
Tab (one stop per group) and answered with Space or the arrow keys, as a keyboard user
would; no locator.focus() shortcut is needed, even for the long medical page.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from intake import flags
from intake.models import Screening
from tests.builders.intake import ABOUT, HISTORY, medical_data, questionnaire_data
from tests.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = dt.date.fromisoformat(ABOUT["date_of_birth"])
QUESTIONNAIRES = questionnaire_data(item9="1")  # item 9: "Several days"
LEFT_UNANSWERED = "ride_home"  # the medical step's deliberate error
MEDICAL = medical_data(ride_home="yes")


# --- Keyboard helpers ------------------------------------------------------------------------


def focused_name(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.name || ''")


def tab_to(page, locator, *, limit: int = 150) -> None:
    """Press Tab (the real tab order) until ``locator`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def tab_to_field(page, name: str, *, limit: int = 150) -> None:
    """Press Tab until a field called ``name`` (any radio of a group) has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_name(page) == name:
            return
    raise AssertionError(f"Tab never reached a field named {name}")


def type_into(page, name: str, text: str) -> None:
    tab_to_field(page, name)
    page.keyboard.type(text)


def type_date(page, name: str, date: dt.date) -> None:
    """A date field, typed segment by segment as Chromium's en-US date input expects."""
    tab_to_field(page, name)
    page.keyboard.type(date.strftime("%m%d%Y"))


def choose(page, name: str, value: str) -> None:
    """Tab to a radio group, then Space (on the focused option) or arrow keys to ``value``.

    From an unanswered group, ArrowDown moves to the next option and checks it, so the
    option before the wanted one (a "Yes" before "No") is never chosen on the way.
    """
    tab_to_field(page, name)
    target = page.locator(f'[name="{name}"][value="{value}"]')
    for _ in range(len(page.locator(f'[name="{name}"]').all()) + 1):
        if target.evaluate("element => element === document.activeElement"):
            if not target.is_checked():
                page.keyboard.press("Space")
            break
        page.keyboard.press("ArrowDown")
    expect(target).to_be_checked()
    expect(target).to_be_focused()


def tick(page, name: str, value: str) -> None:
    box = page.locator(f'[name="{name}"][value="{value}"]')
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def press_button(page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name))
    page.keyboard.press("Enter")


def at_step(page, number: int) -> None:
    expect(page.get_by_text(f"Step {number} of 6", exact=True)).to_be_visible()


def answer_medical(page, *, skip: str | None = None) -> None:
    for question in flags.PRESCREEN_QUESTIONS:
        value = MEDICAL.get(question.code)
        if value is None or question.code == skip:
            continue
        choose(page, question.code, value)


# --- The journey -----------------------------------------------------------------------------


def test_a_patient_completes_leaves_resumes_and_submits_with_the_keyboard_on_a_phone(
    new_page, axe_check, live_server, settings
):
    settings.SITE_URL = live_server.url  # the resume link is built from it
    page = new_page(PHONE)

    # The gate.
    page.goto(reverse("intake:start"))
    axe_check(page)
    choose(page, "adult", "yes")
    press_button(page, "Start")

    # 1. About you.
    at_step(page, 1)
    axe_check(page)
    for name, value in ABOUT.items():
        if name == "date_of_birth":
            type_date(page, name, BORN)
        else:
            type_into(page, name, value.strip())
    press_button(page, "Save and continue")

    # 2. History, with the private resume link shown once.
    at_step(page, 2)
    link = page.get_by_role("status").get_by_role("link")
    resume_url = link.get_attribute("href")
    assert resume_url.startswith(live_server.url + "/"), resume_url
    axe_check(page)
    for value in HISTORY["conditions"]:
        tick(page, "conditions", value)
    choose(page, "duration", HISTORY["duration"])
    choose(page, "antidepressant_trials", HISTORY["antidepressant_trials"])
    for value in HISTORY["prior_treatments"]:
        tick(page, "prior_treatments", value)
    press_button(page, "Save and continue")

    # 3. Questionnaires: the crisis panel opens in view the moment item 9 is answered.
    at_step(page, 3)
    panel = page.locator("#crisis-panel")
    expect(panel).to_be_hidden()
    axe_check(page)
    for n in range(1, 9):
        choose(page, f"phq9_q{n}", QUESTIONNAIRES[f"phq9_q{n}"])
    choose(page, "phq9_q9", "1")
    expect(page.locator('[name="phq9_q9"][value="1"]')).to_be_focused()
    expect(panel).to_be_visible()
    expect(panel).to_be_in_viewport()
    expect(panel).to_contain_text("988")
    expect(panel.locator(".crisis-strong")).to_be_hidden()  # calm, not the urgent tier
    axe_check(page)
    for n in range(1, 8):
        choose(page, f"gad7_q{n}", QUESTIONNAIRES[f"gad7_q{n}"])
    choose(page, "pcptsd5_trauma", QUESTIONNAIRES["pcptsd5_trauma"])
    choose(page, "pain_pain", QUESTIONNAIRES["pain_pain"])
    press_button(page, "Save and continue")

    # 4. C-SSRS, all "No"; the server keeps the panel open from the earlier answer.
    at_step(page, 4)
    expect(panel).to_be_visible()
    axe_check(page)
    for code in ("q1", "q2", "q6"):
        choose(page, code, "0")
    press_button(page, "Save and continue")

    # 5. Medical, with one question left unanswered: an error, and nothing earlier lost.
    at_step(page, 5)
    axe_check(page)
    answer_medical(page, skip=LEFT_UNANSWERED)
    press_button(page, "Save and continue")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary).to_contain_text("Will someone be able to take you home?")
    assert page.title().startswith("Please check:")
    axe_check(page)

    screening = Screening.objects.get()
    assert screening.status == Screening.Status.DRAFT
    identity, answers = screening.identity, screening.answers
    assert identity["first_name"] == "Ada"
    assert identity["date_of_birth"] == ABOUT["date_of_birth"]
    assert identity["email"] == ABOUT["email"]
    assert identity["phone"] == "+12125550199"
    assert identity["emergency_contact_name"] == ABOUT["emergency_contact_name"]
    assert answers["history"]["conditions"] == HISTORY["conditions"]
    assert answers["history"]["prior_treatments"] == HISTORY["prior_treatments"]
    assert answers["history"]["duration"] == HISTORY["duration"]
    assert answers["phq9"]["q9"] == 1
    assert answers["phq9"]["q1"] == 1
    assert answers["gad7"]["q7"] == 2
    assert answers["pain"]["pain"] == 6
    assert answers["cssrs"] == {"q1": 0, "q2": 0, "q6": 0}
    assert answers["progress"] == ["about", "history", "questionnaires", "cssrs"]
    assert "prescreen" not in answers

    # The email holds the same link and nothing clinical.
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [ABOUT["email"]]
    assert resume_url in email.body
    for clinical in ("Several days", "PHQ", "GAD", "score", "Depression", "pain", "Lovelace"):
        assert clinical.lower() not in (email.subject + email.body).lower(), clinical

    # The patient leaves, and comes back in another browser.
    page = new_page(PHONE)
    page.goto(resume_url)
    expect(page.get_by_role("heading", name="Continue your form")).to_be_visible()
    axe_check(page)
    type_date(page, "date_of_birth", BORN)
    press_button(page, "Continue")

    at_step(page, 5)  # the first unfinished step
    expect(page.locator("#crisis-panel")).to_be_visible()  # still seen from item 9
    axe_check(page)
    answer_medical(page)
    press_button(page, "Save and continue")

    # 6. Review: every answer in plain words, then consent and signature.
    at_step(page, 6)
    axe_check(page)
    review = page.locator("main")
    for shown in (
        "Ada Lovelace",
        ABOUT["email"],
        "Depression or low mood",
        "2 to 5 years",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
        "Several days",
        "Will someone be able to take you home?",
    ):
        expect(review).to_contain_text(shown)
    tab_to_field(page, "consent")
    page.keyboard.press("Space")
    expect(page.locator('[name="consent"]')).to_be_checked()
    type_into(page, "signature", "Ada Lovelace")
    press_button(page, "Send my answers")

    # Thank you, with the crisis resources because of item 9.
    thanks = page.get_by_role("heading", name="Thank you: your answers have been sent")
    expect(thanks).to_be_visible()
    expect(page.locator("main section.crisis")).to_be_visible()
    expect(page.locator("main")).to_contain_text("988")
    # Item 9 is the calm tier: resources, not the urgent "call now or go to the ED" message.
    expect(page.locator("main .crisis-urgent")).to_have_count(0)
    axe_check(page)
    assert Screening.objects.get().status != Screening.Status.DRAFT
    assert Screening.objects.get().answers["prescreen"]["ride_home"] is True

    # The link is dead now.
    page.goto(resume_url)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    expect(page.locator('[name="date_of_birth"]')).to_have_count(0)
    axe_check(page)
