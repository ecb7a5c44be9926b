"""Demo screenings at every urgency level, for the demo clinician (``make run``).

Invented people, answer sets that pass the same validation as the form's, submitted through
``screening_submit`` (so scores, flags, urgency and alerts are real), at staggered times so
the queue shows its order by urgency and then by waiting time.  Every one but the routine
one awaits the demo clinician's acknowledgement (levels 1-3 also alerted at once); the
routine one carries an information-only flag, to show that it needs none.  Created once:
skipped when any screening exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import services
from .models import Screening

NO_PRESCREEN_ANSWER = {
    "ketamine_allergy": False,
    "ketamine_bad_reaction": False,
    "high_blood_pressure": "no",
    "heart_disease": False,
    "aneurysm": False,
    "avm": False,
    "brain_bleed": False,
    "stroke": False,
    "head_injury": False,
    "intracranial_pressure": False,
    "eye_pressure": False,
    "psychosis": False,
    "bipolar": False,
    "mania_now": False,
    "substance_use_problem": False,
    "ketamine_pcp_nonmedical_use": False,
    "pregnant": "no",
    "breastfeeding": False,
    "pre_eclampsia": False,
    "liver_disease": False,
    "bladder_symptoms": False,
    "breathing_condition": False,
    "overactive_thyroid_untreated": False,
    "porphyria": False,
    "ride_home": True,
    "fasting_difficult": False,
    "medication_categories": [],
    "medication_names": "",
}


def _answers(*, phq9=1, q9=0, gad7=1, cssrs=None, prescreen=None, trauma=None) -> dict:
    return {
        "history": {
            "conditions": ["depression", "anxiety"],
            "duration": "1_to_2_years",
            "antidepressant_trials": "2",
            "prior_treatments": ["therapy"],
        },
        "phq9": {**{f"q{n}": phq9 for n in range(1, 9)}, "q9": q9, "difficulty": 2},
        "gad7": {**{f"q{n}": gad7 for n in range(1, 8)}, "difficulty": 1},
        "pcptsd5": trauma or {"trauma": 0},
        "cssrs": cssrs or {"q1": 0, "q2": 0, "q6": 0},
        "prescreen": {**NO_PRESCREEN_ANSWER, **(prescreen or {})},
    }


# (first name, last name, answers, minutes ago); urgency in the comment.
DEMO = [
    (  # 1: C-SSRS question 4 yes
        "Avery",
        "Demo-Lindqvist",
        _answers(phq9=2, q9=2, cssrs={"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 0, "q6": 0}),
        25,
    ),
    ("Blake", "Demo-Okafor", _answers(phq9=2, q9=2), 90),  # 2: PHQ-9 item 9 = 2
    (  # 3: C-SSRS question 2 yes (active thoughts, no method)
        "Casey",
        "Demo-Marchetti",
        _answers(phq9=2, q9=1, cssrs={"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0}),
        240,
    ),
    (  # 4: C-SSRS question 1 yes only
        "Devon",
        "Demo-Nakamura",
        _answers(cssrs={"q1": 1, "q2": 0, "q6": 0}),
        60 * 20,
    ),
    ("Emery", "Demo-Fitzgerald", _answers(prescreen={"heart_disease": True}), 60 * 26),  # 5
    (  # 6: a benzodiazepine
        "Finley",
        "Demo-Abara",
        _answers(prescreen={"medication_categories": ["benzodiazepine"]}),
        60 * 30,
    ),
    (  # 7: routine, with a positive PC-PTSD-5 and treated high blood pressure (information)
        "Gray",
        "Demo-Sørensen",
        _answers(
            trauma={"trauma": 1, "q1": 1, "q2": 1, "q3": 1, "q4": 0, "q5": 0},
            prescreen={"high_blood_pressure": "yes_controlled"},
        ),
        60 * 50,
    ),
]


@transaction.atomic
def seed_screenings(now: dt.datetime | None = None) -> int:
    """Returns how many screenings were made (0 when any screening exists)."""
    if Screening.objects.exists():
        return 0
    now = now or timezone.now()
    for number, (first, last, answers, minutes_ago) in enumerate(DEMO, start=1):
        draft = Screening.objects.create(
            identity={
                "first_name": first,
                "last_name": last,
                "date_of_birth": f"19{70 + number}-0{number}-1{number}",
                "email": f"{first.lower()}.demo@example.org",
                "phone": f"+1555010{number:04d}",
                "emergency_contact_name": "Jordan Demo",
                "emergency_contact_phone": "+15550100999",
            },
            answers=answers,
        )
        services.screening_submit(screening=draft, now=now - dt.timedelta(minutes=minutes_ago))
    # A form left after a risk answer (item 9 = 3), two hours ago: the periodic job alerts.
    left = Screening.objects.create(
        identity={"first_name": "Harper", "last_name": "Demo-Quinn", "email": "harper@example.org"},
        answers={"progress": ["about", "history", "phq9"], "phq9": _answers(q9=3)["phq9"]},
    )
    services.draft_risk_update(left)
    left.save(update_fields=["draft_urgency"])
    Screening.objects.filter(pk=left.pk).update(updated_at=now - dt.timedelta(hours=2))
    return len(DEMO) + 1
