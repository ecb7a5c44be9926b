"""The clinic's facts (one row), its office hours and closures, and its static pages.

The tables keep the names they had when these models lived in ``mindscape`` (migration
clinic 0001 moved them without touching the database).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from mindscape.fields import validate_time_zone


class Clinic(models.Model):
    """The clinic's facts, edited by staff in the admin.  There is exactly one row."""

    SINGLETON_PK = 1

    name = models.CharField(max_length=120, default="MindScape Ketamine & Infusion Therapy")
    phone = models.CharField(
        max_length=30,
        default="(555) 010-0199",
        help_text="The main number patients call, written as it should appear on the site.",
    )
    email = models.EmailField(default="hello@mindscape.example")
    street_address = models.CharField(max_length=200, default="200 Harbor View Drive, Suite 310")
    locality = models.CharField("city", max_length=100, default="Portland")
    region = models.CharField("state", max_length=50, default="ME")
    postal_code = models.CharField(max_length=20, default="04101")
    time_zone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text="Office hours below are in this zone, e.g. America/New_York.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "clinic details"
        verbose_name_plural = "clinic details"
        db_table = "mindscape_clinic"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="clinic_single_row"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> Clinic:
        clinic, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return clinic

    @property
    def address_lines(self) -> list[str]:
        return [self.street_address, f"{self.locality}, {self.region} {self.postal_code}"]

    @property
    def phone_href(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}"


class OfficeHours(models.Model):
    """One opening window on a weekday; a day may have several (e.g. split by lunch)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField(help_text="Local time at the clinic.")
    closes = models.TimeField(help_text="Local time at the clinic; must be after opening.")

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = "office hours"
        verbose_name_plural = "office hours"
        db_table = "mindscape_officehours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="hours_close_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "Closing time must be after opening time."})


class ClinicClosure(models.Model):
    """Days the office is closed (holidays, training days), first to last day inclusive."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closures")
    first_day = models.DateField()
    last_day = models.DateField(help_text="The same as the first day for a one-day closure.")
    reason = models.CharField(
        max_length=120, help_text="Shown to patients, e.g. “Thanksgiving Day”.", blank=True
    )

    class Meta:
        ordering = ["first_day"]
        verbose_name = "closure"
        db_table = "mindscape_clinicclosure"
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="closure_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason or 'Closed'} ({self.first_day:%Y-%m-%d} to {self.last_day:%Y-%m-%d})"

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": "The last day cannot be before the first day."})


class PageQuerySet(models.QuerySet):
    def published(self) -> PageQuerySet:
        return self.filter(is_published=True)


class Page(models.Model):
    """A static page (About, FAQ, Privacy notice…) written in Markdown by staff."""

    slug = models.SlugField(unique=True, help_text="The page's address: /<slug>/.")
    title = models.CharField(max_length=120)
    summary = models.CharField(
        max_length=200,
        help_text="One or two sentences for search engines and link previews.",
    )
    body = models.TextField(
        help_text="Markdown: ## for headings, - for lists, [text](https://…) for links."
    )
    show_contact_details = models.BooleanField(
        default=False,
        help_text="Show the clinic's address, phone and office hours beside the text.",
    )
    is_published = models.BooleanField(
        default=True, help_text="Unpublished pages are hidden from visitors."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        db_table = "mindscape_page"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("page", kwargs={"slug": self.slug})
