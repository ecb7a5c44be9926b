"""Screening instruments: their exact wording, skip logic and scoring, as pure functions.

Nothing here diagnoses, approves or refuses anyone. A score, band or tier is a flag for a
clinician, who decides. The wording, response options and attribution lines are copied word
for word from ``../shared/clinical-reference.md`` (sections 2, 3, 4.1, 5.1 and 7.1); a
paraphrased instrument is no longer the validated one, so edit them only from the official
form, and then bump the instrument's ``version`` (stored with every answer set).

Answers are a ``dict`` of item code -> option value (yes/no as 1/0; ``None`` means "not
answered"). A set that is incomplete, out of range or answers a question the skip logic did
not ask is refused with an :class:`AnswerError`, never scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

# --- Tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    options: tuple[Option, ...]
    scored: bool = True  # counted in the total (C-SSRS: in the triage)
    required: bool = True  # when asked; the unscored difficulty questions are optional
    # The interviewer's label of the question (C-SSRS), kept for the record; patients are
    # shown the question itself, as on the printed screen.
    heading: str = ""
    stem: str = ""  # a lead-in printed before this item, e.g. "In the past month, have you…"
    detail: str = ""  # printed under the question, before its options (C-SSRS Q6 examples)
    # The printed form's time-frame column header over this question ("Past month"); on the
    # web form it is the legend of the fieldset that groups the questions sharing it.
    column: str = ""
    awaiting_signoff: bool = False
    signoff_note: str = ""

    @property
    def values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.options)

    @property
    def is_yes_no(self) -> bool:
        return self.values == {0, 1} and len(self.options) == 2


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    version: str
    instructions: str
    items: tuple[Item, ...]
    attribution: str
    time_frame: str
    instruction_examples: tuple[str, ...] = ()  # a bulleted list after the instructions
    awaiting_signoff: bool = False
    signoff_note: str = ""

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def needs_review(self) -> bool:
        """True while any of its wording awaits the medical director's sign-off."""
        return self.awaiting_signoff or any(item.awaiting_signoff for item in self.items)


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    code: str
    label: str


PFIZER_ATTRIBUTION = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)
FREQUENCY_OPTIONS = (
    Option(0, "Not at all"),
    Option(1, "Several days"),
    Option(2, "More than half the days"),
    Option(3, "Nearly every day"),
)
DIFFICULTY_TEXT = (
    "If you checked off any problems, how difficult have these problems made it for you to "
    "do your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_OPTIONS = (
    Option(0, "Not difficult at all"),
    Option(1, "Somewhat difficult"),
    Option(2, "Very difficult"),
    Option(3, "Extremely difficult"),
)
YES_NO_UPPER = (Option(1, "YES"), Option(0, "NO"))  # as printed on the PC-PTSD-5
YES_NO = (Option(1, "Yes"), Option(0, "No"))


def _frequency_items(texts: tuple[str, ...]) -> tuple[Item, ...]:
    return tuple(Item(f"q{n}", text, FREQUENCY_OPTIONS) for n, text in enumerate(texts, 1))


PHQ9 = Instrument(
    code="phq9",
    name="PHQ-9",
    version="PHQ-9 Pfizer form (ref §2) v1",
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=_frequency_items(
        (
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself — or that you are a failure or have let yourself or "
            "your family down",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "Moving or speaking so slowly that other people could have noticed? Or the "
            "opposite — being so fidgety or restless that you have been moving around a lot "
            "more than usual",
            "Thoughts that you would be better off dead or of hurting yourself in some way",
        )
    )
    + (Item("difficulty", DIFFICULTY_TEXT, DIFFICULTY_OPTIONS, scored=False, required=False),),
    attribution=PFIZER_ATTRIBUTION,
    time_frame="last 2 weeks",
)

GAD7 = Instrument(
    code="gad7",
    name="GAD-7",
    version="GAD-7 Pfizer form (ref §3) v1",
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    ),
    items=_frequency_items(
        (
            "Feeling nervous, anxious, or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid, as if something awful might happen",
        )
    )
    + (
        Item(
            "difficulty",
            DIFFICULTY_TEXT,
            DIFFICULTY_OPTIONS,
            scored=False,
            required=False,
            awaiting_signoff=True,
            signoff_note=(
                "The reference gives no GAD-7 difficulty wording (section 3 says to copy it "
                "from the official PDF; variants circulate). The PHQ-9's wording is used."
            ),
        ),
    ),
    attribution=PFIZER_ATTRIBUTION,
    time_frame="last 2 weeks",
)

PCPTSD5 = Instrument(
    code="pcptsd5",
    name="PC-PTSD-5",
    version="PC-PTSD-5 Prins 2016 (ref §4.1) v1",
    instructions=(
        "Sometimes things happen to people that are unusually or especially frightening, "
        "horrible, or traumatic. For example:"
    ),
    instruction_examples=(
        "a serious accident or fire",
        "a physical or sexual assault or abuse",
        "an earthquake or flood",
        "a war",
        "seeing someone be killed or seriously injured",
        "having a loved one die through homicide or suicide.",
    ),
    items=(
        Item("trauma", "Have you ever experienced this kind of event?", YES_NO_UPPER, scored=False),
        Item(
            "q1",
            "Had nightmares about the event(s) or thought about the event(s) when you did not "
            "want to?",
            YES_NO_UPPER,
            stem="In the past month, have you…",
        ),
        Item(
            "q2",
            "Tried hard not to think about the event(s) or went out of your way to avoid "
            "situations that reminded you of the event(s)?",
            YES_NO_UPPER,
        ),
        Item("q3", "Been constantly on guard, watchful, or easily startled?", YES_NO_UPPER),
        Item(
            "q4",
            "Felt numb or detached from people, activities, or your surroundings?",
            YES_NO_UPPER,
        ),
        Item(
            "q5",
            "Felt guilty or unable to stop blaming yourself or others for the event(s) or any "
            "problems the event(s) may have caused?",
            YES_NO_UPPER,
        ),
    ),
    attribution=(
        "Prins A, Bovin MJ, Kimerling R, Kaloupek DG, Marx BP, Pless Kaiser A, Schnurr PP. "
        "Primary Care PTSD Screen for DSM-5 (PC-PTSD-5) [Measurement instrument]. "
        "National Center for PTSD (ptsd.va.gov)."
    ),
    time_frame="past month (the trauma question: ever)",
)

PAIN_TIME_FRAME = "on average over the past week"
PAIN = Instrument(
    code="pain",
    name="Pain numeric rating scale (0–10)",
    version="Pain NRS 0-10 past week (ref §5.1) v1",
    instructions="",
    items=(
        Item(
            "pain",
            # Section 5.1 offers "on average over the past week (or: right now)"; the clinic
            # form uses the past week, and the time frame is recorded with every result.
            f"Please rate your pain {PAIN_TIME_FRAME} from 0 to 10, where 0 = no pain and "
            "10 = worst pain imaginable.",
            (Option(0, "0 = no pain"),)
            + tuple(Option(n, str(n)) for n in range(1, 10))
            + (Option(10, "10 = worst pain imaginable"),),
        ),
    ),
    attribution="",  # a generic NRS, not the (licensed) Brief Pain Inventory
    time_frame=PAIN_TIME_FRAME,
)

CSSRS_SKIP_RULE = "If YES to 2, ask questions 3, 4, 5 and 6. If NO to 2, go directly to question 6."
# The interviewer's instruction over questions 1 and 2 (reference 7.1). A self-completed web
# form shows the column headers instead (below), so this line is not shown to patients.
CSSRS_INTERVIEWER_INSTRUCTION = "Ask questions 1 and 2 about the past month:"
CSSRS_PAST_MONTH = "Past month"
CSSRS_LIFETIME = "Lifetime"
CSSRS_PAST_3_MONTHS = "Past 3 months"
# The layout follows Columbia's printed "Screen Version – Recent" (as reference 7.1 describes
# it): questions 1-5 sit under the column header "Past month"; question 6 under "Lifetime",
# and its follow-up under "Past 3 months". Each header is printed, word for word, as the
# legend over its questions; the questions and the question 6 examples are unchanged.
CSSRS = Instrument(
    code="cssrs",
    name="C-SSRS screener",
    version="C-SSRS Screen Recent (ref §7.1) draft-2",
    instructions="",
    items=(
        Item(
            "q1",
            "Have you wished you were dead or wished you could go to sleep and not wake up?",
            YES_NO,
            heading="Wish to be dead",
            column=CSSRS_PAST_MONTH,
        ),
        Item(
            "q2",
            "Have you actually had any thoughts of killing yourself?",
            YES_NO,
            heading="Suicidal thoughts",
            column=CSSRS_PAST_MONTH,
        ),
        Item(
            "q3",
            "Have you been thinking about how you might do this?",
            YES_NO,
            heading="Suicidal thoughts with method (without specific plan or intent to act)",
            column=CSSRS_PAST_MONTH,
        ),
        Item(
            "q4",
            "Have you had these thoughts and had some intention of acting on them?",
            YES_NO,
            heading="Suicidal intent (without specific plan)",
            column=CSSRS_PAST_MONTH,
        ),
        Item(
            "q5",
            "Have you started to work out or worked out the details of how to kill yourself? "
            "Do you intend to carry out this plan?",
            YES_NO,
            heading="Suicide intent with specific plan",
            column=CSSRS_PAST_MONTH,
        ),
        Item(
            "q6",
            "Have you ever done anything, started to do anything, or prepared to do anything "
            "to end your life?",
            YES_NO,
            heading="Suicide behavior",
            column=CSSRS_LIFETIME,
            detail=(
                "Examples: collected pills, obtained a gun, gave away valuables, wrote a will "
                "or suicide note, took out pills but didn't swallow any, held a gun but changed "
                "your mind or it was grabbed from your hand, went to the roof but didn't jump; "
                "or actually took pills, tried to shoot yourself, cut yourself, tried to hang "
                "yourself, etc."
            ),
        ),
        Item("q6_recent", "Was this within the past 3 months?", YES_NO, column=CSSRS_PAST_3_MONTHS),
    ),
    attribution="Copyright © 2008 The Research Foundation for Mental Hygiene, Inc.",
    time_frame="questions 1-5: past month; question 6: lifetime, then the past 3 months",
    awaiting_signoff=True,
    signoff_note=(
        "Awaiting the medical director's sign-off: the reference reproduces the interview "
        "screener as printed in SAFE-T and could not confirm the current official self-report "
        "wording (two variants exist). Replace it with the official cssrs.columbia.edu "
        "self-report version, unchanged, and bump the version. The page shows the Screen "
        "Version – Recent's column headers (Past month, Lifetime, Past 3 months) as legends; "
        "Columbia offers to review screenshots of a web form for accuracy."
    ),
)

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(
    {i.code: i for i in (PHQ9, GAD7, PCPTSD5, PAIN, CSSRS)}
)

# Kroenke 2001 (PHQ-9) and Spitzer 2006 (GAD-7), clinical-reference sections 2.2, 3 and 8.1.
PHQ9_BANDS = (
    Band(0, 4, "minimal", "Minimal"),
    Band(5, 9, "mild", "Mild"),
    Band(10, 14, "moderate", "Moderate"),
    Band(15, 19, "moderately_severe", "Moderately severe"),
    Band(20, 27, "severe", "Severe"),
)
GAD7_BANDS = (
    Band(0, 4, "minimal", "Minimal"),
    Band(5, 9, "mild", "Mild"),
    Band(10, 14, "moderate", "Moderate"),
    Band(15, 21, "severe", "Severe"),
)
PCPTSD5_DEFAULT_CUTOFF = 3  # most sensitive (Prins 2016); section 4.1 suggests it for the clinic

# --- Errors ------------------------------------------------------------------------------


class AnswerError(ValueError):
    """An answer set that must not be scored."""


class UnknownInstrument(AnswerError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"unknown instrument {code!r}")


class IncompleteAnswers(AnswerError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"unanswered: {', '.join(missing)}")


class InvalidAnswer(AnswerError):
    def __init__(self, code: str, value: object) -> None:
        self.code = code
        self.value = value
        super().__init__(f"{code}: {value!r} is not one of the item's options")


class UnexpectedAnswers(AnswerError):
    """Answers to unknown questions, or to questions the skip logic did not ask."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes
        super().__init__(f"not asked: {', '.join(codes)}")


# --- Skip logic --------------------------------------------------------------------------


def get_instrument(instrument_code: str) -> Instrument:
    try:
        return INSTRUMENTS[instrument_code]
    except KeyError:
        raise UnknownInstrument(instrument_code) from None


def _yes(answers: Mapping[str, int | None], code: str) -> bool:
    return answers.get(code) == 1


def asked_items(instrument_code: str, answers_so_far: Mapping[str, int | None]) -> list[str]:
    """The questions to show now, in order, given the answers so far (the skip logic).

    The list grows as gate answers arrive: C-SSRS questions 3-5 appear once question 2 is
    "yes" and the recency follow-up once question 6 is "yes"; the PC-PTSD-5 items once the
    trauma question is "yes". The PHQ-9 and GAD-7 difficulty questions are always shown
    (as on the paper form) but not required: see :func:`required_items`.
    """
    instrument = get_instrument(instrument_code)
    if instrument_code == "pcptsd5":
        return (
            ["trauma", "q1", "q2", "q3", "q4", "q5"]
            if _yes(answers_so_far, "trauma")
            else ["trauma"]
        )
    if instrument_code == "cssrs":
        codes = ["q1", "q2"]
        if _yes(answers_so_far, "q2"):
            codes += ["q3", "q4", "q5"]
        codes.append("q6")
        if _yes(answers_so_far, "q6"):
            codes.append("q6_recent")
        return codes
    return list(instrument.item_codes)


def required_items(instrument_code: str, answers_so_far: Mapping[str, int | None]) -> list[str]:
    """The questions that must be answered before the set can be scored, in order."""
    instrument = get_instrument(instrument_code)
    asked = asked_items(instrument_code, answers_so_far)
    return [code for code in asked if instrument.item(code).required]


def validate(instrument_code: str, answers: Mapping[str, int | None]) -> dict[str, int]:
    """The answered items, checked; raises an :class:`AnswerError` rather than guess."""
    instrument = get_instrument(instrument_code)
    given = {code: value for code, value in answers.items() if value is not None}
    unknown = [code for code in given if code not in instrument.item_codes]
    if unknown:
        raise UnexpectedAnswers(unknown)
    for code, value in given.items():
        item = instrument.item(code)
        valid = isinstance(value, int) and (item.is_yes_no or not isinstance(value, bool))
        if not valid or value not in item.values:
            raise InvalidAnswer(code, value)
    missing = [code for code in required_items(instrument_code, given) if code not in given]
    if missing:
        raise IncompleteAnswers(missing)
    asked = asked_items(instrument_code, given)
    # e.g. C-SSRS question 4 "yes" after question 2 "no": refuse, so a stale answer left by
    # the form is never silently dropped (or silently counted).
    not_asked = [code for code in given if code not in asked]
    if not_asked:
        raise UnexpectedAnswers(not_asked)
    return {code: int(value) for code, value in given.items()}


# --- Scoring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Phq9Result:
    total: int
    band: str
    band_label: str
    item9: int
    difficulty: int | None  # reported separately, never added to the total
    version: str = PHQ9.version


@dataclass(frozen=True)
class Gad7Result:
    total: int
    band: str
    band_label: str
    difficulty: int | None
    version: str = GAD7.version


@dataclass(frozen=True)
class PcPtsd5Result:
    trauma: bool
    count: int
    cutoff: int
    positive: bool  # a screen for clinician follow-up, not a diagnosis
    version: str = PCPTSD5.version


@dataclass(frozen=True)
class PainResult:
    value: int
    time_frame: str = PAIN_TIME_FRAME
    version: str = PAIN.version


class Tier(StrEnum):
    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


@dataclass(frozen=True)
class CssrsResult:
    tier: Tier
    highest_yes: int | None  # the highest-numbered question answered "yes" (1-6)
    behaviour: bool  # question 6
    recent_behaviour: bool | None  # within the past 3 months; None when question 6 is "no"
    reasons: tuple[str, ...]  # the answers that set the tier, e.g. ("q6", "q6_recent")
    version: str = CSSRS.version


def band_for(total: int, bands: tuple[Band, ...]) -> Band:
    for band in bands:
        if band.low <= total <= band.high:
            return band
    raise ValueError(f"total {total} is outside every band")


def _sum_items(answers: dict[str, int], instrument: Instrument) -> int:
    return sum(answers[item.code] for item in instrument.items if item.scored)


def score_phq9(answers: Mapping[str, int | None]) -> Phq9Result:
    checked = validate("phq9", answers)
    total = _sum_items(checked, PHQ9)
    band = band_for(total, PHQ9_BANDS)
    return Phq9Result(total, band.code, band.label, checked["q9"], checked.get("difficulty"))


def score_gad7(answers: Mapping[str, int | None]) -> Gad7Result:
    checked = validate("gad7", answers)
    total = _sum_items(checked, GAD7)
    band = band_for(total, GAD7_BANDS)
    return Gad7Result(total, band.code, band.label, checked.get("difficulty"))


def score_pcptsd5(
    answers: Mapping[str, int | None], cutoff: int = PCPTSD5_DEFAULT_CUTOFF
) -> PcPtsd5Result:
    if isinstance(cutoff, bool) or not isinstance(cutoff, int) or not 1 <= cutoff <= 5:
        raise ValueError(f"the PC-PTSD-5 cut-off must be 1-5, not {cutoff!r}")
    checked = validate("pcptsd5", answers)
    trauma = checked["trauma"] == 1
    count = sum(checked[f"q{n}"] for n in range(1, 6)) if trauma else 0
    return PcPtsd5Result(trauma, count, cutoff, count >= cutoff)


def score_pain(answers: Mapping[str, int | None]) -> PainResult:
    return PainResult(validate("pain", answers)["pain"])


def score_cssrs(answers: Mapping[str, int | None]) -> CssrsResult:
    """Triage by the highest "yes" and recency (Columbia, clinical-reference 7.1); no sum."""
    checked = validate("cssrs", answers)
    yes = {code for code, value in checked.items() if value == 1}
    behaviour = "q6" in yes
    recent = ("q6_recent" in yes) if behaviour else None
    rules = (
        (Tier.HIGH, ("q4",), "q4" in yes),
        (Tier.HIGH, ("q5",), "q5" in yes),
        (Tier.HIGH, ("q6", "q6_recent"), behaviour and recent),
        (Tier.MODERATE, ("q3",), "q3" in yes),
        (Tier.MODERATE, ("q6",), behaviour and not recent),
        (Tier.LOW, ("q1",), "q1" in yes),
        (Tier.LOW, ("q2",), "q2" in yes),
    )
    tier = next((tier for tier, _, hit in rules if hit), Tier.NONE)
    reasons = tuple(
        code for rule_tier, codes, hit in rules if hit and rule_tier == tier for code in codes
    )
    numbered = [int(code[1:]) for code in yes if code[1:].isdigit()]
    return CssrsResult(tier, max(numbered, default=None), behaviour, recent, reasons)


SCORERS = MappingProxyType(
    {
        "phq9": score_phq9,
        "gad7": score_gad7,
        "pcptsd5": score_pcptsd5,
        "pain": score_pain,
        "cssrs": score_cssrs,
    }
)


def score(
    instrument_code: str, answers: Mapping[str, int | None], **options: int
) -> Phq9Result | Gad7Result | PcPtsd5Result | PainResult | CssrsResult:
    """Score any instrument; ``options`` go to its scorer (only PC-PTSD-5 takes ``cutoff``)."""
    get_instrument(instrument_code)
    return SCORERS[instrument_code](answers, **options)
