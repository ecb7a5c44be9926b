"""Alerts sent to clinical staff about screenings."""

from __future__ import annotations

from django.contrib import admin

from mindscape.adminkit import ReadOnlyAdminMixin

from ..models import StaffAlert


@admin.register(StaffAlert)
class StaffAlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Alerts sent to clinical staff about screenings; "failed for good" needs a person."""

    list_display = ["created_at", "kind", "screening_id", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    readonly_fields = ["screening", "kind", "status", "attempts", "last_error", "created_at"]
