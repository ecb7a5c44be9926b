"""The patient's screening form steps (intake.forms, intake.clinical_forms, intake.steps):
forms only, no database."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from intake import clinical_forms, flagging, flags, instruments, services, steps
from intake import forms as intake_forms
from mindscape import phones
from tests.builders.intake import ABOUT, HISTORY, medical_data, questionnaire_data

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(intake_forms, "today", lambda: TODAY)


def empty_draft():
    return {"identity": {}, "answers": {}}


def valid(form):
    assert form.is_valid(), form.errors
    return form


# --- Steps -----------------------------------------------------------------------------------


def test_steps_in_order_and_lookup():
    assert [s.code for s in steps.STEPS] == [
        "about",
        "history",
        "questionnaires",
        "cssrs",
        "medical",
        "review",
    ]
    assert steps.get_step("cssrs").form_class is clinical_forms.CssrsForm
    assert steps.next_step("about").code == "history"
    assert steps.next_step("review") is None
    with pytest.raises(KeyError):
        steps.get_step("nope")
    with pytest.raises(KeyError):
        steps.next_step("nope")


def test_no_patient_text_says_high_risk_eligible_or_diagnosis():
    texts = [s.title for s in steps.STEPS] + [
        intake_forms.CONSENT_TEXT,
        intake_forms.UNDER_18_MESSAGE,
    ]
    draft = {"identity": {}, "answers": {"history": HISTORY}}
    for step in steps.STEPS:
        form = step.form_class(draft=draft)
        texts += [str(f.label) for f in form.fields.values()]
    joined = " ".join(texts).lower()
    for word in ("high risk", "eligible", "your diagnosis", "you have depression"):
        assert word not in joined


# --- About you -------------------------------------------------------------------------------


def test_about_saves_identity_with_e164_phones():
    draft = empty_draft()
    valid(intake_forms.AboutForm(ABOUT, draft=draft)).save_into(draft)
    assert draft["identity"] == {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": "1990-02-03",
        "email": "ada@example.com",
        "phone": "+12125550199",
        "emergency_contact_name": "Charles Babbage",
        "emergency_contact_phone": "+14155552671",
    }
    # initial values come back from the draft
    assert intake_forms.AboutForm(draft=draft)["phone"].value() == "+12125550199"


@pytest.mark.parametrize("phone", ["12", "not a phone", "555-0199"])
def test_about_refuses_bad_phone(phone):
    form = intake_forms.AboutForm({**ABOUT, "phone": phone}, draft=empty_draft())
    assert not form.is_valid()
    assert form.errors["phone"] == [phones.MESSAGE]


def test_age_gate_17_years_364_days_refused_kindly():
    form = intake_forms.AboutForm({**ABOUT, "date_of_birth": "2008-06-16"}, draft=empty_draft())
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [intake_forms.UNDER_18_MESSAGE]
    assert form.is_under_18
    message = intake_forms.UNDER_18_MESSAGE.lower()
    assert "18" in message and "thank you" in message
    for word in ("eligible", "not allowed", "too young", "risk"):
        assert word not in message


def test_age_gate_18_today_accepted():
    form = valid(
        intake_forms.AboutForm({**ABOUT, "date_of_birth": "2008-06-15"}, draft=empty_draft())
    )
    assert not form.is_under_18


def test_future_date_of_birth_refused():
    form = intake_forms.AboutForm({**ABOUT, "date_of_birth": "2027-01-01"}, draft=empty_draft())
    assert not form.is_valid()
    assert not form.is_under_18


# --- History ---------------------------------------------------------------------------------


def test_history_saves_shape_and_drops_pain_when_unticked():
    draft = {"identity": {}, "answers": {"pain": {"pain": 4}}}
    valid(intake_forms.HistoryForm(HISTORY, draft=draft)).save_into(draft)
    assert draft["answers"]["history"] == HISTORY
    assert draft["answers"]["pain"] == {"pain": 4}
    valid(intake_forms.HistoryForm({**HISTORY, "conditions": ["anxiety"]}, draft=draft)).save_into(
        draft
    )
    assert draft["answers"]["history"]["conditions"] == ["anxiety"]
    assert "pain" not in draft["answers"]


def test_history_requires_a_condition():
    form = intake_forms.HistoryForm({**HISTORY, "conditions": []}, draft=empty_draft())
    assert not form.is_valid()
    assert "conditions" in form.errors


# --- Questionnaires --------------------------------------------------------------------------


def test_questionnaire_labels_are_exact_item_text_and_errors_specific():
    form = clinical_forms.QuestionnairesForm({}, draft=empty_draft())
    assert form.fields["phq9_q9"].label == instruments.PHQ9.item("q9").text
    assert not form.is_valid()
    q1 = instruments.PHQ9.item("q1").text
    assert form.errors["phq9_q1"] == [f"Choose an answer for: {q1}"]
    assert "phq9_difficulty" not in form.errors  # optional
    assert "pcptsd5_q1" not in form.errors  # not asked without trauma


def test_pain_only_with_chronic_pain():
    without = clinical_forms.QuestionnairesForm(draft=empty_draft())
    assert "pain_pain" not in without.fields
    draft = {"identity": {}, "answers": {"history": HISTORY}}
    form = clinical_forms.QuestionnairesForm(questionnaire_data(pain=False), draft=draft)
    assert not form.is_valid()
    assert form.errors["pain_pain"] == [
        f"Choose an answer for: {instruments.PAIN.item('pain').text}"
    ]
    form = valid(clinical_forms.QuestionnairesForm(questionnaire_data(), draft=draft))
    form.save_into(draft)
    assert draft["answers"]["pain"] == {"pain": 6}


def test_questionnaires_save_shape_without_pain():
    draft = {"identity": {}, "answers": {"pain": {"pain": 3}}}
    data = questionnaire_data(pain=False, phq9_difficulty="1")
    valid(clinical_forms.QuestionnairesForm(data, draft=draft)).save_into(draft)
    answers = draft["answers"]
    assert answers["phq9"] == {**{f"q{n}": 1 for n in range(1, 9)}, "q9": 0, "difficulty": 1}
    assert answers["gad7"] == {f"q{n}": 2 for n in range(1, 8)}
    assert answers["pcptsd5"] == {"trauma": 0}
    assert "pain" not in answers
    # initial values come back from the draft
    again = clinical_forms.QuestionnairesForm(draft=draft)
    assert again["phq9_q1"].value() == 1


def test_pcptsd5_items_removed_when_no_trauma():
    symptoms = {f"pcptsd5_q{n}": "1" for n in range(1, 6)}
    draft = empty_draft()
    form = valid(
        clinical_forms.QuestionnairesForm(questionnaire_data(**symptoms, pain=False), draft=draft)
    )
    form.save_into(draft)
    assert draft["answers"]["pcptsd5"] == {"trauma": 0}


def test_pcptsd5_yes_asks_the_five_questions_before_requiring_them():
    draft = empty_draft()
    # A YES from a page that did not show them (no JavaScript): valid, not complete, and
    # the step is shown again with them, saying why.
    first = valid(
        clinical_forms.QuestionnairesForm(questionnaire_data(trauma="1", pain=False), draft=draft)
    )
    assert not first.is_complete
    assert first.incomplete_message == clinical_forms.PCPTSD5_ASK_MESSAGE
    first.save_into(draft)
    assert draft["answers"]["pcptsd5"] == {"trauma": 1}
    again = clinical_forms.QuestionnairesForm(draft=draft)
    assert again[clinical_forms.PCPTSD5_SHOWN].value() == "yes"
    follow_up = again.sections[2].groups[-1]
    assert follow_up.shown and [row.item.code for row in follow_up.rows] == list(
        clinical_forms.PCPTSD5_SYMPTOMS
    )


def test_pcptsd5_items_required_once_shown_after_trauma_yes():
    draft = empty_draft()
    shown = {clinical_forms.PCPTSD5_SHOWN: "yes"}
    form = clinical_forms.QuestionnairesForm(
        questionnaire_data(trauma="1", pain=False, **shown), draft=draft
    )
    assert not form.is_valid()
    for item in instruments.PCPTSD5.items[1:]:
        assert form.errors[f"pcptsd5_{item.code}"] == [f"Choose an answer for: {item.text}"]
    symptoms = {f"pcptsd5_q{n}": "1" for n in range(1, 6)}
    data = questionnaire_data(trauma="1", pain=False, **symptoms, **shown)
    form = valid(clinical_forms.QuestionnairesForm(data, draft=draft))
    assert form.is_complete
    form.save_into(draft)
    assert draft["answers"]["pcptsd5"] == {"trauma": 1, **{f"q{n}": 1 for n in range(1, 6)}}


def test_pcptsd5_answers_after_a_no_are_removed_and_the_patient_told():
    draft = empty_draft()
    symptoms = {f"pcptsd5_q{n}": "1" for n in range(1, 6)}
    data = questionnaire_data(pain=False, **symptoms, **{clinical_forms.PCPTSD5_SHOWN: "yes"})
    form = valid(clinical_forms.QuestionnairesForm(data, draft=draft))
    assert not form.is_complete
    assert form.incomplete_message == clinical_forms.PCPTSD5_DROPPED_MESSAGE
    form.save_into(draft)
    assert draft["answers"]["pcptsd5"] == {"trauma": 0}
    # Told once: the page shown again has no answers to remove.
    assert valid(
        clinical_forms.QuestionnairesForm(questionnaire_data(pain=False), draft=draft)
    ).is_complete


@pytest.mark.parametrize(
    ("item9", "expected"), [("0", "none"), ("1", "calm"), ("2", "calm"), ("3", "calm")]
)
def test_item9_crisis(item9, expected):
    form = clinical_forms.QuestionnairesForm({"phq9_q9": item9}, draft=empty_draft())
    assert not form.is_valid()  # the crisis is known before the form is valid
    assert form.crisis == expected


def test_crisis_none_when_unbound_or_nonsense():
    assert clinical_forms.QuestionnairesForm(draft=empty_draft()).crisis == "none"
    assert clinical_forms.QuestionnairesForm({"phq9_q9": "x"}, draft=empty_draft()).crisis == "none"


def option_attrs(html, value):
    match = re.search(rf'<input[^>]*value="{re.escape(value)}"[^>]*>', html)
    assert match, html
    return match.group(0)


def test_item9_options_carry_data_crisis():
    html = str(clinical_forms.QuestionnairesForm(draft=empty_draft())["phq9_q9"])
    assert "data-crisis" not in option_attrs(html, "0")
    for value in ("1", "2", "3"):
        assert 'data-crisis="calm"' in option_attrs(html, value)
    other = str(clinical_forms.QuestionnairesForm(draft=empty_draft())["phq9_q8"])
    assert "data-crisis" not in other


# --- C-SSRS ----------------------------------------------------------------------------------


def cssrs_fields(form):
    return [name for name in form.fields if name != "shown"]


def test_cssrs_progressive_asking():
    draft = empty_draft()
    first = clinical_forms.CssrsForm(draft=draft)
    assert cssrs_fields(first) == ["q1", "q2", "q6"]
    assert first["shown"].value() == "q1,q2,q6"

    # q2 yes reveals q3-q5: valid, not complete, no errors, same step again
    data = {"shown": "q1,q2,q6", "q1": "0", "q2": "1", "q6": "0"}
    second = valid(clinical_forms.CssrsForm(data, draft=draft))
    assert cssrs_fields(second) == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert not second.is_complete
    assert second["shown"].value() == "q1,q2,q3,q4,q5,q6"

    # answered; q6 yes reveals q6_recent
    data = {"shown": "q1,q2,q3,q4,q5,q6", "q1": "0", "q2": "1", "q3": "0", "q4": "0"}
    data |= {"q5": "0", "q6": "1"}
    third = valid(clinical_forms.CssrsForm(data, draft=draft))
    assert cssrs_fields(third) == ["q1", "q2", "q3", "q4", "q5", "q6", "q6_recent"]
    assert not third.is_complete

    data |= {"shown": "q1,q2,q3,q4,q5,q6,q6_recent", "q6_recent": "0"}
    last = valid(clinical_forms.CssrsForm(data, draft=draft))
    assert last.is_complete
    last.save_into(draft)
    assert draft["answers"]["cssrs"] == {
        "q1": 0,
        "q2": 1,
        "q3": 0,
        "q4": 0,
        "q5": 0,
        "q6": 1,
        "q6_recent": 0,
    }
    instruments.validate("cssrs", draft["answers"]["cssrs"])


def test_cssrs_shown_question_left_unanswered_is_an_error():
    data = {"shown": "q1,q2,q3,q4,q5,q6", "q1": "0", "q2": "1", "q6": "0"}
    form = clinical_forms.CssrsForm(data, draft=empty_draft())
    assert not form.is_valid()
    text = instruments.CSSRS.item("q3").text
    assert form.errors["q3"] == [f"Choose an answer for: {text}"]
    assert clinical_forms.CssrsForm({"q1": "0"}, draft=empty_draft()).errors["q2"]


def test_cssrs_unasked_answers_dropped():
    draft = {"identity": {}, "answers": {"cssrs": {"q1": 1, "q2": 1, "q3": 1, "q4": 1}}}
    data = {"shown": "q1,q2,q3,q4,q5,q6", "q1": "0", "q2": "0", "q3": "1", "q4": "1"}
    data |= {"q5": "1", "q6": "0", "q6_recent": "1"}
    form = valid(clinical_forms.CssrsForm(data, draft=draft))
    assert cssrs_fields(form) == ["q1", "q2", "q6"]
    assert form.is_complete
    assert form.crisis == "none"  # answers to questions not asked count for nothing
    form.save_into(draft)
    assert draft["answers"]["cssrs"] == {"q1": 0, "q2": 0, "q6": 0}


def test_cssrs_initial_from_draft_shows_follow_ups():
    draft = {"identity": {}, "answers": {"cssrs": {"q1": 0, "q2": 1, "q6": 1}}}
    form = clinical_forms.CssrsForm(draft=draft)
    assert cssrs_fields(form) == ["q1", "q2", "q3", "q4", "q5", "q6", "q6_recent"]
    assert form["q2"].value() == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"q1": "0", "q2": "0", "q6": "0"}, "none"),
        ({"q1": "1"}, "calm"),
        ({"q2": "1"}, "calm"),
        ({"q2": "1", "q3": "1"}, "calm"),
        ({"q2": "1", "q4": "1"}, "strong"),
        ({"q2": "1", "q5": "1"}, "strong"),
        ({"q6": "1"}, "calm"),
        ({"q6": "1", "q6_recent": "0"}, "calm"),
        ({"q6": "1", "q6_recent": "1"}, "strong"),
    ],
)
def test_cssrs_crisis_truth_table(data, expected):
    form = clinical_forms.CssrsForm(data, draft=empty_draft())
    assert form.crisis == expected


def test_cssrs_options_carry_data_crisis():
    draft = {"identity": {}, "answers": {"cssrs": {"q2": 1, "q6": 1}}}
    form = clinical_forms.CssrsForm(draft=draft)
    for code, level in clinical_forms.CSSRS_CRISIS.items():
        html = str(form[code])
        assert f'data-crisis="{level}"' in option_attrs(html, "1")
        assert "data-crisis" not in option_attrs(html, "0")
    assert clinical_forms.CSSRS_CRISIS["q4"] == clinical_forms.CSSRS_CRISIS["q5"] == "strong"
    assert clinical_forms.CSSRS_CRISIS["q6_recent"] == "strong"
    assert clinical_forms.CSSRS_CRISIS["q1"] == "calm"


# --- Medical ---------------------------------------------------------------------------------


def test_medical_saves_every_prescreen_code_for_evaluate():
    draft = empty_draft()
    data = medical_data(
        bp_systolic="150",
        medication_categories=["benzodiazepine"],
        medication_names="sertraline 50 mg",
        heart_disease="yes",
    )
    form = valid(clinical_forms.MedicalForm(data, draft=draft))
    assert form.notice == flags.MEDICATION_NOTICE
    form.save_into(draft)
    prescreen = draft["answers"]["prescreen"]
    assert set(prescreen) == {q.code for q in flags.PRESCREEN_QUESTIONS}
    assert prescreen["heart_disease"] is True
    assert prescreen["stroke"] is False
    assert prescreen["bp_systolic"] == 150
    assert prescreen["bp_diastolic"] is None
    assert prescreen["medication_categories"] == ["benzodiazepine"]
    codes = {flag.code for flag in flagging.evaluate(prescreen)}
    assert "medication_benzodiazepine" in codes
    again = clinical_forms.MedicalForm(draft=draft)
    assert again["heart_disease"].value() == "yes"


@pytest.mark.parametrize("value", ["20", "400", "abc"])
def test_blood_pressure_sane_range(value):
    form = clinical_forms.MedicalForm(medical_data(bp_systolic=value), draft=empty_draft())
    assert not form.is_valid()
    assert form.errors["bp_systolic"] == [
        "Please enter a number between 50 and 300, or leave this empty."
    ]


def test_medical_required_message_is_specific():
    form = clinical_forms.MedicalForm(medical_data(stroke=""), draft=empty_draft())
    assert not form.is_valid()
    text = flags.QUESTIONS_BY_CODE["stroke"].text
    assert form.errors["stroke"] == [f"Choose an answer for: {text}"]


def test_free_text_crisis_wording():
    form = clinical_forms.MedicalForm(
        {"medication_names": "I want to end my life"}, draft=empty_draft()
    )
    assert not form.is_valid()
    assert form.crisis == "calm"
    calm = clinical_forms.MedicalForm({"medication_names": "sertraline"}, draft=empty_draft())
    assert calm.crisis == "none"


# --- Review ----------------------------------------------------------------------------------


def review_draft():
    return {"identity": {"first_name": "Ada", "last_name": "Lovelace"}, "answers": {}}


def test_review_saves_consent():
    draft = review_draft()
    form = valid(
        intake_forms.ReviewForm({"consent": "on", "signature": "  ada   LOVELACE "}, draft=draft)
    )
    assert form.fields["consent"].label == intake_forms.CONSENT_TEXT
    form.save_into(draft)
    assert draft["answers"]["consent"] == {
        "version": "intake-2026-11-v1",
        "signature": "ada LOVELACE",
        "signed_on": "2026-06-15",
    }


def test_review_signature_mismatch():
    form = intake_forms.ReviewForm(
        {"consent": "on", "signature": "Ada Byron"}, draft=review_draft()
    )
    assert not form.is_valid()
    assert form.errors["signature"] == [
        "Please type your name as you gave it on the first page: Ada Lovelace."
    ]


def test_review_requires_consent():
    form = intake_forms.ReviewForm({"signature": "Ada Lovelace"}, draft=review_draft())
    assert not form.is_valid()
    assert "consent" in form.errors


# --- A whole pass ----------------------------------------------------------------------------


def submit(code, data, draft):
    form = steps.get_step(code).form_class(data, draft=draft)
    valid(form)
    if form.is_complete:
        form.save_into(draft)
    return form


def test_full_pass_scores():
    draft = empty_draft()
    step = steps.STEPS[0]
    pages = {
        "about": [ABOUT],
        "history": [HISTORY],
        "questionnaires": [questionnaire_data(item9="1")],
        "cssrs": [
            {"q1": "1", "q2": "1", "q6": "0"},
            {"shown": "q1,q2,q3,q4,q5,q6", "q1": "1", "q2": "1", "q3": "0"}
            | {"q4": "0", "q5": "0", "q6": "0"},
        ],
        "medical": [medical_data(bp_systolic="150", bp_diastolic="95")],
        "review": [{"consent": "on", "signature": "Ada Lovelace"}],
    }
    crisis_seen = []
    while step is not None:
        for data in pages[step.code]:
            form = submit(step.code, data, draft)
            crisis_seen.append(form.crisis)
        assert form.is_complete
        step = steps.next_step(step.code)
    assert crisis_seen[2:5] == ["calm", "calm", "calm"]
    result = services.results(draft["answers"])
    assert result["phq9_total"] == 9
    assert result["pain"] == 6
    assert result["cssrs_tier"] == "low"
    assert result["shows_crisis"] is True
    assert draft["answers"]["consent"]["version"] == intake_forms.CONSENT_VERSION


def test_a_step_shown_as_it_was_left_shows_its_answers_without_checking_them():
    left = intake_forms.AboutForm.as_left(
        {"phone": ["12"], "first_name": ["Ada"]}, draft=empty_draft()
    )
    assert left.is_bound and left["phone"].value() == "12"
    assert left.errors == {} and left["phone"].errors == [] and not left.non_field_errors()
    assert 'aria-invalid="true"' not in str(left["phone"])
    sent = intake_forms.AboutForm({"phone": "12", "first_name": "Ada"}, draft=empty_draft())
    assert sent.errors["phone"] == [phones.MESSAGE]  # the same answers, sent, are checked
