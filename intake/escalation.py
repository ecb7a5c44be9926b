"""The periodic checks that nothing urgent waits unseen, and what the patient is told about
when a clinician will look.

* Escalation (``escalate``): a screening of effective urgency 1-4 (crisis wording is 3; the
  effective urgency: ``models.effective_urgency``) not acknowledged after
  ``INTAKE_ESCALATION_MINUTES`` of clinic opening hours alerts the escalation list, once per
  threshold.  An alert says only "a screening needs review" and links to the admin.
* A form left unfinished after a risk answer (``alert_abandoned_drafts``) alerts the same
  list once, after ``INTAKE_ABANDONED_RISK_MINUTES`` (the medical director may turn this
  off); it then needs an acknowledgement like a sent one.
* ``review_time``: when the first escalation threshold falls for answers sent now (the
  crisis panel says it).

``run_periodic`` runs ``escalate`` and ``alert_abandoned_drafts``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clinic import facts as clinic

from . import services, tasks
from .models import Screening, ScreeningQuerySet, StaffAlert, effective_urgency

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
        Screening.objects.filter(status__in=ScreeningQuerySet.OPEN_STATUSES)
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
                    queued += tasks.queue(screening, kind) is not None
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
                alert = tasks.queue(screening, StaffAlert.Kind.ABANDONED_RISK_DRAFT)
                queued += alert is not None
                budget = None if budget is None else budget - (alert is not None)
            else:
                tasks.hold(screening, StaffAlert.Kind.ABANDONED_RISK_DRAFT)
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
        return tasks.queue(newest.screening, StaffAlert.Kind.LEFT_FORMS_SUMMARY) is not None
