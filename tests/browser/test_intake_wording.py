"""Every instrument step in Chromium, as a patient reads it, with JavaScript on and off: the
visible text of each section is the golden text in tests/intake/golden/, and the PC-PTSD-5's
five questions appear after a YES (in place with JavaScript, on the same step shown again
without it).  The server HTML is checked the same way in tests/intake/test_rendered_wording.py.
"""

import pytest
from playwright.sync_api import expect

from intake import clinical_forms
from intake.models import Screening
from tests.builders.browser import to_questionnaires
from tests.intake.rendered import assert_reads_as, section_selector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reads_as(page, code, name=None):
    assert_reads_as(page.locator(section_selector(code)).inner_text(), name or code)


def answer_the_questionnaires(page, *, trauma):
    for n in range(1, 10):
        page.locator(f'[name="phq9_q{n}"][value="0"]').check()
    for n in range(1, 8):
        page.locator(f'[name="gad7_q{n}"][value="0"]').check()
    page.locator(f'[name="pcptsd5_trauma"][value="{trauma}"]').check()
    page.locator('[name="pain_pain"][value="4"]').check()


def save(page):
    page.get_by_role("button", name="Save and continue").click()


def answer_symptoms(page):
    for n in range(1, 6):
        page.locator(f'[name="pcptsd5_q{n}"][value="0"]').check()


def the_cssrs_step(page, axe_check, *, javascript):
    reads_as(page, "cssrs")
    for code in ("q1", "q2", "q6"):
        page.locator(f'[name="{code}"][value="{1 if code != "q1" else 0}"]').check()
    save(page)
    expect(page.get_by_text(clinical_forms.CSSRS_MORE_MESSAGE)).to_be_visible()
    expect(page.get_by_text("Step 4 of 6")).to_be_visible()
    reads_as(page, "cssrs", "cssrs_follow_ups")
    if javascript:
        axe_check(page)


def test_with_javascript_every_instrument_reads_as_its_golden_text(new_page, axe_check):
    page = new_page(360)
    to_questionnaires(page, axe_check)
    for code in ("phq9", "gad7", "pcptsd5", "pain"):
        reads_as(page, code)
    follow_up = page.locator("#pcptsd5_trauma-follow-up")
    expect(follow_up).to_be_hidden()
    answer_the_questionnaires(page, trauma=1)
    expect(follow_up).to_be_visible()  # in place, no round trip
    expect(page.get_by_text("Step 3 of 6")).to_be_visible()
    reads_as(page, "pcptsd5", "pcptsd5_after_yes")
    axe_check(page)
    answer_symptoms(page)
    save(page)
    expect(page.get_by_text("Step 4 of 6")).to_be_visible()
    assert Screening.objects.get().answers["pcptsd5"] == {
        "trauma": 1,
        **{f"q{n}": 0 for n in range(1, 6)},
    }
    axe_check(page)
    the_cssrs_step(page, axe_check, javascript=True)


def no_scan(page):
    """axe runs as JavaScript in the page: with JavaScript off it cannot (the same pages are
    scanned with it on above)."""


def test_without_javascript_every_instrument_reads_as_its_golden_text(new_page):
    page = new_page(360, java_script_enabled=False)
    to_questionnaires(page, no_scan)
    for code in ("phq9", "gad7", "pcptsd5", "pain"):
        reads_as(page, code)
    answer_the_questionnaires(page, trauma=1)
    save(page)
    # The same step again, with the five questions and a word on why.
    expect(page.get_by_text("Step 3 of 6")).to_be_visible()
    expect(page.get_by_text(clinical_forms.PCPTSD5_ASK_MESSAGE)).to_be_visible()
    reads_as(page, "pcptsd5", "pcptsd5_after_yes")
    answer_symptoms(page)
    save(page)
    expect(page.get_by_text("Step 4 of 6")).to_be_visible()
    assert Screening.objects.get().answers["pcptsd5"]["q5"] == 0
    the_cssrs_step(page, no_scan, javascript=False)


def test_a_no_after_answering_the_five_clears_them_and_says_so(new_page, axe_check):
    page = new_page(360)
    to_questionnaires(page, axe_check)
    answer_the_questionnaires(page, trauma=1)
    answer_symptoms(page)
    page.locator('[name="pcptsd5_trauma"][value="0"]').check()
    note = page.get_by_text(clinical_forms.PCPTSD5_DROPPED_MESSAGE)
    expect(note).to_be_visible()
    expect(page.locator("#pcptsd5_trauma-follow-up")).to_be_hidden()
    assert page.locator("#pcptsd5_trauma-follow-up input:checked").count() == 0
    axe_check(page)
    save(page)
    expect(page.get_by_text("Step 4 of 6")).to_be_visible()
    assert Screening.objects.get().answers["pcptsd5"] == {"trauma": 0}
