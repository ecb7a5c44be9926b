"""Pre-screen flags and the one urgency order (intake.flags tables, intake.flagging
functions): pure, no database."""

import itertools
import re

import pytest

from intake import flagging as G
from intake import flags as F
from intake import services
from intake.flagging import (
    IncompleteAnswers,
    evaluate,
    is_risk,
    resolve_thresholds,
    shows_crisis,
    urgency,
)
from intake.flags import (
    MEDICATION_CATEGORIES,
    PRESCREEN_QUESTIONS,
    AnswerType,
    Flag,
    Severity,
    Urgency,
)
from tests.builders.intake import NOTHING

LIMITS = dict(F.DEFAULT_THRESHOLDS)

# (question, answer, flag code, severity): one row per flag; the answer raises exactly it.
CONDITION_CASES = [
    ("ketamine_allergy", True, "ketamine_hypersensitivity", "contraindication"),
    ("heart_disease", True, "cardiac_disease", "contraindication"),
    ("aneurysm", True, "aneurysm", "contraindication"),
    ("avm", True, "arteriovenous_malformation", "contraindication"),
    ("brain_bleed", True, "intracerebral_hemorrhage", "contraindication"),
    ("stroke", True, "stroke", "contraindication"),
    ("head_injury", True, "head_injury", "contraindication"),
    ("pre_eclampsia", True, "pre_eclampsia", "contraindication"),
    ("ketamine_bad_reaction", True, "ketamine_prior_adverse_reaction", "caution"),
    ("high_blood_pressure", "yes_not_controlled", "hypertension_uncontrolled", "caution"),
    ("high_blood_pressure", "yes_controlled", "hypertension_treated", "information"),
    ("high_blood_pressure", "not_sure", "hypertension_unknown", "caution"),
    ("bp_systolic", 141, "blood_pressure_systolic_high", "caution"),
    ("bp_diastolic", 91, "blood_pressure_diastolic_high", "caution"),
    ("intracranial_pressure", True, "raised_intracranial_pressure", "caution"),
    ("eye_pressure", True, "raised_intraocular_pressure", "caution"),
    ("psychosis", True, "psychosis", "caution"),
    ("bipolar", True, "bipolar_disorder", "caution"),
    ("mania_now", True, "mania_current", "caution"),
    ("substance_use_problem", True, "substance_use_disorder", "caution"),
    ("ketamine_pcp_nonmedical_use", True, "ketamine_or_pcp_misuse", "caution"),
    ("pregnant", "yes", "pregnancy", "caution"),
    ("pregnant", "not_sure", "pregnancy", "caution"),
    ("breastfeeding", True, "breastfeeding", "caution"),
    ("liver_disease", True, "liver_disease", "caution"),
    ("bladder_symptoms", True, "bladder_symptoms", "caution"),
    ("breathing_condition", True, "respiratory_disease", "caution"),
    ("overactive_thyroid_untreated", True, "hyperthyroidism_untreated", "caution"),
    ("porphyria", True, "porphyria", "caution"),
    ("ride_home", False, "no_ride_home", "caution"),
    ("fasting_difficult", True, "fasting_difficulty", "caution"),
]


def answers(**changes):
    return {**NOTHING, **changes}


def codes(flag_list):
    return [f.code for f in flag_list]


def flag(code="x", severity=Severity.CAUTION, is_medication=False):
    return Flag(code, "q", True, "reason", severity, is_medication)


# --- Flags -------------------------------------------------------------------------------


def test_nothing_to_flag():
    assert evaluate(NOTHING, LIMITS) == []


def test_not_sure_about_blood_pressure_raises_a_caution():
    got = evaluate(answers(high_blood_pressure="not_sure"), LIMITS)
    assert [(f.code, f.severity) for f in got] == [("hypertension_unknown", Severity.CAUTION)]
    assert level(flags=got) == Urgency.CAUTION


def test_readings_at_the_limit_raise_nothing():
    assert evaluate(answers(bp_systolic=140, bp_diastolic=90), LIMITS) == []
    assert evaluate(answers(bp_systolic=None, bp_diastolic=None), LIMITS) == []


@pytest.mark.parametrize(("question", "answer", "code", "severity"), CONDITION_CASES)
def test_each_condition_flag_is_raised_by_its_answer_alone(question, answer, code, severity):
    (raised,) = evaluate(answers(**{question: answer}), LIMITS)
    assert (raised.code, raised.question, raised.answer) == (code, question, answer)
    assert raised.severity == severity and not raised.is_medication
    assert raised.reason and "{" not in raised.reason
    assert raised.requires_clinician_review


def test_every_condition_rule_is_tested_and_every_question_is_asked():
    assert {c for _, _, c, _ in CONDITION_CASES} == {r.code for r in F.CONDITION_RULES}
    asked = {q.code for q in PRESCREEN_QUESTIONS}
    assert {r.question for r in F.CONDITION_RULES} <= asked


def test_flag_codes_are_stable_snake_case_and_unique():
    all_codes = [r.code for r in F.CONDITION_RULES] + [c.flag_code for c in MEDICATION_CATEGORIES]
    assert len(all_codes) == len(set(all_codes))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", c) for c in all_codes)


def test_blood_pressure_reading_names_the_limit_in_the_reason():
    (raised,) = evaluate(answers(bp_systolic=162), LIMITS)
    assert "162" in raised.reason and "140" in raised.reason


def test_alcohol_is_asked_as_a_number_and_never_flagged():
    question = F.QUESTIONS_BY_CODE["alcohol_drinks_per_week"]
    assert question.text == "In a typical week, how many alcoholic drinks do you have?"
    assert question.answer_type is AnswerType.NUMBER
    for drinks in (0, 1, 14, 40, 500):  # no score and no cut-off: the reference gives none
        assert evaluate(answers(alcohol_drinks_per_week=drinks), LIMITS) == []
    with pytest.raises(ValueError):
        evaluate(answers(alcohol_drinks_per_week=-1), LIMITS)


def test_several_answers_raise_several_flags():
    got = evaluate(answers(stroke=True, psychosis=True, bp_diastolic=95), LIMITS)
    assert set(codes(got)) == {"stroke", "psychosis", "blood_pressure_diastolic_high"}


# --- Medicines ---------------------------------------------------------------------------

MEDICATION_CASES = [
    ("benzodiazepine", "Xanax 0.5mg at night", "xanax", "caution"),
    ("benzodiazepine", "CLONAZEPAM", "clonazepam", "caution"),
    ("sleep_medicine", "zolpidem 10 mg", "zolpidem", "caution"),
    ("opioid", "oxycodone for back pain", "oxycodone", "caution"),
    ("gabapentinoid", "Lyrica", "lyrica", "caution"),
    ("maoi", "phenelzine (Nardil)", "phenelzine", "caution"),
    ("stimulant", "Adderall XR 20mg", "adderall", "caution"),
    ("stimulant", "modafinil", "modafinil", "caution"),
    ("theophylline", "Theophylline", "theophylline", "caution"),
    ("sedating_antipsychotic", "quetiapine 50mg at night", "quetiapine", "caution"),
    ("sedating_antipsychotic", "Seroquel", "seroquel", "caution"),
    ("sedating_antipsychotic", "olanzapine", "olanzapine", "caution"),
    ("sedating_antihistamine", "Benadryl to sleep", "benadryl", "caution"),
    ("sedating_antihistamine", "hydroxyzine 25 mg", "hydroxyzine", "caution"),
    ("sedating_antihistamine", "doxylamine", "doxylamine", "caution"),
    ("muscle_relaxant", "cyclobenzaprine 10mg", "cyclobenzaprine", "caution"),
    ("muscle_relaxant", "Soma", "soma", "caution"),
    ("muscle_relaxant", "baclofen", "baclofen", "caution"),
    ("lamotrigine", "Lamictal 100mg twice a day", "lamictal", "information"),
]


@pytest.mark.parametrize(("category", "text", "keyword", "severity"), MEDICATION_CASES)
def test_medicine_named_in_free_text_raises_its_flag(category, text, keyword, severity):
    (raised,) = evaluate(answers(medication_names=text), LIMITS)
    assert raised.code == f"medication_{category}"
    assert (raised.question, raised.answer) == ("medication_names", keyword)
    assert raised.severity == severity and raised.is_medication


@pytest.mark.parametrize("category", MEDICATION_CATEGORIES, ids=lambda c: c.code)
def test_ticked_category_raises_its_flag(category):
    (raised,) = evaluate(answers(medication_categories=[category.code]), LIMITS)
    assert raised.code == category.flag_code
    assert (raised.question, raised.answer) == ("medication_categories", category.code)
    assert raised.is_medication


def test_lamotrigine_is_information_only():
    (raised,) = evaluate(answers(medication_categories=["lamotrigine"]), LIMITS)
    assert raised.severity is Severity.INFORMATION


def test_keywords_match_whole_words_only_and_other_medicines_raise_nothing():
    assert evaluate(answers(medication_names="sertraline 50mg, vitamin D, ibuprofen"), LIMITS) == []
    assert evaluate(answers(medication_names="xanaxish"), LIMITS) == []


def test_a_tick_and_a_name_in_the_same_category_raise_one_flag():
    got = evaluate(
        answers(medication_categories=["benzodiazepine"], medication_names="lorazepam; Ativan"),
        LIMITS,
    )
    assert codes(got) == ["medication_benzodiazepine"]
    assert got[0].question == "medication_categories"


def test_free_text_is_never_copied_into_a_flag():
    (raised,) = evaluate(answers(medication_names="Jane Doe takes Valium"), LIMITS)
    assert raised.answer == "valium"
    assert "Jane" not in repr(raised.as_dict())


def test_every_category_is_a_choice_of_the_tick_question():
    (question,) = [q for q in PRESCREEN_QUESTIONS if q.code == "medication_categories"]
    assert question.answer_type is AnswerType.MULTI_CHOICE
    assert [v for v, _ in question.choices] == [c.code for c in MEDICATION_CATEGORIES]


# --- Sorting, storage, refusals ----------------------------------------------------------


def test_flags_are_sorted_by_severity():
    got = evaluate(
        answers(
            high_blood_pressure="yes_controlled",  # information
            medication_names="lamotrigine, diazepam",  # information, caution
            porphyria=True,  # caution
            aneurysm=True,  # contraindication
        ),
        LIMITS,
    )
    ranks = [f.severity.rank for f in got]
    assert ranks == sorted(ranks)
    assert [f.severity for f in got] == [
        "contraindication",
        "caution",
        "caution",
        "information",
        "information",
    ]


def test_flags_round_trip_through_their_stored_form():
    got = evaluate(answers(stroke=True, medication_categories=["maoi"]), LIMITS)
    stored = [f.as_dict() for f in got]
    assert all(d["requires_clinician_review"] is True for d in stored)
    assert [Flag.from_dict(d) for d in stored] == got


def test_incomplete_answers_are_refused():
    partial = dict(NOTHING)
    del partial["pregnant"]
    with pytest.raises(IncompleteAnswers, match="pregnant"):
        evaluate(partial, LIMITS)
    with pytest.raises(IncompleteAnswers):
        evaluate(answers(stroke=None), LIMITS)


@pytest.mark.parametrize(
    "bad",
    [
        {"stroke": 1},  # not a bool
        {"stroke": "yes"},
        {"pregnant": "maybe"},
        {"bp_systolic": "150"},
        {"bp_systolic": True},
        {"bp_systolic": 1400},  # typing slip
        {"medication_categories": ["aspirin"]},
        {"medication_categories": "benzodiazepine"},
        {"medication_names": 3},
        {"unknown_question": True},
    ],
)
def test_wrong_answers_are_refused(bad):
    with pytest.raises(ValueError):
        evaluate(answers(**bad), LIMITS)


def test_every_question_has_text_and_a_known_answer_type():
    seen = set()
    for q in PRESCREEN_QUESTIONS:
        assert q.code not in seen and q.text.strip() and q.answer_type in AnswerType
        seen.add(q.code)
        assert bool(q.choices) == (q.answer_type in (AnswerType.CHOICE, AnswerType.MULTI_CHOICE))
    assert set(NOTHING) == {q.code for q in PRESCREEN_QUESTIONS if q.required} | {
        "medication_names"
    }


# --- Thresholds --------------------------------------------------------------------------


def test_thresholds_come_from_the_settings_block(settings):
    settings.INTAKE_CLINICAL_THRESHOLDS = {"blood_pressure_systolic_above": 160}
    thresholds = services.clinical_thresholds()
    assert evaluate(answers(bp_systolic=150), thresholds) == []
    assert codes(evaluate(answers(bp_systolic=161), thresholds)) == ["blood_pressure_systolic_high"]
    # A key the block leaves out falls back to the documented default.
    assert codes(evaluate(answers(bp_diastolic=91), thresholds)) == [
        "blood_pressure_diastolic_high"
    ]


def test_the_settings_block_holds_every_threshold(settings):
    assert set(settings.INTAKE_CLINICAL_THRESHOLDS) == set(F.DEFAULT_THRESHOLDS)
    assert services.clinical_thresholds()["pc_ptsd5_cutoff"] == 3


def test_thresholds_argument_overrides_the_defaults():
    assert codes(evaluate(answers(bp_diastolic=95), {"blood_pressure_diastolic_above": 85})) == [
        "blood_pressure_diastolic_high"
    ]
    assert evaluate(answers(bp_diastolic=95), {"blood_pressure_diastolic_above": 200}) == []
    assert resolve_thresholds(None) == F.DEFAULT_THRESHOLDS


@pytest.mark.parametrize(
    "bad",
    [{"bp_systolic_above": 140}, {"pc_ptsd5_cutoff": 0}, {"pc_ptsd5_cutoff": "3"}],
)
def test_bad_thresholds_are_refused(bad):
    with pytest.raises(ValueError):
        resolve_thresholds(bad)


# --- The urgency order -------------------------------------------------------------------

CONTRA = flag("aneurysm", Severity.CONTRAINDICATION)
CAUTION = flag("psychosis", Severity.CAUTION)
INFO = flag("hypertension_treated", Severity.INFORMATION)
MED_INFO = flag("medication_lamotrigine", Severity.INFORMATION, is_medication=True)
MED = flag("medication_maoi", Severity.CAUTION, is_medication=True)

CALM = {"cssrs": {"q1": 0, "q2": 0, "q6": 0}, "phq9_item9": 0, "flags": []}


def level(**changes):
    return urgency(**{**CALM, **changes})


def cssrs(**yes):
    """C-SSRS answers: the given ones, every other question asked answered "no"."""
    given = {"q1": 0, "q2": 0, "q6": 0, **yes}
    if given.get("q2") == 1:
        given = {"q3": 0, "q4": 0, "q5": 0, **given}
    return given


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"cssrs": cssrs(q2=1, q4=1)}, 1),
        ({"cssrs": cssrs(q2=1, q5=1)}, 1),
        ({"cssrs": cssrs(q6=1, q6_recent=1)}, 1),
        ({"cssrs": {"q1": 0, "q2": 0, "q6": 1}}, 1),  # recency not answered: counted recent
        ({"cssrs": {"q6": 1, "q6_recent": None}}, 1),
        ({"phq9_item9": 2}, 2),
        ({"phq9_item9": 3}, 2),
        ({"cssrs": cssrs(q2=1, q3=1)}, 2),
        ({"cssrs": cssrs(q6=1, q6_recent=0)}, 2),
        ({"cssrs": cssrs(q2=1)}, 3),  # active thoughts, no method
        ({"cssrs": cssrs(q1=1, q2=1)}, 3),
        ({"crisis_wording": True}, 3),
        ({"cssrs": cssrs(q1=1)}, 4),  # wish to be dead only
        ({"phq9_item9": 1}, 4),
        ({"flags": [CONTRA]}, 5),
        ({"flags": [CAUTION]}, 6),
        ({"flags": [MED]}, 6),
        ({"flags": [MED_INFO]}, 6),  # lamotrigine: a medication flag
        ({"flags": [INFO]}, 7),
        ({}, 7),
        ({"cssrs": None, "phq9_item9": None}, 7),
        ({"cssrs": {}, "phq9_item9": None}, 7),
    ],
)
def test_each_level(changes, expected):
    got = level(**changes)
    assert got == expected and isinstance(got, Urgency)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"cssrs": cssrs(q2=1, q4=1), "phq9_item9": 3, "flags": [CONTRA]}, 1),
        ({"phq9_item9": 2, "cssrs": cssrs(q2=1)}, 2),
        ({"phq9_item9": 3, "cssrs": cssrs(q1=1)}, 2),
        ({"phq9_item9": 1, "cssrs": cssrs(q2=1)}, 3),
        ({"phq9_item9": 1, "crisis_wording": True, "flags": [CONTRA]}, 3),
        ({"cssrs": cssrs(q1=1), "flags": [CONTRA, CAUTION]}, 4),
        ({"flags": [INFO, CAUTION, CONTRA]}, 5),
        ({"flags": [INFO, MED_INFO]}, 6),
    ],
)
def test_precedence_when_several_apply(changes, expected):
    assert level(**changes) == expected


def oracle(answers, item9, crisis, flag_list):
    """The issue's list, written out independently of the module's table."""
    yes = {code for code, value in answers.items() if value == 1}
    recency = answers.get("q6_recent")
    if "q4" in yes or "q5" in yes or ("q6" in yes and recency != 0):
        return 1
    if item9 in (2, 3) or "q3" in yes or ("q6" in yes and recency == 0):
        return 2
    if "q2" in yes or crisis:
        return 3
    if "q1" in yes or item9 == 1:
        return 4
    if any(f.severity == "contraindication" for f in flag_list):
        return 5
    if any(f.severity == "caution" or f.is_medication for f in flag_list):
        return 6
    return 7


FLAG_SETS = [[], [INFO], [MED_INFO], [MED], [CAUTION], [CONTRA], [CONTRA, CAUTION, MED_INFO]]
YES_NO_UNANSWERED = [None, 0, 1]


def test_urgency_order_exhaustively():
    seen = set()
    codes = ("q1", "q2", "q3", "q4", "q5", "q6", "q6_recent")
    for values in itertools.product(YES_NO_UNANSWERED, repeat=len(codes)):
        answers = dict(zip(codes, values, strict=True))
        for item9, crisis, flag_list in itertools.product(
            [None, 0, 1, 2, 3], [False, True], FLAG_SETS[:: 3 if any(values) else 1]
        ):
            got = urgency(cssrs=answers, phq9_item9=item9, crisis_wording=crisis, flags=flag_list)
            assert got == oracle(answers, item9, crisis, flag_list), (answers, item9, crisis)
            seen.add(got)
    assert seen == set(range(1, 8))


def test_triage_says_what_fired_in_order():
    got = G.triage(cssrs=cssrs(q1=1, q2=1), phq9_item9=1, crisis_wording=True, flags=[CONTRA])
    assert got.level == Urgency.ACTIVE_THOUGHTS
    assert got.reasons == (
        "cssrs_q2",
        "crisis_wording",
        "cssrs_q1",
        "phq9_item9_1",
        "label_contraindication",
    )
    unknown = G.triage(cssrs={"q6": 1}, phq9_item9=None)
    assert unknown.reasons == ("cssrs_behaviour_recency_unknown",)


def test_every_reason_has_plain_words_and_item9_is_never_called_a_risk_assessment():
    assert G.reason_text("cssrs_q2") == "C-SSRS Q2: active suicidal thoughts, past month"
    for code, reason in F.REASONS.items():
        assert reason.code == code and reason.text
        if code.startswith("phq9"):
            assert "risk" not in reason.text.lower() and "suicid" not in reason.text.lower()
    for level in Urgency:
        if "PHQ-9" in level.label:
            assert "suicide risk" not in level.label.lower()


def test_urgency_accepts_real_flags():
    got = evaluate(answers(stroke=True), LIMITS)
    assert level(flags=got) == Urgency.LABEL_CONTRAINDICATION


@pytest.mark.parametrize(
    "bad",
    [
        {"cssrs": {"q7": 1}},
        {"cssrs": {"q1": 2}},
        {"cssrs": {"q1": True}},
        {"cssrs": {"q1": "1"}},
        {"cssrs": "high"},
        {"phq9_item9": 4},
        {"phq9_item9": -1},
        {"phq9_item9": "2"},
        {"phq9_item9": True},
        {"crisis_wording": None},
        {"crisis_wording": 1},
        {"flags": [{"code": "aneurysm"}]},
    ],
)
def test_urgency_refuses_what_it_cannot_read(bad):
    with pytest.raises((TypeError, ValueError)):
        level(**bad)


def test_urgency_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        urgency({}, 0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        urgency(phq9_item9=0)  # type: ignore[call-arg]


def test_every_level_has_one_staff_label_and_a_neutral_band():
    assert set(F.URGENCY_LABELS) == set(Urgency) == set(F.URGENCY_BANDS)
    assert [u.value for u in Urgency] == list(range(1, 8))
    assert all(u.label.startswith(f"{u.value} ") for u in Urgency)
    assert [u.band for u in Urgency] == ["Priority"] * 2 + ["Urgent"] * 2 + ["Soon"] * 2 + [
        "Routine"
    ]
    assert [G.levels_in_band(b) for b in F.BANDS] == [(1, 2), (3, 4), (5, 6), (7,)]
    for u in Urgency:  # nothing clinical in a band
        assert not re.search(r"suicid|risk|C-SSRS|PHQ|contraindication", u.band, re.I)


@pytest.mark.parametrize("value", range(1, 8))
def test_is_risk_is_levels_one_to_four_and_priority_one_to_two(value):
    assert is_risk(value) is (value <= 4)
    assert is_risk(Urgency(value)) is (value <= 4)
    assert G.is_priority(value) is (value <= 2)


@pytest.mark.parametrize("bad", [0, 8, None, True, "1"])
def test_is_risk_refuses_other_values(bad):
    with pytest.raises((TypeError, ValueError)):
        is_risk(bad)


# --- Crisis resources --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item9", "any_yes", "expected"),
    [
        (None, False, False),
        (0, False, False),
        (1, False, True),
        (2, False, True),
        (3, False, True),
        (None, True, True),
        (0, True, True),
        (1, True, True),
        (2, True, True),
        (3, True, True),
    ],
)
def test_shows_crisis_truth_table(item9, any_yes, expected):
    assert shows_crisis(phq9_item9=item9, cssrs_any_yes=any_yes) is expected


@pytest.mark.parametrize(
    "bad", [{"phq9_item9": 4}, {"phq9_item9": "1"}, {"cssrs_any_yes": None}, {"cssrs_any_yes": 1}]
)
def test_shows_crisis_refuses_what_it_cannot_read(bad):
    with pytest.raises((TypeError, ValueError)):
        shows_crisis(**{"phq9_item9": 0, "cssrs_any_yes": False, **bad})


def test_crisis_resources_show_whenever_the_urgency_is_a_risk_level():
    """Without crisis wording and flags, a risk level and "crisis resources shown" agree."""
    codes = ("q1", "q2", "q3", "q4", "q5", "q6", "q6_recent")
    for values in itertools.product([0, 1], repeat=len(codes)):
        answers = dict(zip(codes, values, strict=True))
        any_yes = any(v == 1 for c, v in answers.items() if c != "q6_recent")
        for item9 in (0, 1, 2, 3):
            got = level(cssrs=answers, phq9_item9=item9)
            assert is_risk(got) is shows_crisis(phq9_item9=item9, cssrs_any_yes=any_yes), (
                answers,
                item9,
            )


def test_the_clinician_sees_the_alcohol_answer_as_given():
    from intake import summary

    sections = dict(
        summary.summary({"answers": {"prescreen": answers(alcohol_drinks_per_week=12)}})
    )
    rows = dict(sections["Health and medicines"])
    assert rows["In a typical week, how many alcoholic drinks do you have?"] == "12"
