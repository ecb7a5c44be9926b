"""Consultations at the front desk: the list, book / move / cancel pages, actions, export."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from audit import log as audit
from mindscape import confirm
from mindscape.adminkit import CsvExportMixin

from .. import schedule, services, staff_feed
from ..forms import StaffBookingForm, StaffCancelForm, StaffTimeForm
from ..models import (
    Consultation,
    ConsultationType,
    Location,
    StaffCalendarFeed,
)
from ..views import when_label
from . import picker
from .common import (
    CONTACT_FIELDS,
    CrisisFilter,
    FrontDeskAdmin,
)


@admin.register(Consultation)
class ConsultationAdmin(CsvExportMixin, FrontDeskAdmin):
    # What the front desk reads on the phone, fitting at 1280 px: the email and phone are
    # on the record (and the search finds them), the topic and source in the export.
    list_display = [
        "starts",
        "name",
        "type_name",
        "status",
        "reference",
        "crisis",
        "location",
    ]
    list_filter = [
        "status",
        ("starts_at", admin.DateFieldListFilter),
        "consultation_type",
        "location",
        CrisisFilter,
    ]
    list_select_related = ["location", "consultation_type"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at"]
    actions = ["complete", "mark_no_show", "acknowledge_crisis"]
    fieldsets = [
        (
            "Consultation",
            {
                "fields": [
                    "reference",
                    "when",
                    "consultation_type",
                    "location",
                    "status",
                    "video_link",
                    "cancelled_by",
                    "cancel_reason",
                    "booked_by_staff",
                    "created_at",
                ]
            },
        ),
        ("Patient", {"fields": [*CONTACT_FIELDS, "message", "consent_version"]}),
        ("Where they came from", {"fields": ["source_article"]}),
        ("Crisis wording", {"fields": ["crisis_flag", "crisis_seen_by", "crisis_seen_at"]}),
        ("History", {"fields": ["history"]}),
    ]
    readonly_fields = [
        "reference",
        "when",
        "consultation_type",
        "location",
        "status",
        "cancelled_by",
        "cancel_reason",
        "booked_by_staff",
        "created_at",
        "message",
        "consent_version",
        "source_article",
        "crisis_flag",
        "crisis_seen_by",
        "crisis_seen_at",
        "history",
    ]
    change_form_template = "admin/booking/consultation/change_form.html"
    change_list_template = "admin/booking/consultation/change_list.html"

    @admin.display(description="when (location time)", ordering="starts_at")
    def when(self, obj):
        local = obj.local_start
        return f"{local:%a %b %-d, %Y %-I:%M %p} {local:%Z}"

    @admin.display(description="when", ordering="starts_at")
    def starts(self, obj):
        # The list is by date already (the year is above it): the day, time and zone.
        local = obj.local_start
        return f"{local:%a %b %-d, %-I:%M %p} {local:%Z}"

    @admin.display(description="type", ordering="consultation_type__name")
    def type_name(self, obj):
        return obj.consultation_type.name

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.consultation_type.kind != ConsultationType.Kind.VIDEO:
            fields.append("video_link")
        return fields

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the record and its history stay

    def has_export_permission(self, request):
        return request.user.has_perm("booking.export_consultation")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("book/", wrap(self.book_view), name="booking_consultation_book"),
            path("export/", wrap(self.export_view), name="booking_consultation_export"),
            path("calendar-feed/", wrap(self.calendar_feed_view), name="booking_consultation_feed"),
            path("<int:pk>/move/", wrap(self.move_view), name="booking_consultation_move"),
            path("<int:pk>/cancel/", wrap(self.cancel_view), name="booking_consultation_cancel"),
            *super().get_urls(),
        ]

    # --- At a glance, export --------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        week_end = today + dt.timedelta(days=7 - today.weekday())
        booked = Consultation.objects.filter(status=Consultation.Status.BOOKED)

        def between(first, last):
            start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
            end = timezone.make_aware(dt.datetime.combine(last, dt.time()))
            # Aware instants, as the date filter's own links: a bare date is naive.
            query = {"status__exact": "booked", "starts_at__gte": start, "starts_at__lt": end}
            return (
                booked.filter(starts_at__gte=start, starts_at__lt=end).count(),
                "?" + urlencode({key: str(value) for key, value in query.items()}),
            )

        extra_context = {
            **(extra_context or {}),
            "glance": [
                ("Today", *between(today, today + dt.timedelta(days=1))),
                ("This week", *between(today, week_end)),
            ],
            "crisis_waiting": Consultation.objects.filter(
                crisis_flag=True, crisis_seen_at__isnull=True
            ).count(),
            "can_export": self.has_export_permission(request),
            "can_book": self.has_add_permission(request),
        }
        return super().changelist_view(request, extra_context)

    # The export (CsvExportMixin): the list as filtered on screen, audited (personal data).
    export_filename = "consultations.csv"
    export_header = [
        "reference",
        "when (location time)",
        "first name",
        "last name",
        "email",
        "phone",
        "preferred contact",
        "type",
        "location",
        "topic",
        "status",
        "created",
    ]
    export_action = "consultations_exported"

    def export_rows(self, request, queryset):
        for c in queryset.select_related("location", "consultation_type"):
            yield (
                c.reference,
                c.local_start.strftime("%Y-%m-%d %H:%M %Z"),
                c.first_name,
                c.last_name,
                c.email,
                c.phone,
                c.get_contact_method_display(),
                c.consultation_type.name,
                c.location.name,
                c.get_topic_display(),
                c.get_status_display(),
                timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
            )

    def calendar_feed_view(self, request):
        """Your own private calendar address: make one (shown once) or revoke it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        new_url = ""
        if request.method == "POST":
            if request.POST.get("do") == "create":
                token = staff_feed.feed_create(user=request.user)
                new_url = request.build_absolute_uri(
                    reverse("booking:staff-calendar", kwargs={"token": token})
                )
            elif request.POST.get("do") == "revoke":
                staff_feed.feed_revoke(user=request.user, by=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": "My calendar feed",
            "opts": self.model._meta,
            "feed": StaffCalendarFeed.objects.filter(user=request.user).first(),
            "new_url": new_url,
        }
        return TemplateResponse(request, "admin/booking/consultation/calendar_feed.html", context)

    # --- The change form: warnings, links to move and cancel ------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        consultation = self.get_object(request, object_id)
        if consultation is not None and request.method == "GET":
            others = services.other_active_bookings(consultation).count()
            if others:
                messages.warning(
                    request,
                    f"This person already has {others} other upcoming booking"
                    f"{'s' if others > 1 else ''} (same email or phone).",
                )
            if consultation.crisis_needs_attention:
                messages.error(
                    request,
                    "Their message contained crisis wording. Please contact them soon, then "
                    "mark it as seen from the list.",
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:booking_consultation_book"))

    def _page(self, request, title, form, consultation=None, submit="Save", free_times=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "opts": self.model._meta,
            "original": consultation,
            "submit_label": submit,
            "free_times": free_times,
            "when": when_label(consultation.starts_at, consultation.location)
            if consultation
            else "",
        }
        return TemplateResponse(request, "admin/booking/consultation/action_form.html", context)

    def _time_form(self, request, form_class, *, location=None, initial=None):
        """The form of a book or move page, and the location and type its picker shows.

        A press on a free time (``pick``) or on "Show free times" is not a submission: the
        page comes back with everything typed kept, the picked time filled in, no errors.
        """
        data = request.POST if request.method == "POST" else None
        refresh = data is not None and ("pick" in data or "show_times" in data)
        if not refresh:
            form = form_class(data, initial=initial)
            return form, None
        values = {k: v for k, v in data.items() if k not in ("csrfmiddlewaretoken", "pick")}
        values.pop("show_times", None)
        location = location or _chosen(Location, values.get("location"))
        picked = picker.picked(data.get("pick", ""), location) if location else None
        if picked is not None:
            values["date"] = picked.date().isoformat()
            values["time"] = f"{picked:%H:%M}"
        return form_class(initial={**(initial or {}), **values}), picked

    def _free_times(self, request, form, location, consultation_type, **options):
        """The picker's times: from the date on the form once staff have sent it (a move
        page opens on the booking's own date, but lists the next days first)."""
        if location is None or consultation_type is None:
            return {"location": location, "consultation_type": consultation_type, "days": []}
        typed_day = None
        if request.method == "POST":
            typed_day = form.data.get("date") if form.is_bound else form.initial.get("date")
        first_day = picker.from_day(typed_day)
        picked, nearest, exclude = (options.get(k) for k in ("picked", "nearest", "exclude"))
        return {
            "location": location,
            "consultation_type": consultation_type,
            "from_day": first_day,
            "days": picker.days(location, consultation_type, from_day=first_day, exclude=exclude),
            "picked": when_label(picked, location) if picked else "",
            "nearest": list(nearest or []),
        }

    def _refusal(self, form, error, location, consultation_type, starts_at, exclude=None):
        """Put a refusal on the form; the nearest free times to show with it, if any."""
        if isinstance(error, services.OutsideSchedule):
            where = "Inside the notice period" if error.too_soon else "Outside opening hours"
            form.add_error(
                "time",
                f"{where} — tick ‘Allow a time outside opening hours’ to book it anyway, "
                "or pick one of the nearest free times.",
            )
            return picker.nearest(location, consultation_type, starts_at, exclude=exclude)
        form.add_error("time", _with_alternatives(error, location))
        return [
            (picker.slot_value(slot), when_label(slot.start, location))
            for slot in getattr(error, "alternatives", [])
        ]

    def book_view(self, request):
        """Staff book for a patient, under the same rules (hours and notice may be overridden)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form, picked = self._time_form(request, StaffBookingForm, initial=_book_defaults())
        nearest = []
        if form.is_bound and form.is_valid():
            location = form.cleaned_data["location"]
            consultation_type = form.cleaned_data["consultation_type"]
            starts_at = form.starts_at(location)
            if starts_at is not None:
                try:
                    consultation = services.consultation_book(
                        location=location,
                        consultation_type=consultation_type,
                        starts_at=starts_at,
                        details=form.details(),
                        idempotency_key=form.cleaned_data["idempotency_key"],
                        by=request.user,
                        override_schedule=form.cleaned_data["override_schedule"],
                    )
                except services.BookingError as error:
                    nearest = self._refusal(form, error, location, consultation_type, starts_at)
                else:
                    self.message_user(request, "Consultation booked.", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:booking_consultation_change", args=[consultation.pk])
                    )
        source = form.data if form.is_bound else form.initial
        free_times = self._free_times(
            request,
            form,
            _chosen(Location, source.get("location")),
            _chosen(ConsultationType, source.get("consultation_type")),
            picked=picked,
            nearest=nearest,
        )
        return self._page(
            request, "Book a consultation for a patient", form, submit="Book", free_times=free_times
        )

    def move_view(self, request, pk):
        consultation = get_object_or_404(
            Consultation.objects.select_related("location", "consultation_type"), pk=pk
        )
        if not self.has_change_permission(request, consultation):
            raise PermissionDenied
        local = consultation.local_start
        form, picked = self._time_form(
            request,
            StaffTimeForm,
            location=consultation.location,
            initial={"date": local.date(), "time": local.time()},
        )
        nearest = []
        if form.is_bound and form.is_valid():
            starts_at = form.starts_at(consultation.location)
            if starts_at is not None:
                try:
                    services.consultation_reschedule(
                        consultation=consultation,
                        starts_at=starts_at,
                        by=request.user,
                        override_schedule=form.cleaned_data["override_schedule"],
                    )
                except services.BookingError as error:
                    nearest = self._refusal(
                        form,
                        error,
                        consultation.location,
                        consultation.consultation_type,
                        starts_at,
                        exclude=consultation,
                    )
                else:
                    self.message_user(request, "Consultation moved.", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:booking_consultation_change", args=[pk])
                    )
        free_times = self._free_times(
            request,
            form,
            consultation.location,
            consultation.consultation_type,
            picked=picked,
            nearest=nearest,
            exclude=consultation,
        )
        return self._page(
            request, "Move consultation", form, consultation, submit="Move", free_times=free_times
        )

    def cancel_view(self, request, pk):
        consultation = get_object_or_404(
            Consultation.objects.select_related("location", "consultation_type"), pk=pk
        )
        if not self.has_change_permission(request, consultation):
            raise PermissionDenied
        form = StaffCancelForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.consultation_cancel(
                    consultation=consultation, by=request.user, reason=form.cleaned_data["reason"]
                )
            except services.BookingError as error:
                form.add_error("reason", str(error))
            else:
                self.message_user(request, "Consultation cancelled.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:booking_consultation_change", args=[pk]))
        return self._page(request, "Cancel consultation", form, consultation, submit="Cancel it")

    # --- Actions ----------------------------------------------------------------------------

    def _transition(self, request, queryset, service, done):
        changed = 0
        for consultation in queryset:
            try:
                service(consultation=consultation, by=request.user)
                changed += 1
            except services.BookingError as error:
                self.message_user(request, f"{consultation}: {error}", messages.WARNING)
        if changed:
            self.message_user(request, f"{changed} {done}.", messages.SUCCESS)

    def _confirmed(self, request, queryset, action, question, button):
        """True once staff have confirmed on a page listing the consultations; else that page."""
        if confirm.confirmed(request):
            return True
        consultations = queryset.select_related("location", "consultation_type").order_by(
            "starts_at"
        )
        return confirm.confirm_page(
            self,
            request,
            title=question,
            intro=f"This cannot be undone. {len(consultations)} consultation(s):",
            items=[
                f"{self.when(c)} · {c.full_name} · {c.consultation_type} · "
                f"{c.get_status_display()} · {c.reference}"
                for c in consultations
            ],
            button=button,
            ids=[c.pk for c in consultations],
            action=action,
        )

    @admin.action(description="Mark as completed", permissions=["change"])
    def complete(self, request, queryset):
        confirmed = self._confirmed(
            request,
            queryset,
            "complete",
            "Mark these consultations as completed?",
            "Yes, mark as completed",
        )
        if confirmed is not True:
            return confirmed
        self._transition(request, queryset, services.consultation_complete, "marked completed")

    @admin.action(description="Mark as no-show", permissions=["change"])
    def mark_no_show(self, request, queryset):
        confirmed = self._confirmed(
            request,
            queryset,
            "mark_no_show",
            "Mark these consultations as no-shows?",
            "Yes, mark as no-show",
        )
        if confirmed is not True:
            return confirmed
        self._transition(request, queryset, services.consultation_mark_no_show, "marked no-show")

    def get_fieldsets(self, request, obj=None):
        # "Crisis wording: ✗" on every ordinary booking alarms: the section shows only
        # when there was crisis wording.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not obj.crisis_flag:
            fieldsets = [f for f in fieldsets if f[0] != "Crisis wording"]
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(request.user, "changed", obj, {"fields": sorted(form.changed_data)})


def _chosen(model, value):
    """The active location or type a form's raw value names, or None."""
    if isinstance(value, model):
        return value
    if not value or not str(value).isdigit():
        return None
    return model.objects.filter(pk=value, is_active=True).first()


def _book_defaults() -> dict:
    """The book page opens on the first location and the first type offered there, so
    the free times show at once (most clinics have one location)."""
    location = Location.objects.filter(is_active=True).order_by("pk").first()
    if location is None:
        return {}
    consultation_type = schedule.offered_types(location).order_by("pk").first()
    return {
        "location": location.pk,
        "consultation_type": consultation_type.pk if consultation_type else None,
    }


def _with_alternatives(error: services.BookingError, location: Location) -> str:
    alternatives = getattr(error, "alternatives", [])
    if not alternatives:
        return str(error)
    nearest = "; ".join(when_label(slot.start, location) for slot in alternatives)
    return f"{error} Nearest free times: {nearest}."
