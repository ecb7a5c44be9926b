"""The screening instruments: wording, skip logic and scoring (pure, no database)."""

import dataclasses

import pytest

from intake import instruments as inst
from intake.instruments import (
    INSTRUMENTS,
    IncompleteAnswers,
    InvalidAnswer,
    Tier,
    UnexpectedAnswers,
    UnknownInstrument,
    asked_items,
    required_items,
    score,
    score_cssrs,
    score_gad7,
    score_pain,
    score_pcptsd5,
    score_phq9,
)
from tests.builders.intake import reference_text
from tests.intake import reference_wording as ref


def items_summing_to(total: int, count: int) -> dict[str, int]:
    """``count`` items q1..qN (0-3 each) adding up to ``total``, filled from q1."""
    assert 0 <= total <= 3 * count
    answers = {}
    for n in range(1, count + 1):
        answers[f"q{n}"] = min(3, total)
        total -= answers[f"q{n}"]
    return answers


# --- PHQ-9 -------------------------------------------------------------------------------

PHQ9_EDGES = [
    (0, "minimal", "Minimal"),
    (4, "minimal", "Minimal"),
    (5, "mild", "Mild"),
    (9, "mild", "Mild"),
    (10, "moderate", "Moderate"),
    (14, "moderate", "Moderate"),
    (15, "moderately_severe", "Moderately severe"),
    (19, "moderately_severe", "Moderately severe"),
    (20, "severe", "Severe"),
    (27, "severe", "Severe"),
]


@pytest.mark.parametrize(("total", "band", "label"), PHQ9_EDGES)
def test_phq9_band_edges(total, band, label):
    result = score_phq9(items_summing_to(total, 9))
    assert (result.total, result.band, result.band_label) == (total, band, label)


def test_phq9_bands_cover_every_total_once():
    for total in range(28):
        assert sum(b.low <= total <= b.high for b in inst.PHQ9_BANDS) == 1


def test_phq9_total_is_the_sum_of_the_nine_items():
    answers = {f"q{n}": n % 4 for n in range(1, 10)}  # 1,2,3,0,1,2,3,0,1
    assert score_phq9(answers).total == 13


@pytest.mark.parametrize("item9", [0, 1, 2, 3])
def test_phq9_item9_is_reported_and_counted(item9):
    answers = {**items_summing_to(0, 9), "q9": item9}
    result = score_phq9(answers)
    assert result.item9 == item9
    assert result.total == item9


def test_phq9_item9_is_reported_even_when_the_total_is_minimal():
    result = score_phq9({**items_summing_to(0, 9), "q9": 3})
    assert (result.band, result.item9) == ("minimal", 3)


@pytest.mark.parametrize("difficulty", [0, 1, 2, 3])
def test_phq9_difficulty_is_reported_but_not_counted(difficulty):
    answers = items_summing_to(19, 9)
    result = score_phq9({**answers, "difficulty": difficulty})
    assert result.total == 19
    assert result.band == "moderately_severe"
    assert result.difficulty == difficulty


def test_phq9_difficulty_is_optional():
    assert "difficulty" in asked_items("phq9", {})
    assert "difficulty" not in required_items("phq9", {})
    assert score_phq9(items_summing_to(12, 9)).difficulty is None


def test_phq9_records_its_version():
    assert score_phq9(items_summing_to(0, 9)).version == INSTRUMENTS["phq9"].version


# --- GAD-7 -------------------------------------------------------------------------------

GAD7_EDGES = [
    (0, "minimal", "Minimal"),
    (4, "minimal", "Minimal"),
    (5, "mild", "Mild"),
    (9, "mild", "Mild"),
    (10, "moderate", "Moderate"),
    (14, "moderate", "Moderate"),
    (15, "severe", "Severe"),
    (21, "severe", "Severe"),
]


@pytest.mark.parametrize(("total", "band", "label"), GAD7_EDGES)
def test_gad7_band_edges(total, band, label):
    result = score_gad7(items_summing_to(total, 7))
    assert (result.total, result.band, result.band_label) == (total, band, label)


def test_gad7_bands_cover_every_total_once():
    for total in range(22):
        assert sum(b.low <= total <= b.high for b in inst.GAD7_BANDS) == 1


def test_gad7_difficulty_is_reported_but_not_counted():
    result = score_gad7({**items_summing_to(9, 7), "difficulty": 3})
    assert (result.total, result.band, result.difficulty) == (9, "mild", 3)
    assert "difficulty" not in required_items("gad7", {})


# --- PC-PTSD-5 ---------------------------------------------------------------------------


def ptsd(count: int) -> dict[str, int]:
    return {"trauma": 1} | {f"q{n}": int(n <= count) for n in range(1, 6)}


def test_pcptsd5_gate_no_scores_zero_without_the_five_items():
    assert required_items("pcptsd5", {"trauma": 0}) == ["trauma"]
    result = score_pcptsd5({"trauma": 0})
    assert (result.trauma, result.count, result.positive) == (False, 0, False)


def test_pcptsd5_gate_no_with_item_answers_is_refused():
    with pytest.raises(UnexpectedAnswers) as error:
        score_pcptsd5({"trauma": 0, "q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1})
    assert error.value.codes == ["q1", "q2", "q3", "q4", "q5"]


def test_pcptsd5_gate_yes_requires_the_five_items():
    assert required_items("pcptsd5", {}) == ["trauma"]
    assert required_items("pcptsd5", {"trauma": 1}) == ["trauma", "q1", "q2", "q3", "q4", "q5"]
    with pytest.raises(IncompleteAnswers) as error:
        score_pcptsd5({"trauma": 1, "q1": 1})
    assert error.value.missing == ["q2", "q3", "q4", "q5"]


@pytest.mark.parametrize(("count", "positive"), [(0, False), (2, False), (3, True), (5, True)])
def test_pcptsd5_default_cutoff_is_3(count, positive):
    result = score_pcptsd5(ptsd(count))
    assert (result.count, result.cutoff, result.positive) == (count, 3, positive)


@pytest.mark.parametrize("count", range(6))
@pytest.mark.parametrize("cutoff", [1, 3, 4, 5])
def test_pcptsd5_cutoff_is_configurable(count, cutoff):
    result = score_pcptsd5(ptsd(count), cutoff=cutoff)
    assert result.count == count
    assert result.positive is (count >= cutoff)


def test_pcptsd5_cutoff_through_score():
    assert score("pcptsd5", ptsd(3), cutoff=4).positive is False
    assert score("pcptsd5", ptsd(4), cutoff=4).positive is True


@pytest.mark.parametrize("cutoff", [0, 6, -1, True, 3.0, "3"])
def test_pcptsd5_nonsense_cutoff_is_refused(cutoff):
    with pytest.raises(ValueError, match="cut-off"):
        score_pcptsd5(ptsd(3), cutoff=cutoff)


# --- Pain --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", range(11))
def test_pain_accepts_0_to_10_and_records_the_time_frame(value):
    result = score_pain({"pain": value})
    assert result.value == value
    assert result.time_frame == "on average over the past week"


@pytest.mark.parametrize("value", [-1, 11, 5.5, "5", True])
def test_pain_out_of_range_is_refused(value):
    with pytest.raises(InvalidAnswer) as error:
        score_pain({"pain": value})
    assert (error.value.code, error.value.value) == ("pain", value)


def test_pain_is_a_plain_nrs_never_the_brief_pain_inventory():
    pain = INSTRUMENTS["pain"]
    assert [item.code for item in pain.items] == ["pain"]
    everything = " ".join([pain.name, pain.attribution, pain.items[0].text])
    assert "Brief Pain Inventory" not in everything
    assert "BPI" not in everything


# --- C-SSRS ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("so_far", "expected"),
    [
        ({}, ["q1", "q2", "q6"]),
        ({"q1": 0}, ["q1", "q2", "q6"]),  # question 2 is asked whatever question 1 says
        ({"q1": 1, "q2": 0}, ["q1", "q2", "q6"]),
        ({"q2": 1}, ["q1", "q2", "q3", "q4", "q5", "q6"]),
        ({"q2": 0, "q6": 1}, ["q1", "q2", "q6", "q6_recent"]),
        ({"q2": 1, "q6": 1}, ["q1", "q2", "q3", "q4", "q5", "q6", "q6_recent"]),
        ({"q2": 1, "q6": 0}, ["q1", "q2", "q3", "q4", "q5", "q6"]),
    ],
)
def test_cssrs_skip_logic(so_far, expected):
    assert required_items("cssrs", so_far) == expected
    assert asked_items("cssrs", so_far) == expected


def cssrs(**yes):
    """A complete C-SSRS set: every asked question "no" unless given."""
    answers = {"q1": 0, "q2": 0, "q6": 0} | {k: v for k, v in yes.items() if k in ("q2", "q6")}
    for code in required_items("cssrs", answers):
        answers.setdefault(code, 0)
    return answers | yes


@pytest.mark.parametrize(
    ("answers", "tier", "highest", "recent", "reasons"),
    [
        (cssrs(), Tier.NONE, None, None, ()),
        (cssrs(q1=1), Tier.LOW, 1, None, ("q1",)),
        (cssrs(q2=1), Tier.LOW, 2, None, ("q2",)),
        (cssrs(q1=1, q2=1), Tier.LOW, 2, None, ("q1", "q2")),
        (cssrs(q2=1, q3=1), Tier.MODERATE, 3, None, ("q3",)),
        (cssrs(q6=1, q6_recent=0), Tier.MODERATE, 6, False, ("q6",)),
        (cssrs(q2=1, q3=1, q6=1, q6_recent=0), Tier.MODERATE, 6, False, ("q3", "q6")),
        (cssrs(q2=1, q4=1), Tier.HIGH, 4, None, ("q4",)),
        (cssrs(q2=1, q5=1), Tier.HIGH, 5, None, ("q5",)),
        (cssrs(q6=1, q6_recent=1), Tier.HIGH, 6, True, ("q6", "q6_recent")),
        (cssrs(q1=1, q2=1, q3=1, q6=1, q6_recent=1), Tier.HIGH, 6, True, ("q6", "q6_recent")),
        (cssrs(q2=1, q4=1, q6=1, q6_recent=0), Tier.HIGH, 6, False, ("q4",)),
    ],
)
def test_cssrs_tiers(answers, tier, highest, recent, reasons):
    result = score_cssrs(answers)
    assert result.tier == tier
    assert result.highest_yes == highest
    assert result.recent_behaviour is recent
    assert result.behaviour is (answers["q6"] == 1)
    assert result.reasons == reasons


def test_cssrs_tiers_are_plain_strings():
    assert [str(t) for t in Tier] == ["none", "low", "moderate", "high"]
    assert score_cssrs(cssrs(q2=1, q5=1)).tier == "high"


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({"q1": 0, "q2": 1, "q6": 0}, ["q3", "q4", "q5"]),
        ({"q1": 0, "q2": 0, "q6": 1}, ["q6_recent"]),
        ({"q1": 1, "q2": 0}, ["q6"]),  # question 6 is always asked
        ({"q2": 0, "q6": 0}, ["q1"]),
        ({}, ["q1", "q2", "q6"]),
    ],
)
def test_cssrs_incomplete_sets_are_refused(answers, missing):
    with pytest.raises(IncompleteAnswers) as error:
        score_cssrs(answers)
    assert error.value.missing == missing


@pytest.mark.parametrize(
    ("answers", "not_asked"),
    [
        # A "yes" to question 4 after a "no" to question 2 is never silently dropped.
        ({"q1": 0, "q2": 0, "q4": 1, "q6": 0}, ["q4"]),
        ({"q1": 0, "q2": 0, "q3": 0, "q4": 0, "q5": 0, "q6": 0}, ["q3", "q4", "q5"]),
        ({"q1": 0, "q2": 0, "q6": 0, "q6_recent": 1}, ["q6_recent"]),
    ],
)
def test_cssrs_answers_the_skip_logic_did_not_ask_are_refused(answers, not_asked):
    with pytest.raises(UnexpectedAnswers) as error:
        score_cssrs(answers)
    assert error.value.codes == not_asked


def test_cssrs_awaits_the_medical_directors_signoff():
    cssrs_instrument = INSTRUMENTS["cssrs"]
    assert cssrs_instrument.awaiting_signoff is True
    assert cssrs_instrument.needs_review is True
    assert "self-report" in cssrs_instrument.signoff_note


# --- Refusals common to every instrument -------------------------------------------------

COMPLETE = {
    "phq9": items_summing_to(10, 9),
    "gad7": items_summing_to(10, 7),
    "pcptsd5": ptsd(2),
    "pain": {"pain": 4},
    "cssrs": {"q1": 0, "q2": 0, "q6": 0},
}


@pytest.mark.parametrize("code", sorted(COMPLETE))
def test_every_instrument_scores_a_complete_set(code):
    assert score(code, COMPLETE[code]).version == INSTRUMENTS[code].version


@pytest.mark.parametrize("code", sorted(COMPLETE))
def test_every_required_item_missing_is_refused(code):
    for missing in required_items(code, COMPLETE[code]):
        answers = {k: v for k, v in COMPLETE[code].items() if k != missing}
        with pytest.raises(IncompleteAnswers) as error:
            score(code, answers)
        assert missing in error.value.missing


@pytest.mark.parametrize("code", sorted(COMPLETE))
def test_an_empty_set_is_refused(code):
    with pytest.raises(IncompleteAnswers):
        score(code, {})


@pytest.mark.parametrize("code", sorted(COMPLETE))
def test_none_means_unanswered(code):
    first = required_items(code, {})[0]
    with pytest.raises(IncompleteAnswers) as error:
        score(code, {**COMPLETE[code], first: None})
    assert first in error.value.missing


@pytest.mark.parametrize("code", sorted(COMPLETE))
def test_every_out_of_range_value_is_refused(code):
    instrument = INSTRUMENTS[code]
    for item_code in COMPLETE[code]:
        item = instrument.item(item_code)
        for bad in (min(item.values) - 1, max(item.values) + 1, str(max(item.values)), 1.0):
            with pytest.raises(InvalidAnswer) as error:
                score(code, {**COMPLETE[code], item_code: bad})
            assert (error.value.code, error.value.value) == (item_code, bad)


@pytest.mark.parametrize(("code", "item_code"), [("phq9", "q1"), ("gad7", "q3"), ("pain", "pain")])
def test_booleans_are_refused_where_the_item_is_not_yes_no(code, item_code):
    with pytest.raises(InvalidAnswer):
        score(code, {**COMPLETE[code], item_code: True})


def test_booleans_stand_for_yes_and_no():
    assert score_pcptsd5({"trauma": True, **{f"q{n}": True for n in range(1, 6)}}).count == 5
    assert score_cssrs({"q1": False, "q2": False, "q6": False}).tier == Tier.NONE


@pytest.mark.parametrize("code", sorted(COMPLETE))
def test_unknown_item_codes_are_refused(code):
    with pytest.raises(UnexpectedAnswers) as error:
        score(code, {**COMPLETE[code], "q99": 0})
    assert error.value.codes == ["q99"]


def test_unknown_instrument_is_refused():
    with pytest.raises(UnknownInstrument):
        score("bpi", {})
    with pytest.raises(UnknownInstrument):
        required_items("bpi", {})


def test_options_are_only_for_the_instruments_that_take_them():
    with pytest.raises(TypeError):
        score("phq9", COMPLETE["phq9"], cutoff=3)


# --- The tables --------------------------------------------------------------------------


def test_registry_holds_the_five_instruments_and_cannot_be_changed():
    assert set(INSTRUMENTS) == {"phq9", "gad7", "pcptsd5", "pain", "cssrs"}
    assert all(code == instrument.code for code, instrument in INSTRUMENTS.items())
    with pytest.raises(TypeError):
        INSTRUMENTS["bpi"] = INSTRUMENTS["pain"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        INSTRUMENTS["phq9"].version = "edited"  # type: ignore[misc]


def test_versions_are_distinct_and_fit_a_40_character_column():
    versions = [instrument.version for instrument in INSTRUMENTS.values()]
    assert len(set(versions)) == len(versions)
    assert all(0 < len(version) <= 40 for version in versions)


def test_only_the_unconfirmed_wording_awaits_signoff():
    needs_review = {code for code, i in INSTRUMENTS.items() if i.needs_review}
    assert needs_review == {"cssrs", "gad7"}
    assert INSTRUMENTS["gad7"].item("difficulty").awaiting_signoff
    assert not INSTRUMENTS["gad7"].awaiting_signoff


def module_table(instrument):
    return {
        "instructions": instrument.instructions,
        "instruction_examples": list(instrument.instruction_examples),
        "attribution": instrument.attribution,
        "items": [
            (
                item.code,
                item.text,
                [(option.value, option.label) for option in item.options],
                {
                    field: getattr(item, field)
                    for field in ("heading", "stem", "detail", "column")
                    if getattr(item, field)
                },
            )
            for item in instrument.items
        ],
    }


@pytest.mark.parametrize("code", sorted(ref.REFERENCE))
def test_wording_matches_the_hand_copied_fixture(code):
    assert module_table(INSTRUMENTS[code]) == ref.REFERENCE[code]


def test_the_pain_question_is_the_reference_sentence_with_one_time_frame():
    chosen = ref.PAIN_REFERENCE_SENTENCE.replace(ref.PAIN_ALTERNATIVE, "")
    assert INSTRUMENTS["pain"].items[0].text == chosen


def wording(code):
    table = module_table(INSTRUMENTS[code])
    texts = [table["instructions"], table["attribution"], *table["instruction_examples"]]
    for item_code, text, options, extras in table["items"]:
        if (code, item_code) != ("pain", "pain"):
            texts.append(text)
        texts += [label for _, label in options]
        texts += extras.values()
    return [text for text in texts if text]


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_wording_appears_verbatim_in_the_clinical_reference(code):
    document = reference_text()
    missing = [text for text in wording(code) if text not in document]
    assert missing == []


def test_pain_sentence_and_skip_rule_appear_verbatim_in_the_clinical_reference():
    document = reference_text()
    assert ref.PAIN_REFERENCE_SENTENCE in document
    assert ref.CSSRS_SKIP_RULE in document
    assert inst.CSSRS_SKIP_RULE == ref.CSSRS_SKIP_RULE
    assert ref.CSSRS_INTERVIEWER_INSTRUCTION in document
    assert inst.CSSRS_INTERVIEWER_INSTRUCTION == ref.CSSRS_INTERVIEWER_INSTRUCTION
