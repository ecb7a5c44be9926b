"""The screening form on a shared phone, in Chromium at 360 and 1280 px, with JavaScript on
and off: the "Still there?" warning two minutes before the form closes, its Continue
extending the session, the page's answers saved before it closes, the Back link keeping the
answers, and the review's phone and date formats.  axe on every page.

The browser's clock is Playwright's (``page.clock``); the server's is time-machine's.  Drafts
are made through the real views with the test client, then opened in the browser with their
resume link, as a patient coming back would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from intake import links
from intake.models import Screening
from intake.views import UNSENT_KEY
from tests.builders.intake import ABOUT, CSSRS_NO, HISTORY, medical_data, questionnaire_data, url
from tests.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = "1980-04-02"
PLAN = [
    ("about", {**ABOUT, "date_of_birth": BORN}),
    ("history", HISTORY),
    ("questionnaires", questionnaire_data()),
    ("cssrs", CSSRS_NO),
    ("medical", medical_data(ride_home="yes")),
]
WIDTHS = [PHONE, DESKTOP]
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".local" / "screenshots"


def draft_upto(code: str) -> Screening:
    """A draft whose steps before ``code`` were sent, through the views."""
    client = Client()
    assert client.post(reverse("intake:start"), {"adult": "yes"}).status_code == 302
    for step, data in PLAN:
        if step == code:
            break
        assert client.post(url(step), data).status_code == 302, step
    return Screening.objects.get()


@pytest.fixture
def scan(new_page, axe_check):
    """``scan(page)``: axe on the page as it is.  axe needs JavaScript, so a page opened
    without it is scanned as a copy: the same address and cookies in a page whose own
    scripts are replaced by empty ones, which is what a browser without JavaScript shows."""

    def run(page) -> None:
        if getattr(page, "javascript", True):
            axe_check(page)
            return
        copy = new_page(page.viewport_size["width"])
        copy.context.add_cookies(page.context.cookies())
        copy.route(
            "**/*.js",
            lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
        )
        copy.goto(page.url)
        axe_check(copy)

    return run


def open_page(new_page, width: int, javascript: bool = True):
    page = new_page(width, java_script_enabled=javascript)
    page.javascript = javascript
    return page


def resume(page, screening: Screening, scan) -> None:
    """Opens the draft with a fresh resume link and the date of birth."""
    token = links.resume_link_create(screening=screening)
    page.goto(reverse("intake:resume", kwargs={"token": token}))
    expect(page.get_by_role("heading", name="Continue your form")).to_be_visible()
    scan(page)
    page.locator('[name="date_of_birth"]').fill(BORN)
    page.get_by_role("button", name="Continue").click()


def at_step(page, number: int) -> None:
    expect(page.get_by_text(f"Step {number} of 6", exact=True)).to_be_visible()


def shot(page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=full_page)


def unsent(code: str):
    return (Screening.objects.get().answers.get(UNSENT_KEY) or {}).get(code)


def radio(page, name: str, value: str):
    return page.locator(f'[name="{name}"][value="{value}"]')


# --- The warning, and Continue ---------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_still_there_warns_two_minutes_before_and_continue_extends(new_page, scan, width):
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now, tick=True) as server_clock:
        screening = draft_upto("questionnaires")
        page = new_page(width)
        page.clock.install()
        resume(page, screening, scan)
        at_step(page, 3)
        warning = page.get_by_role("dialog", name="Still there?")
        expect(warning).to_be_hidden()
        radio(page, "phq9_q1", "3").check()

        page.clock.fast_forward("27:50")
        expect(warning).to_be_hidden()  # not before the last two minutes
        page.clock.fast_forward("00:20")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("this form will close in 2 minutes")
        continue_button = warning.get_by_role("button", name="Continue")
        expect(continue_button).to_be_focused()
        scan(page)
        shot(page, "intake-still-there", full_page=False)

        server_clock.shift(dt.timedelta(minutes=28))
        with page.expect_response(lambda r: r.url.endswith("/save/")) as saved:
            page.keyboard.press("Enter")  # on the focused Continue
        assert saved.value.ok
        expect(warning).to_be_hidden()
        expect(radio(page, "phq9_q1", "3")).to_be_focused()  # back where the patient was
        assert unsent("questionnaires")["phq9_q1"] == ["3"]

        # Past the first limit, for the browser and the server: the form is still open.
        server_clock.shift(dt.timedelta(minutes=5))
        page.clock.fast_forward("05:00")
        expect(warning).to_be_hidden()
        page.reload()
        at_step(page, 3)
        expect(radio(page, "phq9_q1", "3")).to_be_checked()
        scan(page)


# --- Saved before it closes ------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_page_answers_are_saved_before_the_form_closes(new_page, scan, width):
    screening = draft_upto("questionnaires")
    page = new_page(width)
    page.clock.install()
    resume(page, screening, scan)
    at_step(page, 3)
    radio(page, "phq9_q1", "3").check()
    radio(page, "gad7_q2", "1").check()
    page.clock.fast_forward("28:00")
    expect(page.get_by_role("dialog", name="Still there?")).to_be_visible()
    page.clock.fast_forward("02:00")  # left alone

    expect(page.get_by_role("heading", name="Your form was closed")).to_be_visible()
    assert page.url.endswith(reverse("intake:closed"))
    expect(page.locator("main")).not_to_contain_text("Ada")
    scan(page)
    shot(page, "intake-closed")
    saved = unsent("questionnaires")
    assert saved["phq9_q1"] == ["3"] and saved["gad7_q2"] == ["1"]

    # Closed in this browser: the steps lead to the start.
    page.goto(url("questionnaires"))
    expect(
        page.get_by_role("heading", name="Before your first visit: a few questions")
    ).to_be_visible()
    scan(page)

    # The resume link opens the draft, with the answers as they were left.
    page = new_page(width)
    resume(page, screening, scan)
    at_step(page, 3)
    expect(radio(page, "phq9_q1", "3")).to_be_checked()
    expect(radio(page, "gad7_q2", "1")).to_be_checked()
    expect(page.locator(".error-summary")).to_have_count(0)
    scan(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_what_was_sent_is_kept_and_the_link_works(new_page, scan, width):
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now, tick=True) as server_clock:
        screening = draft_upto("questionnaires")
        page = open_page(new_page, width, False)
        resume(page, screening, scan)
        at_step(page, 3)
        expect(page.locator("#idle-warning")).to_be_hidden()
        expect(page.locator("main")).to_contain_text(
            "this form closes in this browser after 30 minutes without activity"
        )
        scan(page)
        radio(page, "phq9_q1", "3").check()
        server_clock.shift(dt.timedelta(minutes=31))
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", name="Your form was closed")).to_be_visible()
        scan(page)

        answers = Screening.objects.get().answers
        assert answers["history"]["conditions"] == HISTORY["conditions"]  # sent: kept
        assert "phq9" not in answers and UNSENT_KEY not in answers  # after it closed: not

        page = open_page(new_page, width, False)
        resume(page, screening, scan)
        at_step(page, 3)
        scan(page)


# --- Back --------------------------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_back_link_keeps_the_answers(new_page, scan, width, javascript):
    screening = draft_upto("cssrs")
    page = open_page(new_page, width, javascript)
    resume(page, screening, scan)
    at_step(page, 4)
    back = page.get_by_role("link", name="Back to step 3: How you have been feeling")
    expect(back).to_be_visible()
    scan(page)
    shot(page, f"intake-back-{'js' if javascript else 'nojs'}")
    radio(page, "q1", "1").check()  # answered, not sent

    back.click()
    at_step(page, 3)
    for name, value in questionnaire_data().items():
        expect(radio(page, name, value)).to_be_checked()  # as sent
    scan(page)
    page.get_by_role("link", name="Back to step 2: What brings you to us").click()
    at_step(page, 2)
    for value in HISTORY["conditions"]:
        expect(page.locator(f'[name="conditions"][value="{value}"]')).to_be_checked()
    expect(radio(page, "duration", HISTORY["duration"])).to_be_checked()
    scan(page)
    page.get_by_role("link", name="Back to step 1: About you").click()
    at_step(page, 1)
    expect(page.locator('[name="phone"]')).to_have_value("+12125550199")
    expect(page.locator(".intake-back")).to_have_count(0)  # the first step has none
    scan(page)

    # Forward again: nothing was lost.
    for number in (2, 3, 4):
        page.get_by_role("button", name="Save and continue").click()
        at_step(page, number)
    scan(page)
    # With JavaScript the answer given on step 4 before going Back was saved on the way.
    if javascript:
        expect(radio(page, "q1", "1")).to_be_checked()
    else:
        expect(radio(page, "q1", "1")).not_to_be_checked()
    assert Screening.objects.get().answers["progress"] == ["about", "history", "questionnaires"]


# --- The review ----------------------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_review_shows_the_phone_and_date_of_birth_as_people_write_them(
    new_page, scan, width, javascript
):
    screening = draft_upto("review")
    page = open_page(new_page, width, javascript)
    resume(page, screening, scan)
    at_step(page, 6)
    about = page.get_by_role("region", name="About you")
    expect(about).to_contain_text("2 April 1980")
    expect(about).to_contain_text("(212) 555-0199")
    expect(about).to_contain_text("(415) 555-2671")
    expect(about).not_to_contain_text("+1")
    expect(about).not_to_contain_text(BORN)
    scan(page)
    shot(page, f"intake-review-{'js' if javascript else 'nojs'}")
