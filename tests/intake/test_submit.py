"""Submitting a screening: scored, flagged, ordered by urgency, and the answers still
encrypted; incomplete sets refused."""

import pytest

from audit.models import AuditEntry
from intake import instruments, services
from intake.models import Screening
from tests.builders.intake import CALM, NOTHING

pytestmark = pytest.mark.django_db


def draft(answers) -> Screening:
    return Screening.objects.create(
        identity={"name": "Rowan Ashby-Ferreira", "email": "Rowan.AF@example.org"},
        answers=answers,
    )


def test_a_calm_screening_is_routine():
    screening = services.screening_submit(screening=draft(CALM))
    assert screening.status == Screening.Status.SUBMITTED
    assert (screening.phq9_total, screening.gad7_total, screening.pcptsd5_count) == (8, 7, 0)
    assert screening.urgency == 7
    assert not screening.shows_crisis
    assert screening.email_lookup == services.lookup_hash("rowan.af@example.org")
    assert screening.instrument_versions == {
        code: instruments.INSTRUMENTS[code].version for code in ("phq9", "gad7", "pcptsd5", "cssrs")
    } | {"prescreen": services.flags.PRESCREEN_VERSION}
    entry = AuditEntry.objects.get(action="screening_submitted")
    assert entry.detail == {"urgency": 7, "risk": False}


@pytest.mark.parametrize(
    ("changes", "urgency", "crisis"),
    [
        ({"cssrs": {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 0, "q6": 0}}, 1, True),
        ({"phq9": {**CALM["phq9"], "q9": 2}}, 2, True),
        ({"cssrs": {"q1": 0, "q2": 0, "q6": 1, "q6_recent": 0}}, 2, True),
        ({"cssrs": {"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0}}, 3, True),
        ({"history": {"goals": "some days I want to end my life"}}, 3, True),
        ({"phq9": {**CALM["phq9"], "q9": 1}}, 4, True),
        ({"cssrs": {"q1": 1, "q2": 0, "q6": 0}}, 4, True),
        ({"prescreen": {**NOTHING, "heart_disease": True}}, 5, False),
        ({"prescreen": {**NOTHING, "psychosis": True}}, 6, False),
    ],
)
def test_urgency_and_crisis_come_from_the_answers(changes, urgency, crisis):
    screening = services.screening_submit(screening=draft({**CALM, **changes}))
    assert (screening.urgency, screening.shows_crisis) == (urgency, crisis)
    assert screening.urgency_scale == services.flags.URGENCY_SCALE
    assert screening.urgency_reasons and all(
        code in services.flags.REASONS for code in screening.urgency_reasons
    )


def test_the_queue_orders_by_urgency():
    levels = []
    for changes in (
        {},
        {"phq9": {**CALM["phq9"], "q9": 2}},
        {"prescreen": {**NOTHING, "stroke": True}},
    ):
        levels.append(services.screening_submit(screening=draft({**CALM, **changes})).urgency)
    assert [s.urgency for s in Screening.objects.all()] == sorted(levels)


@pytest.mark.parametrize("part", services.REQUIRED_PARTS)
def test_incomplete_sets_are_refused_and_stay_drafts(part):
    answers = {key: value for key, value in CALM.items() if key != part}
    screening = draft(answers)
    with pytest.raises(instruments.AnswerError):
        services.screening_submit(screening=screening)
    screening.refresh_from_db()
    assert screening.status == Screening.Status.DRAFT


def test_a_missing_item_is_refused():
    phq9 = {**CALM["phq9"]}
    del phq9["q3"]
    with pytest.raises(instruments.IncompleteAnswers):
        services.screening_submit(screening=draft({**CALM, "phq9": phq9}))


def test_a_screening_is_submitted_once():
    screening = services.screening_submit(screening=draft(CALM))
    with pytest.raises(services.ScreeningError):
        services.screening_submit(screening=screening)
