"""Consultations at the front desk: the list and its filters, the change form, actions,
export and the calendar feed.  The book / move / cancel pages: consultation_pages.py."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from audit import log as audit
from mindscape import confirm
from mindscape.adminkit import CsvExportMixin

from .. import services, staff_feed
from ..models import (
    Consultation,
    ConsultationType,
    StaffCalendarFeed,
)
from .common import (
    CONTACT_FIELDS,
    CrisisFilter,
    FrontDeskAdmin,
)
from .consultation_pages import ConsultationPages


@admin.register(Consultation)
class ConsultationAdmin(ConsultationPages, CsvExportMixin, FrontDeskAdmin):
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
            path("export/", wrap(self.export_view), name="booking_consultation_export"),
            path("calendar-feed/", wrap(self.calendar_feed_view), name="booking_consultation_feed"),
            *super().get_urls(),  # then the book, move and cancel pages (ConsultationPages)
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

    # --- The change form: warnings (book, move, cancel: ConsultationPages) ------------------

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
