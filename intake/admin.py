"""Screenings in the admin.

The list shows only what is safe for every role that may see it: number, status, urgency
band, dates, linked consultation.  Opening a screening shows its contents and needs the
"view screening contents" permission (Clinician, Administrator); everyone else gets 403.
Every opening is audited.  Nothing about a screening is changed or deleted here.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from mindscape import audit

from . import services
from .instruments import INSTRUMENTS
from .models import Screening, ScreeningNote, StaffAlert

CONTENTS_PERMISSION = "intake.view_screening_contents"
URGENCY_LABELS = {
    1: "1 · suicide risk: high",
    2: "2 · thoughts of self-harm (PHQ-9 item 9: 2–3)",
    3: "3 · suicide risk: moderate",
    4: "4 · suicide risk: low",
    5: "5 · label contraindication",
    6: "6 · cautions or medications",
    7: "7 · routine",
}


class NoteInline(admin.TabularInline):
    """Clinicians' notes: shown read-only on the screening (added with the form below it)."""

    model = ScreeningNote
    fields = ["created_at", "author", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(CONTENTS_PERMISSION)


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "urgency_band", "submitted_at", "consultation_id"]
    list_filter = ["status", "urgency"]
    date_hierarchy = "submitted_at"
    ordering = ["urgency", "submitted_at"]
    readonly_fields = [
        "status",
        "urgency_band",
        "consultation_id",
        "identity",
        "answers",
        "phq9_total",
        "phq9_band",
        "phq9_item9",
        "gad7_total",
        "gad7_band",
        "pcptsd5_count",
        "pain",
        "cssrs_tier",
        "flag_codes",
        "shows_crisis",
        "instrument_versions",
        "created_at",
        "submitted_at",
    ]
    fields = readonly_fields
    inlines = [NoteInline]

    @admin.display(description="urgency", ordering="urgency")
    def urgency_band(self, obj):
        return URGENCY_LABELS.get(obj.urgency, "not scored yet")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_list_display_links(self, request, list_display):
        # No links to pages the front desk may not open.
        if not request.user.has_perm(CONTENTS_PERMISSION):
            return None
        return super().get_list_display_links(request, list_display)

    def _signoff_notice(self, request):
        waiting = [i.name for i in INSTRUMENTS.values() if i.awaiting_signoff]
        if waiting:
            messages.warning(
                request,
                f"Awaiting the medical director's sign-off: the wording of {', '.join(waiting)} "
                "(the current self-report wording could not be confirmed).",
            )

    change_form_template = "admin/intake/screening/change_form.html"

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self._signoff_notice(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not request.user.has_perm(CONTENTS_PERMISSION):
            raise PermissionDenied
        screening = self.get_object(request, object_id)
        if screening is not None:
            audit.record(request.user, "screening_viewed", screening)
            self._signoff_notice(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<int:pk>/note/",
                self.admin_site.admin_view(self.add_note_view),
                name="intake_screening_note",
            ),
            *super().get_urls(),
        ]

    def add_note_view(self, request, pk):
        """POST only: a clinician's note, stored encrypted; back to the screening."""
        from django.http import HttpResponseNotAllowed, HttpResponseRedirect
        from django.shortcuts import get_object_or_404
        from django.urls import reverse

        if not request.user.has_perm(CONTENTS_PERMISSION):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        screening = get_object_or_404(Screening, pk=pk)
        try:
            services.screening_note_add(
                screening=screening, text=request.POST.get("text", ""), by=request.user
            )
        except services.ScreeningError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, "Note added.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:intake_screening_change", args=[pk]))

    def history_view(self, request, object_id, extra_context=None):
        if not request.user.has_perm(CONTENTS_PERMISSION):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


@admin.register(StaffAlert)
class StaffAlertAdmin(admin.ModelAdmin):
    """Alerts sent to clinical staff about screenings; "failed for good" needs a person."""

    list_display = ["created_at", "kind", "screening_id", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    readonly_fields = ["screening", "kind", "status", "attempts", "last_error", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
