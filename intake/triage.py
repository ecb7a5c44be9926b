"""The clinician's triage: the queue's order, the one-screen summary of a screening, and the
periodic checks that nothing urgent waits unseen.

* Queue: submitted screenings (and forms left after a risk answer) by the one urgency order
  (``flags.Urgency``), then by how long they have waited, oldest first.
* Effective urgency: a screening's own, except that a risk answer changed before sending
  counts until a clinician has acknowledged it (``services.effective_urgency``).
* Escalation: a screening of effective urgency 1-4 (crisis wording is 3) not acknowledged
  after ``INTAKE_ESCALATION_MINUTES`` of clinic opening hours alerts the escalation list, once
  per threshold.  An alert says only "a screening needs review" and links to the admin.
* A form left unfinished after a risk answer alerts the same list once, after
  ``INTAKE_ABANDONED_RISK_MINUTES`` (the medical director may turn this off); it then needs
  an acknowledgement like a sent one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, QuerySet, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from clinic import facts as clinic

from . import flags, instruments, services, summary
from . import tasks as alerts  # queue() and hold() are in tasks.py
from .models import Screening, StaffAlert

OPEN_STATUSES = (Screening.Status.SUBMITTED, Screening.Status.IN_REVIEW)


def effective_urgency() -> Case:
    """``services.effective_urgency`` in SQL: the urgency the queue sorts on and escalation
    reads.  Its own (a left form: its risk so far) or, while an acknowledgement is awaited,
    the stronger of that and the risk answer given before sending."""
    own = Coalesce("urgency", "draft_urgency")
    return Case(
        When(
            needs_acknowledgement=True,
            acknowledged_at=None,
            then=Least(own, Coalesce("draft_urgency", "urgency")),
        ),
        default=own,
    )


def queue(queryset: QuerySet[Screening] | None = None) -> QuerySet[Screening]:
    """Screenings in triage order: effective urgency, then age."""
    queryset = Screening.objects.all() if queryset is None else queryset
    return queryset.annotate(
        queue_urgency=effective_urgency(),
        waiting_since_at=Coalesce("submitted_at", "updated_at"),
    ).order_by("queue_urgency", "waiting_since_at", "pk")


def in_triage() -> Q:
    """What the queue shows by default: sent and not reviewed, or anything awaiting an
    acknowledgement (a left form after a risk answer included)."""
    return Q(status__in=OPEN_STATUSES) | Q(needs_acknowledgement=True, acknowledged_at=None)


def urgency_label(level: int | None) -> str:
    """The level in the one label table (``flags.URGENCY_LABELS``), for those who may open a
    screening's contents."""
    return flags.Urgency(level).label if level is not None else "not scored yet"


def urgency_band(level: int | None) -> str:
    """The neutral band the front desk sees instead ("Priority", "Urgent", "Soon",
    "Routine"): nothing clinical."""
    return flags.Urgency(level).band if level is not None else "Not scored yet"


def urgency_reasons(screening: Screening) -> list[tuple[str, str]]:
    """What set the urgency: (code, plain words), for those who may open the contents."""
    return [(code, flags.reason_text(code)) for code in screening.urgency_reasons or ()]


# --- When a clinician will review (the crisis panel says it) ----------------------------------


@dataclass(frozen=True)
class ReviewTime:
    """What the patient is told about when a clinician will look at their answers: the
    moment the first escalation threshold (``INTAKE_ESCALATION_MINUTES[0]``, counted in
    opening hours as escalation counts them) is reached for answers sent now."""

    closed: bool  # the clinic is closed right now
    when: str  # "today, within about an hour" or "by 10 am on Monday, December 7"
    opens: dt.datetime | None  # when closed: the next opening (clinic time)

    @property
    def opens_text(self) -> str:
        """ "Monday, December 7 at 9 am": the next opening, as the clinic writes times."""
        if self.opens is None:
            return ""
        return f"{self.opens:%A, %B} {self.opens.day} at {clinic.clock(self.opens.time())}"


def _about(minutes: int) -> str:
    if minutes == 60:
        return "an hour"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def _after_open_minutes(
    facts: clinic.ClinicFacts, start: dt.datetime, minutes: int
) -> dt.datetime | None:
    """The moment ``minutes`` of opening hours have passed since ``start`` (None: no
    opening hours within the search horizon)."""
    left = dt.timedelta(minutes=minutes)
    local = start.astimezone(facts.tz)
    for offset in range(clinic.SEARCH_DAYS):
        day = local.date() + dt.timedelta(days=offset)
        for window in facts.windows_on(day):
            opens = max(dt.datetime.combine(day, window.opens, tzinfo=facts.tz), local)
            closes = dt.datetime.combine(day, window.closes, tzinfo=facts.tz)
            if closes <= opens:
                continue
            if closes - opens >= left:
                return opens + left
            left -= closes - opens
    return None


def review_time(now: dt.datetime | None = None) -> ReviewTime:
    """While open: "today, within about an hour"; while closed (or too late today): "by
    <opening time + the first escalation threshold> on <day>"."""
    now = now or timezone.now()
    facts = clinic.facts()
    minutes = int(list(settings.INTAKE_ESCALATION_MINUTES)[0])
    is_open = facts.is_open(now)
    opens = None if is_open else facts.next_open(now)
    if not facts.windows:  # no opening hours entered: escalation counts the clock
        return ReviewTime(False, f"today, within about {_about(minutes)}", None)
    by = _after_open_minutes(facts, now, minutes)
    if by is None:
        return ReviewTime(True, "as soon as the clinic opens again", None)
    by = by.astimezone(facts.tz)
    if is_open and by.date() == now.astimezone(facts.tz).date():
        return ReviewTime(False, f"today, within about {_about(minutes)}", None)
    time = clinic.clock(by.time())
    return ReviewTime(not is_open, f"by {time} on {by:%A, %B} {by.day}", opens)


# --- Escalation ------------------------------------------------------------------------------


def _clinic_minutes(facts: clinic.ClinicFacts, start: dt.datetime, end: dt.datetime) -> float:
    if not facts.windows:  # no opening hours entered: count the clock, never nothing
        return max((end - start).total_seconds(), 0) / 60
    return facts.open_seconds_between(start, end) / 60


def escalate(now: dt.datetime | None = None) -> int:
    """Queue the escalation alerts that are due; returns how many were queued."""
    now = now or timezone.now()
    thresholds = list(settings.INTAKE_ESCALATION_MINUTES)[: len(StaffAlert.ESCALATIONS)]
    waiting = (
        Screening.objects.filter(status__in=OPEN_STATUSES)
        .filter(needs_acknowledgement=True, acknowledged_at=None)
        .alias(effective_urgency=effective_urgency())
        .filter(
            Q(effective_urgency__lte=services.URGENT_UP_TO)
            | Q(flag_codes__contains=[services.CRISIS_WORDING_FLAG])
        )
        .only("pk", "submitted_at")
        .prefetch_related("alerts")
    )
    facts = clinic.facts()
    queued = 0
    for screening in waiting:
        minutes = _clinic_minutes(facts, screening.submitted_at, now)
        sent = {alert.kind for alert in screening.alerts.all()}
        for kind, threshold in zip(StaffAlert.ESCALATIONS, thresholds, strict=False):
            if minutes >= threshold and kind not in sent:
                with transaction.atomic():
                    queued += alerts.queue(screening, kind) is not None
    return queued


def alert_abandoned_drafts(now: dt.datetime | None = None) -> int:
    """A form left after a risk answer: flag it for acknowledgement and alert, once.

    Only a form left within ``INTAKE_RESUME_HOURS`` (while its resume link still works):
    turned back on after months off, the alert would otherwise fire for every old draft
    at once, news of nothing a clinician could still act on in time.

    At most ``INTAKE_LEFT_FORM_ALERTS_PER_HOUR`` are sent one by one in any hour, the most
    urgent first, so that a script leaving forms by the hundred cannot bury a real one in
    email.  Any more are still flagged and wait in the queue like the others; their
    alerts are held, and one summary alert ("N more forms were left") tells the same list,
    at most once an hour.
    """
    if not settings.INTAKE_ABANDONED_RISK_ALERT:
        return 0
    now = now or timezone.now()
    left_before = now - dt.timedelta(minutes=settings.INTAKE_ABANDONED_RISK_MINUTES)
    too_old = now - dt.timedelta(hours=settings.INTAKE_RESUME_HOURS)
    left = (
        Screening.objects.filter(
            status=Screening.Status.DRAFT,
            draft_urgency__lte=services.URGENT_UP_TO,
            updated_at__lte=left_before,
            updated_at__gt=too_old,
        )
        .exclude(alerts__kind=StaffAlert.Kind.ABANDONED_RISK_DRAFT)
        .order_by("draft_urgency", "updated_at", "pk")
        .only("pk")
    )
    per_hour = settings.INTAKE_LEFT_FORM_ALERTS_PER_HOUR
    budget = (
        per_hour
        - StaffAlert.objects.filter(
            kind=StaffAlert.Kind.ABANDONED_RISK_DRAFT, created_at__gt=now - HOUR
        )
        .exclude(status=StaffAlert.Status.SUMMARISED)
        .count()
        if per_hour > 0
        else None  # no limit
    )
    queued = 0
    for screening in left:
        with transaction.atomic():
            # update() leaves updated_at alone: the draft's "last touched" stays true.
            Screening.objects.filter(pk=screening.pk).update(needs_acknowledgement=True)
            if budget is None or budget > 0:
                alert = alerts.queue(screening, StaffAlert.Kind.ABANDONED_RISK_DRAFT)
                queued += alert is not None
                budget = None if budget is None else budget - (alert is not None)
            else:
                alerts.hold(screening, StaffAlert.Kind.ABANDONED_RISK_DRAFT)
    return queued + _left_forms_summary(now)


HOUR = dt.timedelta(hours=1)


def _left_forms_summary(now: dt.datetime) -> int:
    """Queue one summary alert for the left-form alerts held since the previous summary,
    unless a summary was queued in the past hour (those held wait for the next one)."""
    summaries = StaffAlert.objects.filter(kind=StaffAlert.Kind.LEFT_FORMS_SUMMARY)
    previous = summaries.order_by("-created_at").values_list("created_at", flat=True).first()
    if previous is not None and previous > now - HOUR:
        return 0
    held = StaffAlert.objects.filter(
        kind=StaffAlert.Kind.ABANDONED_RISK_DRAFT, status=StaffAlert.Status.SUMMARISED
    )
    if previous is not None:
        held = held.filter(created_at__gt=previous)
    newest = held.order_by("-created_at", "-pk").select_related("screening").first()
    if newest is None:
        return 0
    with transaction.atomic():  # filed under the newest held form (an alert needs one)
        return alerts.queue(newest.screening, StaffAlert.Kind.LEFT_FORMS_SUMMARY) is not None


# --- The clinician's summary -----------------------------------------------------------------


@dataclass
class Score:
    name: str
    value: str
    band: str = ""
    attention: bool = False


@dataclass
class Summary:
    identity: dict[str, str]
    scores: list[Score]
    item9: str
    cssrs: list[tuple[str, str]]
    flags: list[dict[str, Any]]
    medications: list[str]
    medication_names: str
    history: list[tuple[str, str]]
    answers: list[summary.Section] = field(default_factory=list)


def _option_label(code: str, item_code: str, value) -> str:
    item = instruments.INSTRUMENTS[code].item(item_code)
    return next((o.label for o in item.options if o.value == value), str(value))


def _out_of(value: int | None, maximum: int) -> str:
    return "not scored" if value is None else f"{value} / {maximum}"


def _scores(screening: Screening) -> list[Score]:
    if screening.status == Screening.Status.DRAFT:
        return []
    cutoff = flags.resolve_thresholds()["pc_ptsd5_cutoff"]
    ptsd = screening.pcptsd5_count or 0
    trauma = ((screening.answers or {}).get("pcptsd5") or {}).get("trauma") == 1
    positive = trauma and ptsd >= cutoff
    return [
        Score(
            "PHQ-9 (depression)",
            _out_of(screening.phq9_total, 27),
            _band_label(instruments.PHQ9_BANDS, screening.phq9_band),
        ),
        Score(
            "GAD-7 (anxiety)",
            _out_of(screening.gad7_total, 21),
            _band_label(instruments.GAD7_BANDS, screening.gad7_band),
        ),
        Score(
            "PC-PTSD-5 (trauma)",
            _out_of(ptsd, 5) if trauma else "no trauma reported",
            (f"at or above the cut-off of {cutoff}" if positive else "below the cut-off")
            if trauma
            else "",
            attention=positive,
        ),
        Score(
            "Pain, average past week",
            _out_of(screening.pain, 10) if screening.pain is not None else "not asked",
        ),
        Score(
            "C-SSRS screen",
            screening.get_cssrs_tier_display() or "not answered",
            attention=screening.cssrs_tier in ("moderate", "high"),
        ),
    ]


def _band_label(bands, code: str) -> str:
    return next((band.label for band in bands if band.code == code), code)


def _item9(answers: dict) -> str:
    value = (answers.get("phq9") or {}).get("q9")
    if value is None:
        return "not answered yet"
    return f"{_option_label('phq9', 'q9', value)} ({value})"


def _cssrs(answers: dict) -> list[tuple[str, str]]:
    given = answers.get("cssrs") or {}
    instrument = instruments.INSTRUMENTS["cssrs"]
    rows = []
    for item in instrument.items:
        if item.code in given and given[item.code] is not None:
            rows.append((item.text, _option_label("cssrs", item.code, given[item.code])))
        else:
            rows.append((item.text, "not asked" if given else "not answered yet"))
    return rows


# What each flag code is, for a code stored at submission that today's answers no longer
# raise (answers from an older version of the questions, a changed threshold).
_FLAG_TABLE: dict[str, tuple[str, str, str]] = {
    **{rule.code: (rule.severity, rule.question, rule.reason) for rule in flags.CONDITION_RULES},
    **{
        category.flag_code: (category.severity, "medication_categories", category.reason)
        for category in flags.MEDICATION_CATEGORIES
    },
}


def _stored_flag(code: str, questions: dict[str, str]) -> dict[str, Any]:
    severity, question, reason = _FLAG_TABLE.get(code, ("flag", "", ""))
    if not reason or "{" in reason:  # a reason that quotes the answer: not known here
        reason = "Raised when the form was sent."
    return {
        "code": code,
        "severity": str(severity),
        "reason": reason,
        "question": f"{questions.get(question, 'The answers')} (see every answer below)",
        "answer": "",
    }


def _flags(screening: Screening) -> list[dict[str, Any]]:
    """The flags with the answers behind them.  Never fewer than the codes stored when the
    form was sent: a flag shown as "No flags" would be read as "nothing to see"."""
    answers = screening.answers or {}
    prescreen = answers.get("prescreen")
    questions = {q.code: q.text for q in flags.PRESCREEN_QUESTIONS}
    raised: list[flags.Flag] = []
    if prescreen:
        try:
            raised = flags.evaluate(prescreen)
        except (ValueError, TypeError):  # unfinished, or an older version of the questions
            raised = []
    rows = [
        {
            "code": flag.code,
            "severity": str(flag.severity),
            "reason": flag.reason,
            "question": questions.get(flag.question, flag.question),
            "answer": _answer_text(flag.answer),
        }
        for flag in raised
    ]
    shown = {flag.code for flag in raised} | {services.CRISIS_WORDING_FLAG}
    rows += [
        _stored_flag(code, questions) for code in screening.flag_codes or () if code not in shown
    ]
    # Flag codes are stored on submission; a draft's crisis wording is looked for here.
    crisis = services.CRISIS_WORDING_FLAG in (screening.flag_codes or ()) or (
        screening.status == Screening.Status.DRAFT and services.has_crisis_wording(answers)
    )
    if crisis:
        rows.insert(
            0,
            {
                "code": services.CRISIS_WORDING_FLAG,
                "severity": "risk",
                "reason": "Crisis wording was typed in a free-text answer.",
                "question": "Free-text answers (see every answer below)",
                "answer": "",
            },
        )
    return rows


def _answer_text(value) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return str(value)


def clinician_summary(screening: Screening) -> Summary:
    """Everything a clinician triages on, on one screen (decrypts: audit the caller)."""
    identity = dict(screening.identity or {})
    answers = dict(screening.answers or {})
    prescreen = answers.get("prescreen") or {}
    categories = dict(
        next(q.choices for q in flags.PRESCREEN_QUESTIONS if q.code == "medication_categories")
    )
    sections = summary.summary({"identity": {}, "answers": answers})
    name = " ".join(
        part for part in (identity.get("first_name"), identity.get("last_name")) if part
    )
    return Summary(
        identity={
            "Name": name or identity.get("name", ""),
            "Date of birth": identity.get("date_of_birth", ""),
            "Phone": identity.get("phone", ""),
            "Email": identity.get("email", ""),
            "Emergency contact": " · ".join(
                part
                for part in (
                    identity.get("emergency_contact_name"),
                    identity.get("emergency_contact_phone"),
                )
                if part
            ),
        },
        scores=_scores(screening),
        item9=_item9(answers),
        cssrs=_cssrs(answers),
        flags=_flags(screening),
        medications=[categories.get(c, c) for c in prescreen.get("medication_categories") or ()],
        medication_names=prescreen.get("medication_names") or "",
        history=dict(sections).get("What brings you", []),
        answers=[
            section for section in sections if section[0] not in ("About you", "What brings you")
        ],
    )
