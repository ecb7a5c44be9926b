"""Builders for the intake tests: shared data and helpers test modules import."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from intake import flags, services
from intake.models import Screening
from intake.seed import NO_PRESCREEN_ANSWER

# Every required question answered with nothing to flag.
NOTHING = dict(NO_PRESCREEN_ANSWER)  # every answer that raises no flag (the demo uses it too)


ABOUT = {
    "first_name": " Ada ",
    "last_name": "Lovelace",
    "date_of_birth": "1990-02-03",
    "email": "ada@example.com",
    "phone": "(212) 555-0199",
    "emergency_contact_name": "Charles Babbage",
    "emergency_contact_phone": "415.555.2671",
}


HISTORY = {
    "conditions": ["depression", "chronic_pain"],
    "duration": "2_to_5_years",
    "antidepressant_trials": "3+",
    "prior_treatments": ["therapy", "tms"],
}


def questionnaire_data(*, item9="0", trauma="0", pain=True, **extra):
    data = {f"phq9_q{n}": "1" for n in range(1, 9)}
    data["phq9_q9"] = item9
    data.update({f"gad7_q{n}": "2" for n in range(1, 8)})
    data["pcptsd5_trauma"] = trauma
    if pain:
        data["pain_pain"] = "6"
    data.update(extra)
    return data


def medical_data(**extra):
    data = {}
    for q in flags.PRESCREEN_QUESTIONS:
        if q.answer_type is flags.AnswerType.YES_NO:
            data[q.code] = "no"
        elif q.answer_type is flags.AnswerType.CHOICE:
            data[q.code] = q.choices[0][0]
    data.update(extra)
    return data


START = reverse("intake:start")


CSSRS_NO = {"shown": "q1,q2,q6", "q1": "0", "q2": "0", "q6": "0"}


def url(code):
    return reverse("intake:step", kwargs={"code": code})


def begin(client):
    response = client.post(START, {"adult": "yes"})
    assert response["Location"] == url("about")


def post(client, code, data):
    return client.post(url(code), data)


def through(client, *, questionnaires=None, cssrs=None, upto="review"):
    begin(client)
    plan = [
        ("about", ABOUT),
        ("history", HISTORY),
        ("questionnaires", questionnaires or questionnaire_data()),
        ("cssrs", cssrs or CSSRS_NO),
        ("medical", medical_data(ride_home="yes")),
        ("review", {"consent": "on", "signature": "Ada Lovelace"}),
    ]
    last = None
    for code, data in plan:
        if code == upto:
            break
        last = post(client, code, data)
        assert last.status_code == 302, (code, last.content.decode()[:2000])
    return last


CALM = {
    "phq9": {**{f"q{n}": 1 for n in range(1, 9)}, "q9": 0},
    "gad7": {f"q{n}": 1 for n in range(1, 8)},
    "pcptsd5": {"trauma": 0},
    "cssrs": {"q1": 0, "q2": 0, "q6": 0},
    "prescreen": NOTHING,
}


NEW_YORK = ZoneInfo("America/New_York")


LIST = reverse("admin:intake_screening_changelist")


IDENTITY = {
    "name": "Solveig Achterberg-Nakamura",
    "email": "solveig.an@example.org",
    "phone": "+12075550142",
    "date_of_birth": "1981-07-23",
}


# The answers that put a screening at each level of the one urgency order (flags.Urgency).
AT_LEVEL = {
    1: {"cssrs": {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 0, "q6": 0}},
    2: {"phq9": {**CALM["phq9"], "q9": 2}},
    3: {"cssrs": {"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0}},
    4: {"cssrs": {"q1": 1, "q2": 0, "q6": 0}},
    5: {"prescreen": {**NOTHING, "heart_disease": True}},
    6: {"prescreen": {**NOTHING, "psychosis": True}},
    7: {},
}


def submitted(level: int = 7, *, now: dt.datetime | None = None, **changes) -> Screening:
    """A screening sent with the answers of ``level`` (or ``changes`` on top of CALM)."""
    draft = Screening.objects.create(
        identity=IDENTITY, answers={**CALM, **AT_LEVEL[level], **changes}
    )
    screening = services.screening_submit(screening=draft, now=now)
    assert changes or screening.urgency == level
    return screening


def left_draft(draft_urgency: int | None, *, last_touched: dt.datetime, **fields) -> Screening:
    """A form not sent, last saved at ``last_touched`` (updated_at is auto_now: set it after)."""
    draft = Screening.objects.create(identity=IDENTITY, answers={"phq9": {"q9": 2}})
    Screening.objects.filter(pk=draft.pk).update(
        draft_urgency=draft_urgency, updated_at=last_touched, **fields
    )
    draft.refresh_from_db()
    return draft


NOW = dt.datetime(2027, 6, 1, 12, tzinfo=NEW_YORK)


OLD = NOW - dt.timedelta(days=200)  # past the 180 days


def screening(status: str, *, changed: dt.datetime, **fields) -> Screening:
    """A screening in ``status`` that last changed at ``changed``."""
    if status != "draft":
        fields.setdefault("urgency", 7)
        fields.setdefault("submitted_at", changed)
    made = Screening.objects.create(identity=IDENTITY, answers=CALM, status=status, **fields)
    Screening.objects.filter(pk=made.pk).update(updated_at=changed)
    return made


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A New York time in December 2026 (1st: Tuesday, 4th: Friday, 7th: Monday)."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=NEW_YORK)


STATE = {}


def migrate(target):
    """Migrate to ``target``; rows are then made and read through that state's models."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    STATE["apps"] = executor.loader.project_state(target).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes("intake")[0]


def model():
    return STATE["apps"].get_model("intake", "Screening")


CLINICAL_REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "clinical-reference.md"


def reference_text() -> str:
    if not CLINICAL_REFERENCE.exists():
        pytest.skip(f"{CLINICAL_REFERENCE} is not beside this checkout")
    # Markdown emphasis is markup, not wording.
    return re.sub(r"\*+", "", CLINICAL_REFERENCE.read_text(encoding="utf-8"))
