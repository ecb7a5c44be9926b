"""Consultations at the front desk: the list, book / move / cancel pages, actions, export."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from mindscape import audit
from mindscape.adminkit import csv_download, csv_safe

from .. import services, staff_feed
from ..forms import StaffBookingForm, StaffCancelForm, StaffTimeForm
from ..models import (
    Consultation,
    ConsultationType,
    Location,
    StaffCalendarFeed,
)
from ..views import when_label
from .common import (
    CONTACT_FIELDS,
    CrisisFilter,
    FrontDeskAdmin,
)


@admin.register(Consultation)
class ConsultationAdmin(FrontDeskAdmin):
    list_display = [
        "when",
        "name",
        "contact",
        "consultation_type",
        "location",
        "topic",
        "status",
        "crisis",
        "source_article",
        "created_at",
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

    def export_view(self, request):
        """The list as filtered on screen, as CSV (audited: it holds personal data)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # As the list itself does with a filter value it cannot use.
            changelist_url = reverse("admin:booking_consultation_changelist")
            return HttpResponseRedirect(f"{changelist_url}?{ERROR_FLAG}=1")
        queryset = changelist.get_queryset(request)
        response, writer = csv_download(
            "consultations.csv",
            [
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
            ],
        )
        count = 0
        for c in queryset.select_related("location", "consultation_type"):
            count += 1
            writer.writerow(
                [
                    csv_safe(value)
                    for value in (
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
                ]
            )
        audit.record(request.user, "consultations_exported", None, {"rows": count})
        return response

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

    def _page(self, request, title, form, consultation=None, submit="Save"):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "opts": self.model._meta,
            "original": consultation,
            "submit_label": submit,
            "when": when_label(consultation.starts_at, consultation.location)
            if consultation
            else "",
        }
        return TemplateResponse(request, "admin/booking/consultation/action_form.html", context)

    def book_view(self, request):
        """Staff book for a patient, under the same rules (hours and notice may be overridden)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StaffBookingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            location = form.cleaned_data["location"]
            starts_at = form.starts_at(location)
            if starts_at is not None:
                try:
                    consultation = services.consultation_book(
                        location=location,
                        consultation_type=form.cleaned_data["consultation_type"],
                        starts_at=starts_at,
                        details=form.details(),
                        idempotency_key=form.cleaned_data["idempotency_key"],
                        by=request.user,
                        override_schedule=form.cleaned_data["override_schedule"],
                    )
                except services.BookingError as error:
                    form.add_error("time", _with_alternatives(error, location))
                else:
                    self.message_user(request, "Consultation booked.", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:booking_consultation_change", args=[consultation.pk])
                    )
        return self._page(request, "Book a consultation for a patient", form, submit="Book")

    def move_view(self, request, pk):
        consultation = get_object_or_404(
            Consultation.objects.select_related("location", "consultation_type"), pk=pk
        )
        if not self.has_change_permission(request, consultation):
            raise PermissionDenied
        local = consultation.local_start
        form = StaffTimeForm(
            request.POST or None, initial={"date": local.date(), "time": local.time()}
        )
        if request.method == "POST" and form.is_valid():
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
                    form.add_error("time", _with_alternatives(error, consultation.location))
                else:
                    self.message_user(request, "Consultation moved.", messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:booking_consultation_change", args=[pk])
                    )
        return self._page(request, "Move consultation", form, consultation, submit="Move")

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

    @admin.action(description="Mark as completed", permissions=["change"])
    def complete(self, request, queryset):
        self._transition(request, queryset, services.consultation_complete, "marked completed")

    @admin.action(description="Mark as no-show", permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._transition(request, queryset, services.consultation_mark_no_show, "marked no-show")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(request.user, "changed", obj, {"fields": sorted(form.changed_data)})


def _with_alternatives(error: services.BookingError, location: Location) -> str:
    alternatives = getattr(error, "alternatives", [])
    if not alternatives:
        return str(error)
    nearest = "; ".join(when_label(slot.start, location) for slot in alternatives)
    return f"{error} Nearest free times: {nearest}."
