"""The screening form in a phone-sized browser: the crisis panel appears the moment item 9
is answered (and from the server without JavaScript), and axe passes on every step."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from intake.models import Screening
from tests.builders.browser import fill_about, to_questionnaires
from tests.builders.intake import HISTORY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_crisis_panel_appears_the_moment_item9_is_answered(new_page, axe_check):
    page = new_page(360)
    to_questionnaires(page, axe_check)
    panel = page.locator("#crisis-panel")
    expect(panel).to_be_hidden()
    axe_check(page)
    page.locator('[name="phq9_q9"][value="1"]').check()
    expect(panel).to_be_visible()
    expect(panel).to_be_in_viewport()  # in place, next to the question just answered
    expect(panel).to_contain_text("988")
    # Every way to get help now, as large tap targets (clinical-reference 7.4 C).
    links = panel.locator(".crisis-panel-actions a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "tel:988",
        "sms:988",
        "https://988lifeline.org/chat/",
        "sms:741741?body=HOME",
        "tel:911",
    ]
    for i in range(links.count()):
        expect(links.nth(i)).to_be_visible()
        box = links.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 200, box
    expect(panel).to_contain_text("When will someone look at my answers?")
    axe_check(page)
    page.locator('[name="phq9_q9"][value="0"]').check()
    expect(panel).to_be_hidden()


def test_without_javascript_the_next_page_shows_the_panel(new_page, axe_check):
    page = new_page(360, java_script_enabled=False)
    page.goto(reverse("intake:start"))
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Start").click()
    fill_about(page)
    page.get_by_role("button", name="Save and continue").click()
    for value in HISTORY["conditions"]:
        page.locator(f'[name="conditions"][value="{value}"]').check()
    page.locator(f'[name="duration"][value="{HISTORY["duration"]}"]').check()
    page.locator('[name="antidepressant_trials"][value="3+"]').check()
    page.get_by_role("button", name="Save and continue").click()
    for n in range(1, 9):
        page.locator(f'[name="phq9_q{n}"][value="1"]').check()
    page.locator('[name="phq9_q9"][value="2"]').check()
    for n in range(1, 8):
        page.locator(f'[name="gad7_q{n}"][value="1"]').check()
    page.locator('[name="pcptsd5_trauma"][value="0"]').check()
    page.locator('[name="pain_pain"][value="5"]').check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Step 4 of 6")).to_be_visible()
    expect(page.locator("#crisis-panel")).to_be_visible()
    assert Screening.objects.get().answers["phq9"]["q9"] == 2
