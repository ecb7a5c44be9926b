"""The screening form's steps, in order: code (the address), title, and form."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from .clinical_forms import CssrsForm, MedicalForm, QuestionnairesForm
from .forms import AboutForm, HistoryForm, ReviewForm


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    form_class: type[forms.Form]


STEPS: tuple[Step, ...] = (
    Step("about", "About you", AboutForm),
    Step("history", "What brings you to us", HistoryForm),
    Step("questionnaires", "How you have been feeling", QuestionnairesForm),
    Step("cssrs", "Difficult thoughts", CssrsForm),
    Step("medical", "Your health and medicines", MedicalForm),
    Step("review", "Check and send", ReviewForm),
)
_BY_CODE = {step.code: step for step in STEPS}


def get_step(code: str) -> Step:
    return _BY_CODE[code]


def next_step(code: str) -> Step | None:
    index = STEPS.index(get_step(code))
    return STEPS[index + 1] if index + 1 < len(STEPS) else None
