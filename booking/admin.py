"""The front desk: consultations, call-backs and the schedule.

Times of day, places and statuses never change through the change form: booking, moving
and cancelling are their own pages (POST, calling ``booking.services`` like the patient's
pages do), completing and no-shows are admin actions.  Every change is audited and the
record shows its own history.
"""

from __future__ import annotations

import csv
import datetime as dt

import phonenumbers
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from mindscape import audit
from mindscape.adminkit import AccessibleTabularInline, AuditedAdminMixin

from . import messaging, services, staff_feed
from .forms import PHONE_REGION, StaffBookingForm, StaffCancelForm, StaffTimeForm, parse_phone
from .models import (
    CallbackRequest,
    Closure,
    Consultation,
    ConsultationType,
    Location,
    MessageDelivery,
    OpeningWindow,
    StaffCalendarFeed,
)
from .views import when_label

CONTACT_FIELDS = ["first_name", "last_name", "email", "phone", "contact_method", "topic"]


def csv_safe(value) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas: defuse them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def history(obj) -> str:
    entries = audit.entries_for(obj)
    if not entries:
        return "—"
    return format_html(
        "<ul class='audit-trail'>{}</ul>",
        format_html_join(
            "",
            "<li>{} · {} · {}{}</li>",
            (
                (
                    timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                    e.actor_username or "patient or system",
                    e.action,
                    f" ({e.detail})" if e.detail else "",
                )
                for e in entries
            ),
        ),
    )


class CrisisFilter(admin.SimpleListFilter):
    title = "crisis wording"
    parameter_name = "crisis"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting for a staff member"), ("all", "Any with crisis wording")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(crisis_flag=True, crisis_seen_at__isnull=True)
        if self.value() == "all":
            return queryset.filter(crisis_flag=True)
        return queryset


class ContactAdminForm(forms.ModelForm):
    """A phone typed by staff is checked and stored in E.164, as the patient's forms do."""

    def clean_phone(self) -> str:
        return parse_phone(self.cleaned_data["phone"])


class FrontDeskAdmin(admin.ModelAdmin):
    """What consultations and call-backs share: contact search, crisis flags, history."""

    form = ContactAdminForm
    search_fields = ["first_name", "last_name", "email", "phone"]
    actions = ["acknowledge_crisis"]

    def get_search_results(self, request, queryset, search_term):
        # Phones are stored as +12075550123; staff type them as (207) 555-0123, or only
        # the local part (555-0123).  Other searches (names, emails) go on as typed.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            number = phonenumbers.parse(search_term, PHONE_REGION)
        except phonenumbers.NumberParseException:
            return results, may_have_duplicates
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            results |= queryset.filter(phone=e164)
        elif phonenumbers.is_possible_number(number):
            results |= queryset.filter(phone__contains=str(number.national_number))
        return results, may_have_duplicates

    @admin.display(description="name", ordering="last_name")
    def name(self, obj):
        return obj.full_name

    @admin.display(description="contact")
    def contact(self, obj):
        return format_html("{}<br>{}", obj.email, obj.phone)

    @admin.display(description="crisis", boolean=True)
    def crisis(self, obj):
        return obj.crisis_needs_attention if obj.crisis_flag else None

    @admin.display(description="history")
    def history(self, obj):
        return history(obj)

    @admin.action(description="Mark crisis wording as seen and acted on", permissions=["change"])
    def acknowledge_crisis(self, request, queryset):
        done = 0
        for record in queryset:
            try:
                services.crisis_flag_acknowledge(record=record, by=request.user)
                done += 1
            except services.BookingError as error:
                self.message_user(request, f"{record}: {error}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} marked as seen.", messages.SUCCESS)


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
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="consultations.csv"'
        writer = csv.writer(response)
        writer.writerow(
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
            ]
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


@admin.register(CallbackRequest)
class CallbackRequestAdmin(FrontDeskAdmin):
    list_display = [
        "created_at",
        "name",
        "contact",
        "contact_method",
        "preferred_days_display",
        "preferred_times_display",
        "topic",
        "status",
        "crisis",
    ]
    list_filter = ["status", CrisisFilter, "location"]
    list_select_related = ["location"]
    date_hierarchy = "created_at"
    actions = ["mark_contacted", "mark_scheduled", "mark_closed", "acknowledge_crisis"]
    readonly_fields = [
        "status",
        "location",
        "preferred_days_display",
        "preferred_times_display",
        "message",
        "consent_version",
        "source_article",
        "crisis_flag",
        "crisis_seen_by",
        "crisis_seen_at",
        "created_at",
        "history",
    ]
    fields = ["status", *CONTACT_FIELDS, *readonly_fields[1:]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _set(self, request, queryset, status):
        changed = 0
        for callback in queryset:
            try:
                services.callback_set_status(callback=callback, status=status, by=request.user)
                changed += 1
            except services.BookingError as error:
                self.message_user(request, f"{callback}: {error}", messages.WARNING)
        if changed:
            label = CallbackRequest.Status(status).label.lower()
            self.message_user(request, f"{changed} marked {label}.", messages.SUCCESS)

    @admin.action(description="Mark as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._set(request, queryset, CallbackRequest.Status.CONTACTED)

    @admin.action(description="Mark as scheduled", permissions=["change"])
    def mark_scheduled(self, request, queryset):
        self._set(request, queryset, CallbackRequest.Status.SCHEDULED)

    @admin.action(description="Close", permissions=["change"])
    def mark_closed(self, request, queryset):
        self._set(request, queryset, CallbackRequest.Status.CLOSED)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(request.user, "changed", obj, {"fields": sorted(form.changed_data)})


class OpeningWindowInline(AccessibleTabularInline):
    model = OpeningWindow
    extra = 0


class ClosureInline(AccessibleTabularInline):
    model = Closure
    extra = 0


@admin.register(Location)
class LocationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "locality", "time_zone", "capacity", "is_active"]
    inlines = [OpeningWindowInline, ClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "phone", "is_active", "position"]}),
        ("Address", {"fields": ["street_address", "locality", "region", "postal_code"]}),
        (
            "Scheduling",
            {
                "fields": [
                    "time_zone",
                    "capacity",
                    "buffer_minutes",
                    "slot_step_minutes",
                    "min_notice_hours",
                    "horizon_days",
                    "change_cutoff_hours",
                ]
            },
        ),
    ]


@admin.register(ConsultationType)
class ConsultationTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "duration_minutes", "is_active"]
    filter_horizontal = []


@admin.register(Closure)
class ClosureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["reason", "first_day", "last_day", "location"]
    list_filter = ["location"]


@admin.register(MessageDelivery)
class MessageDeliveryAdmin(admin.ModelAdmin):
    """Every email about a consultation and what became of it; "failed for good" needs a
    person: check the address with the patient, then send again."""

    list_display = ["created_at", "kind", "consultation_link", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    list_select_related = ["consultation"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "consultation",
        "kind",
        "starts_at",
        "sequence",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    actions = ["send_again"]

    @admin.display(description="consultation", ordering="consultation")
    def consultation_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:booking_consultation_change", args=[obj.consultation_id]),
            obj.consultation,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send again", permissions=["change"])
    def send_again(self, request, queryset):
        count = 0
        for delivery in queryset.filter(status=MessageDelivery.Status.FAILED):
            messaging.send_again(delivery, by=request.user)
            count += 1
        self.message_user(request, f"{count} queued to send again.", messages.SUCCESS)


@admin.register(StaffCalendarFeed)
class StaffCalendarFeedAdmin(admin.ModelAdmin):
    """Administrators see who has a calendar feed and can revoke one (delete)."""

    list_display = ["user", "created_at", "last_used_at"]
    readonly_fields = ["user", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        staff_feed.feed_revoke(user=obj.user, by=request.user)

    def delete_queryset(self, request, queryset):
        for feed in queryset.select_related("user"):
            staff_feed.feed_revoke(user=feed.user, by=request.user)
