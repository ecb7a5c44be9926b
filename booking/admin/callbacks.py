"""Call-back requests: new → contacted → scheduled | closed."""

from __future__ import annotations

from django.contrib import admin, messages

from audit import log as audit

from .. import services
from ..models import (
    CallbackRequest,
)
from .common import (
    CONTACT_FIELDS,
    CrisisFilter,
    FrontDeskAdmin,
)


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

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not obj.crisis_flag:
            # No "Crisis flag: ✗" on every ordinary request: nothing when there is none.
            fields = [f for f in fields if not f.startswith("crisis_")]
        return fields

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
