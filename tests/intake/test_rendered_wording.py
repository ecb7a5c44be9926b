"""Every instrument step as the patient gets it from the server: its visible text is the
golden text in tests/intake/golden/ (instructions, examples, time-frame headers, stems,
questions, options, attribution), and the PC-PTSD-5's five questions come after a YES,
on the same step, with nothing dropped unsaid.  Chromium (JavaScript on and off):
tests/browser/test_intake_wording.py."""

import re

import pytest

from intake import clinical_forms
from intake.models import Screening
from tests.builders.intake import CSSRS_NO, post, questionnaire_data, reference_text, through, url
from tests.intake import reference_wording as ref
from tests.intake.rendered import GOLDEN, assert_reads_as, golden_lines, visible_text

SYMPTOMS_YES = {f"pcptsd5_q{n}": "1" for n in range(1, 6)}
SHOWN = {clinical_forms.PCPTSD5_SHOWN: "yes"}


def page(client, code):
    response = client.get(url(code))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["phq9", "gad7", "pcptsd5", "pain"])
def test_each_questionnaire_reads_as_its_golden_text(client, code):
    through(client, upto="questionnaires")
    assert_reads_as(visible_text(page(client, "questionnaires"), code), code)


@pytest.mark.django_db
def test_a_yes_to_the_trauma_question_shows_the_same_step_with_the_five_questions(client):
    through(client, upto="questionnaires")
    response = post(client, "questionnaires", questionnaire_data(trauma="1"))
    assert response.status_code == 200  # the same step, not the next one
    html = response.content.decode()
    assert "Step 3 of 6" in html
    assert clinical_forms.PCPTSD5_ASK_MESSAGE in html
    assert_reads_as(visible_text(html, "pcptsd5"), "pcptsd5_after_yes")
    screening = Screening.objects.get()
    assert screening.answers["pcptsd5"] == {"trauma": 1}
    assert "questionnaires" not in screening.answers["progress"]
    assert client.get(url("cssrs"))["Location"] == url("questionnaires")
    # Coming back (or resuming) shows the step as it was left: with the five questions.
    assert_reads_as(visible_text(page(client, "questionnaires"), "pcptsd5"), "pcptsd5_after_yes")
    response = post(
        client, "questionnaires", questionnaire_data(trauma="1", **SYMPTOMS_YES, **SHOWN)
    )
    assert response["Location"] == url("cssrs")
    assert Screening.objects.get().answers["pcptsd5"] == {
        "trauma": 1,
        **{f"q{n}": 1 for n in range(1, 6)},
    }


@pytest.mark.django_db
def test_answers_dropped_after_a_no_are_never_dropped_unsaid(client):
    through(client, upto="questionnaires")
    data = questionnaire_data(trauma="1", **SYMPTOMS_YES, **SHOWN)
    assert post(client, "questionnaires", data).status_code == 302
    changed = questionnaire_data(trauma="0", **SYMPTOMS_YES, **SHOWN)
    response = post(client, "questionnaires", changed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "the answers you gave to them have been removed" in html
    assert_reads_as(visible_text(html, "pcptsd5"), "pcptsd5")
    screening = Screening.objects.get()
    assert screening.answers["pcptsd5"] == {"trauma": 0}
    assert "questionnaires" not in screening.answers["progress"]
    assert post(client, "questionnaires", questionnaire_data())["Location"] == url("cssrs")


@pytest.mark.django_db
def test_the_cssrs_reads_as_the_screen_version_with_its_headers(client):
    through(client, upto="cssrs")
    assert_reads_as(visible_text(page(client, "cssrs"), "cssrs"), "cssrs")
    response = post(client, "cssrs", {**CSSRS_NO, "q2": "1", "q6": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert clinical_forms.CSSRS_MORE_MESSAGE in html
    assert_reads_as(visible_text(html, "cssrs"), "cssrs_follow_ups")


def test_golden_lines_appear_verbatim_in_the_clinical_reference():
    """Where ../shared is beside the checkout: the golden texts came from it, word for word."""
    document = reference_text()
    structural = {"PHQ-9", "GAD-7", "PC-PTSD-5", "C-SSRS screener"}
    structural.add("Pain numeric rating scale (0–10)")
    # The pain sentence is the reference's with one of its two time frames chosen.
    assert ref.PAIN_REFERENCE_SENTENCE in document
    structural.add(ref.PAIN_REFERENCE_SENTENCE.replace(ref.PAIN_ALTERNATIVE, ""))
    missing = []
    for path in sorted(GOLDEN.glob("*.txt")):
        for line in golden_lines(path.stem):
            text = line.removesuffix("*")
            if text in structural or re.fullmatch(r"\d", text):
                continue
            if text not in document:
                missing.append((path.name, text))
    assert missing == []
