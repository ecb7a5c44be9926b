"""Consultations: where and how they happen, when they are offered, and who booked them.

Overbooking is refused by the database, not only by Python: each consultation takes one
numbered seat at its location from its start until its end plus the location's buffer,
an exclusion constraint forbids two active consultations on the same seat at overlapping
times, and a trigger (migration 0002) refuses a seat number at or above the location's
capacity.  The booking service tries the seats in order inside one transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone

from clinic.models import OfficeHours
from mindscape.fields import HttpsURLField, validate_time_zone

from .. import availability
from .delivery import MessageDelivery  # noqa: F401 (a model of this app: registered here)

REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class Location(models.Model):
    name = models.CharField(max_length=100, unique=True)
    street_address = models.CharField(max_length=200)
    locality = models.CharField("city", max_length=100)
    region = models.CharField("state", max_length=50)
    postal_code = models.CharField(max_length=20)
    phone = models.CharField(
        max_length=30, help_text="The number patients call about this location, as written."
    )
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text="Opening hours and consultation times here are in this zone, "
        "e.g. America/New_York.",
    )
    capacity = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="How many consultations the staff here can hold at the same time, "
        "shared by every consultation type.",
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=10, help_text="Minutes kept free after each consultation."
    )
    slot_step_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(5)],
        help_text="Offered start times are this many minutes apart (30: 9:00, 9:30, …).",
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        default=12,
        help_text="Patients cannot book a time sooner than this many hours ahead. When this "
        "is shorter than the change cut-off below, the earliest times can be booked but not "
        "moved or cancelled online: the booking page marks them “can't be changed online — "
        "call us to change”.",
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(1)],
        help_text="Patients can book up to this many days ahead.",
    )
    change_cutoff_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="Patients can move or cancel online until this many hours before; after "
        "that the page asks them to call. Times offered sooner than this (possible when the "
        "minimum notice above is shorter) are marked “can't be changed online — call us to "
        "change” before they are booked, and every confirmation says until when it can be "
        "changed.",
    )
    is_active = models.BooleanField(default=True, help_text="Offered to patients.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=20), name="location_capacity_range"
            ),
            models.CheckConstraint(condition=Q(slot_step_minutes__gte=5), name="location_step"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def address_lines(self) -> list[str]:
        return [self.street_address, f"{self.locality}, {self.region} {self.postal_code}"]

    @property
    def phone_href(self) -> str:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")

    @property
    def buffer(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_minutes)

    def clean(self) -> None:
        if self.pk and self.capacity:
            seat_in_use = (
                Consultation.objects.active()
                .filter(location=self, ends_at__gt=timezone.now(), seat__gte=self.capacity)
                .exists()
            )
            if seat_in_use:
                raise ValidationError(
                    {
                        "capacity": "Upcoming consultations already use more places than this. "
                        "Move or cancel them first."
                    }
                )


class ConsultationType(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"
        IN_PERSON = "in_person", "In person"

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    description = models.CharField(
        max_length=200, blank=True, help_text="One line shown to patients when they choose."
    )
    locations = models.ManyToManyField(
        Location, related_name="consultation_types", help_text="Where this type is offered."
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=240),
                name="consultationtype_duration_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes)


Weekday = OfficeHours.Weekday  # the clinic's own weekday names, shared


class OpeningWindow(models.Model):
    """Consultation hours at a location on one weekday; a day may have several."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField(help_text="Local time at the location.")
    end = models.TimeField(help_text="The last consultation ends by this time.")

    class Meta:
        ordering = ["location", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="window_start_before_end")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": "The end must be after the start."})


class Closure(models.Model):
    """Days with no consultations: holidays, training days.  No location means all."""

    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text="Leave empty to close every location.",
    )
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=100, help_text="E.g. “Thanksgiving”. Staff only.")

    class Meta:
        ordering = ["first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_day__lte=F("last_day")), name="closure_days_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.first_day:%b %d}–{self.last_day:%b %d})"

    def clean(self) -> None:
        if self.first_day and self.last_day and self.first_day > self.last_day:
            raise ValidationError({"last_day": "The last day cannot be before the first day."})


class AvailabilityGeneration(models.Model):
    """A token that changes whenever anything a location's open times are made of changes.

    Written only by database triggers (migration 0006), in the same transaction as the
    change, whatever made it: a service, the admin, ``QuerySet.update()``, a bulk insert,
    the retention job or raw SQL.  ``booking.opentimes`` keys its cached open times by it.
    A fresh random token each time, never a counter: after a database restore a counter
    would repeat values whose cached times were made from other data.
    """

    location_id = models.BigIntegerField(primary_key=True)  # no foreign key: outlives a row
    token = models.UUIDField()

    class Meta:
        verbose_name = "open-times generation"

    def __str__(self) -> str:
        return f"Open times of location {self.location_id}: {self.token}"


class Topic(models.TextChoices):
    """What the patient would like to talk about; values match the blog's category slugs."""

    DEPRESSION = "depression", "Depression"
    ANXIETY = "anxiety", "Anxiety"
    PTSD = "ptsd", "PTSD"
    OCD = "ocd", "OCD"
    CHRONIC_PAIN = "chronic-pain", "Chronic pain"
    OTHER = "other", "Something else, or not sure yet"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"


class PatientContact(models.Model):
    """Who to contact and about what: shared by consultations and call-back requests."""

    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    email = models.EmailField()
    phone = models.CharField(max_length=20, help_text="Stored in international form (E.164).")
    contact_method = models.CharField(
        "preferred contact", max_length=8, choices=ContactMethod.choices
    )
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.OTHER)
    message = models.TextField(blank=True, max_length=500)
    consent_version = models.CharField(
        max_length=20, help_text="The version of the consent text the patient agreed to."
    )
    crisis_flag = models.BooleanField(
        "crisis wording",
        default=False,
        help_text="The message contained crisis wording: someone should reach out soon.",
    )
    crisis_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    crisis_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    source_article = models.SlugField(
        blank=True, help_text="The article the patient came from, if any."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by the retention job (booking/retention.py): the contact details were erased.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def crisis_needs_attention(self) -> bool:
        return self.crisis_flag and self.crisis_seen_at is None


class ConsultationQuerySet(models.QuerySet):
    def active(self) -> ConsultationQuerySet:
        """Consultations that hold their place (everything but cancelled)."""
        return self.exclude(status=Consultation.Status.CANCELLED)

    def busy(self, location: Location, start: dt.datetime, end: dt.datetime, exclude=None):
        """The bookings at ``location`` that overlap [start, end), as availability.Busy."""
        queryset = self.active().filter(
            location=location, starts_at__lt=end, blocked_until__gt=start
        )
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude.pk)
        return [
            availability.Busy(start=s, until=u, seat=seat)
            for s, u, seat in queryset.values_list("starts_at", "blocked_until", "seat")
        ]


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Consultation(PatientContact):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"
        CANCELLED = "cancelled", "Cancelled"

    class CancelledBy(models.TextChoices):
        PATIENT = "patient", "The patient"
        STAFF = "staff", "Staff"

    reference = models.CharField(max_length=8, unique=True, default=new_reference, editable=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="consultations")
    consultation_type = models.ForeignKey(
        ConsultationType, on_delete=models.PROTECT, related_name="consultations"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    blocked_until = models.DateTimeField(
        editable=False,
        help_text="The end plus the location's buffer: the place is held until then.",
    )
    seat = models.PositiveSmallIntegerField(default=0, editable=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.BOOKED, editable=False
    )
    cancelled_by = models.CharField(
        max_length=8, choices=CancelledBy.choices, blank=True, editable=False
    )
    cancel_reason = models.CharField(max_length=200, blank=True, editable=False)
    video_link = HttpsURLField(
        blank=True, help_text="For video consultations: the meeting address the patient gets."
    )
    calendar_sequence = models.PositiveIntegerField(
        default=0, editable=False
    )  # the .ics SEQUENCE: raised on every move or cancellation so calendars update the event
    booked_by_staff = models.BooleanField(default=False, editable=False)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    manage_nonce = models.CharField(
        max_length=32, default=new_nonce, editable=False
    )  # part of the signed manage link: changing it revokes every link sent so far

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["location", "starts_at"], name="consultation_when_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")) & Q(ends_at__lte=F("blocked_until")),
                name="consultation_times_in_order",
            ),
            ExclusionConstraint(
                name="consultation_no_overbooking",
                expressions=[
                    ("location", RangeOperators.EQUAL),
                    ("seat", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "blocked_until", Value("[)")), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]
        permissions = [("export_consultation", "Can export consultations as CSV")]

    def __str__(self) -> str:
        return f"Consultation {self.reference}"

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.location.zone)

    @property
    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(self.location.zone)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED

    def change_deadline(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=self.location.change_cutoff_hours)

    def patient_can_change(self, now: dt.datetime | None = None) -> bool:
        return self.is_active and (now or timezone.now()) < self.change_deadline()


class CallbackRequest(PatientContact):
    """ "None of these times work — call me back"."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        SCHEDULED = "scheduled", "Scheduled"
        CLOSED = "closed", "Closed"

    class Period(models.TextChoices):
        MORNING = "morning", "Morning (9–12)"
        AFTERNOON = "afternoon", "Afternoon (12–5)"
        EVENING = "evening", "Early evening (5–7)"

    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks"
    )
    preferred_days = models.JSONField(default=list, help_text="Weekday numbers, 0 = Monday.")
    preferred_times = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.NEW, editable=False
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "call-back request"

    def __str__(self) -> str:
        return f"Call-back request #{self.pk}"

    @property
    def preferred_days_display(self) -> str:
        return ", ".join(Weekday(day).label for day in self.preferred_days) or "Any day"

    @property
    def preferred_times_display(self) -> str:
        return ", ".join(self.Period(p).label for p in self.preferred_times) or "Any time"


class StaffCalendarFeed(models.Model):
    """A staff member's private calendar subscription (consultations, no names).

    Only a hash of the secret is kept; making a new link or deleting this row revokes
    the old one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "staff calendar feed"

    def __str__(self) -> str:
        return f"Calendar feed #{self.pk}"
