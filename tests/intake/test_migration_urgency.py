"""Migration 0009: the urgency numbers changed meaning, so every screening's ``urgency`` and
``draft_urgency`` are recomputed from its (encrypted) answers, with the scale recorded; and
back again with the old order.  On a copy holding every kind of answer."""

import pytest
from django.utils import timezone

from intake import flags, services
from tests.builders.intake import CALM, NOTHING, latest, migrate, model

pytestmark = pytest.mark.django_db

BEFORE = ("intake", "0009_urgency_scale")
AFTER = ("intake", "0010_recompute_urgency")


def cssrs(**yes):
    given = {"q1": 0, "q2": 0, "q6": 0, **yes}
    if given["q2"] == 1:
        given = {"q3": 0, "q4": 0, "q5": 0, **given}
    return given


def phq9(q9):
    return {**CALM["phq9"], "q9": q9}


# name: (status, answers, flag codes, (old urgency, old draft), (new urgency, new draft))
ROWS = {
    "q4 yes": ("submitted", {"cssrs": cssrs(q1=1, q2=1, q4=1)}, [], (1, 1), (1, 1)),
    "q5 yes": ("in_review", {"cssrs": cssrs(q2=1, q5=1)}, [], (1, None), (1, None)),
    "behaviour recent": ("submitted", {"cssrs": cssrs(q6=1, q6_recent=1)}, [], (1, 1), (1, 1)),
    "item 9 = 3": ("submitted", {"phq9": phq9(3)}, [], (2, 2), (2, 2)),
    "item 9 = 2": ("reviewed", {"phq9": phq9(2)}, [], (2, None), (2, None)),
    "q3 yes": ("submitted", {"cssrs": cssrs(q2=1, q3=1)}, [], (3, 3), (2, 2)),
    "behaviour past": ("submitted", {"cssrs": cssrs(q6=1, q6_recent=0)}, [], (3, 3), (2, 2)),
    "item 9 = 1": ("submitted", {"phq9": phq9(1)}, [], (3, 3), (4, 4)),
    "q2 only": ("submitted", {"cssrs": cssrs(q2=1)}, [], (4, 4), (3, 3)),
    "q2 only, reviewed": ("reviewed", {"cssrs": cssrs(q1=1, q2=1)}, [], (4, None), (3, None)),
    "q1 only": ("submitted", {"cssrs": cssrs(q1=1)}, [], (4, 4), (4, 4)),
    "crisis wording": (
        "submitted",
        {"history": {"goals": "I want to end my life"}},
        ["crisis_wording"],
        (7, 3),
        (3, 3),
    ),
    "contraindication": ("submitted", {}, ["stroke", "psychosis"], (5, None), (5, None)),
    "caution": ("reviewed", {}, ["medication_benzodiazepine"], (6, None), (6, None)),
    "information only": ("submitted", {}, ["hypertension_treated"], (7, None), (7, None)),
    "routine": ("submitted", {}, [], (7, None), (7, None)),
    "changed before sending": ("submitted", {}, [], (7, 2), (7, 2)),
    "q1 and a contraindication": ("submitted", {"cssrs": cssrs(q1=1)}, ["stroke"], (4, 4), (4, 4)),
    # Drafts: only the risk so far.
    "draft, recency unanswered": (
        "draft",
        {"cssrs": {"q1": 0, "q2": 0, "q6": 1}},
        [],
        (None, 3),
        (None, 1),
    ),
    "draft, item 9 = 1": ("draft", {"phq9": {"q9": 1}}, [], (None, 3), (None, 4)),
    "draft, q2 yes": ("draft", {"cssrs": {"q1": 0, "q2": 1}}, [], (None, 4), (None, 3)),
    "draft, q3 yes": ("draft", {"cssrs": {"q1": 1, "q2": 1, "q3": 1}}, [], (None, 3), (None, 2)),
    "draft, crisis wording": (
        "draft",
        {"prescreen": {"medication_names": "I want to kill myself"}},
        [],
        (None, 3),
        (None, 3),
    ),
    "draft, answer changed since": ("draft", {"phq9": {"q9": 0}}, [], (None, 2), (None, 2)),
    "draft, calm": ("draft", {"phq9": {"q9": 0}}, [], (None, None), (None, None)),
}


def full(answers):
    """A sent screening holds every part; a draft only what was given."""
    return {**CALM, **answers}


def numbers():
    return {
        name: (row.urgency, row.draft_urgency)
        for name, row in ((name, model().objects.get(pk=pk)) for name, pk in MADE.items())
    }


MADE: dict[str, int] = {}


@pytest.fixture
def copy():
    migrate(BEFORE)
    MADE.clear()
    for name, (status, answers, codes, (urgency, draft), _) in ROWS.items():
        MADE[name] = (
            model()
            .objects.create(
                status=status,
                answers=answers if status == "draft" else full(answers),
                identity={"name": "Linnea Okonkwo-Bauer"},
                flag_codes=codes,
                urgency=urgency,
                draft_urgency=draft,
                submitted_at=None if status == "draft" else timezone.now(),
            )
            .pk
        )
    yield
    migrate(latest())


def test_every_kind_of_answer_is_recomputed_in_the_new_order_and_back(copy):
    old = numbers()
    assert old == {name: row[3] for name, row in ROWS.items()}

    migrate(AFTER)
    assert numbers() == {name: row[4] for name, row in ROWS.items()}
    rows = {name: model().objects.get(pk=pk) for name, pk in MADE.items()}
    assert {row.urgency_scale for row in rows.values()} == {flags.URGENCY_SCALE}
    assert rows["q2 only"].urgency_reasons == ["cssrs_q2"]
    assert rows["draft, recency unanswered"].urgency_reasons == ["cssrs_behaviour_recency_unknown"]
    assert rows["crisis wording"].urgency_reasons == ["crisis_wording"]
    assert rows["q1 and a contraindication"].urgency_reasons == [
        "cssrs_q1",
        "label_contraindication",
    ]

    migrate(BEFORE)
    assert numbers() == old
    assert {model().objects.get(pk=pk).urgency_scale for pk in MADE.values()} == {"urgency-1"}


def test_the_migration_agrees_with_the_services_for_every_sent_row(copy):
    """The frozen copy of the order in the migration is the order the site computes."""
    migrate(AFTER)
    for name, (status, answers, codes, _, (urgency, _draft)) in ROWS.items():
        if status == "draft":
            assert services.draft_urgency(answers) == _draft or name.endswith("changed since")
        elif answers:
            computed = services.results(full({**answers, "prescreen": NOTHING}))
            if not codes or codes == ["crisis_wording"]:
                assert computed["urgency"] == urgency, name
