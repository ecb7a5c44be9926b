"""Screenings in the admin.

The list shows only what is safe for every role that may see it: number, status, urgency
band, dates, linked consultation.  Opening a screening shows its contents and needs the
"view screening contents" permission (Clinician, Administrator); everyone else gets 403.
Every opening is audited.  Nothing about a screening is changed or deleted here.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from mindscape import audit

from .instruments import INSTRUMENTS
from .models import Screening

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

    @admin.display(description="urgency", ordering="urgency")
    def urgency_band(self, obj):
        return URGENCY_LABELS.get(obj.urgency, "not scored yet")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _signoff_notice(self, request):
        waiting = [i.name for i in INSTRUMENTS.values() if i.awaiting_signoff]
        if waiting:
            messages.warning(
                request,
                f"Awaiting the medical director's sign-off: the wording of {', '.join(waiting)} "
                "(the current self-report wording could not be confirmed).",
            )

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

    def history_view(self, request, object_id, extra_context=None):
        if not request.user.has_perm(CONTENTS_PERMISSION):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)
