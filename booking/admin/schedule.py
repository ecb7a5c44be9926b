"""Locations, their consultation hours and closures, and consultation types."""

from __future__ import annotations

from django.contrib import admin

from mindscape.adminkit import AccessibleTabularInline, AuditedAdminMixin

from ..models import (
    Closure,
    ConsultationType,
    Location,
    OpeningWindow,
)


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
    list_select_related = ["location"]
    list_filter = ["location"]
