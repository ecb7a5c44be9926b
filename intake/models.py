"""Screenings: a patient's answers, encrypted at rest, with the computed results beside
them for sorting.

Encrypted: everything that identifies the patient (name, date of birth, contact details,
emergency contact) and every answer, and any staff free text about the screening.  In the
clear: statuses, scores, bands, tier, flag codes and urgency — not identifying on their
own — and a keyed hash of the email for lookup.  A screening linked to a booking refers to
it by a nullable foreign key (the booking's contact details stay in the booking tables; a
booking deleted leaves the screening unlinked).

Nothing here diagnoses: the site collects, scores and flags; a clinician decides.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, When
from django.db.models.functions import Coalesce, Least

from mindscape.delivery import OutboundMessage

from .crypto import EncryptedJSONField, EncryptedTextField


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


class ScreeningQuerySet(models.QuerySet):
    OPEN_STATUSES = ("submitted", "in_review")  # sent, and not reviewed yet

    def queue(self) -> ScreeningQuerySet:
        """The clinician's queue order: effective urgency (``queue_urgency``), then how
        long each has waited (``waiting_since_at``), oldest first."""
        return self.annotate(
            queue_urgency=effective_urgency(),
            waiting_since_at=Coalesce("submitted_at", "updated_at"),
        ).order_by("queue_urgency", "waiting_since_at", "pk")

    def in_triage(self) -> ScreeningQuerySet:
        """What the queue shows by default: sent and not reviewed, or anything awaiting an
        acknowledgement (a form left after a risk answer included)."""
        return self.filter(
            Q(status__in=self.OPEN_STATUSES) | Q(needs_acknowledgement=True, acknowledged_at=None)
        )


class Screening(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not sent yet)"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        REVIEWED = "reviewed", "Reviewed"

    class CssrsTier(models.TextChoices):
        NONE = "none", "None"
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    consultation = models.ForeignKey(
        "booking.Consultation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="screenings",
        help_text="The consultation the patient booked before filling in the form, if any.",
    )
    # Encrypted (intake/crypto.py).
    identity = EncryptedJSONField(
        default=dict, help_text="Name, date of birth, contact and emergency contact."
    )
    answers = EncryptedJSONField(
        default=dict, help_text="Every answer, by instrument, with each instrument's version."
    )
    email_lookup = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )  # keyed HMAC of the normalised email (crypto.lookup_hash), never the email
    # Computed on submission, in the clear for sorting and filtering.
    phq9_total = models.PositiveSmallIntegerField(null=True, blank=True)
    phq9_band = models.CharField(max_length=30, blank=True)
    phq9_item9 = models.PositiveSmallIntegerField(null=True, blank=True)
    gad7_total = models.PositiveSmallIntegerField(null=True, blank=True)
    gad7_band = models.CharField(max_length=30, blank=True)
    pcptsd5_count = models.PositiveSmallIntegerField(null=True, blank=True)
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    cssrs_tier = models.CharField(max_length=10, choices=CssrsTier.choices, blank=True)
    flag_codes = models.JSONField(default=list, blank=True)
    urgency = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 (most urgent) to 7; see intake/flags.py."
    )
    urgency_reasons = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="What set the urgency, as reason codes (intake/flags.py REASONS).",
    )
    urgency_scale = models.CharField(
        max_length=20,
        blank=True,
        editable=False,
        help_text="The version of the urgency order the urgency numbers were computed with.",
    )
    shows_crisis = models.BooleanField(default=False)
    instrument_versions = models.JSONField(
        default=dict, blank=True, help_text="The version of each questionnaire answered."
    )
    # Triage (the queue: ScreeningQuerySet; escalation.py).  Every screening that is not
    # routine (urgency 1-6, crisis resources shown, crisis wording, a risk answer changed
    # before sending; a form left after a risk answer) needs a clinician's acknowledgement
    # before it can be marked reviewed (services.needs_acknowledgement); ``acknowledged_at``
    # is the latest one.
    needs_acknowledgement = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # While a draft: the urgency of the risk answers given so far (PHQ-9 item 9, C-SSRS,
    # crisis wording), so a draft left after a risk answer can alert a clinician.
    draft_urgency = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Set by a clinician: the person became a patient (retention keeps their screening).
    became_patient_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The private resume link of a draft: only a hash of its token is kept (intake/links.py).
    resume_token_hash = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    resume_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    resume_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["urgency", "submitted_at"]
        indexes = [
            models.Index(fields=["status", "urgency"], name="screening_queue_idx"),
            models.Index(
                fields=["acknowledged_at"],
                condition=Q(needs_acknowledgement=True),
                name="screening_unacknowledged_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgency__isnull=True) | Q(urgency__gte=1, urgency__lte=7),
                name="screening_urgency_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(urgency__isnull=False),
                name="screening_submitted_has_urgency",
            ),
        ]
        permissions = [
            ("view_screening_contents", "Can open a screening's answers and details"),
            ("triage_screening", "Can acknowledge a screening and set its review status"),
            ("export_screening", "Can export the screening queue (CSV, no answers)"),
        ]

    def __str__(self) -> str:
        return f"Screening #{self.pk}"

    @property
    def awaits_acknowledgement(self) -> bool:
        return self.needs_acknowledgement and self.acknowledged_at is None

    @property
    def waiting_since(self):
        return self.submitted_at or self.updated_at

    @property
    def triage_urgency(self) -> int | None:
        """The urgency a screening is triaged by: its own (a left form: its risk so far), or,
        while it awaits an acknowledgement, the stronger of that and the risk answer given
        before sending.  A patient who answered "nearly every day" to item 9 and changed it
        to "not at all" before sending is urgent until a clinician has looked.  The queue
        and escalation use the same rule in SQL (``effective_urgency()`` above)."""
        own = self.urgency if self.urgency is not None else self.draft_urgency
        if self.awaits_acknowledgement and self.draft_urgency is not None:
            return min(level for level in (own, self.draft_urgency) if level is not None)
        return own


class Acknowledgement(models.Model):
    """A clinician's acknowledgement of a screening that is not routine: what was done (a
    choice) and a few words (encrypted, like the answers)."""

    class Action(models.TextChoices):
        CALLED_PATIENT = "called_patient", "Called the patient"
        REFERRED_EMERGENCY = "referred_emergency", "Referred to emergency care"
        SCHEDULED = "scheduled", "Scheduled a consultation"
        NO_ACTION_NEEDED = "no_action_needed", "No action needed"

    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    note = EncryptedTextField(help_text="What was done, in a few words.")
    of_draft = models.BooleanField(
        default=False, help_text="Given while the form was still a draft (not sent)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Acknowledgement #{self.pk} of screening #{self.screening_id}"


class ScreeningNote(models.Model):
    """Staff free text about a screening (what was done, who was called): encrypted like
    the answers, because it says as much about the patient."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(help_text="Seen only by clinicians and administrators.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note #{self.pk} on screening #{self.screening_id}"


class StaffAlert(OutboundMessage):
    """An email to clinical staff that a screening needs review: a link, no details.

    Durable like booking messages (``mindscape.delivery.OutboundMessage``): the task
    carries this row's id; failures are retried and, after the last try, listed for staff.
    """

    class Kind(models.TextChoices):
        URGENT_SUBMISSION = "urgent_submission", "Urgent screening submitted"
        ESCALATION_FIRST = "escalation_first", "Not acknowledged: first reminder"
        ESCALATION_SECOND = "escalation_second", "Not acknowledged: second reminder"
        ABANDONED_RISK_DRAFT = "abandoned_risk_draft", "Form left after a risk answer"
        LEFT_FORMS_SUMMARY = "left_forms_summary", "More forms left: one summary"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"
        DROPPED = "dropped", "Dropped (acknowledged before sending)"
        SUMMARISED = "summarised", "In a summary (over the hourly limit, not sent alone)"

    ESCALATIONS = (Kind.ESCALATION_FIRST, Kind.ESCALATION_SECOND)

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "kind"], name="one_alert_per_kind")
        ]

    def __str__(self) -> str:
        return f"Alert #{self.pk} for screening #{self.screening_id}"
