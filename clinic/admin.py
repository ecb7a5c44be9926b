"""Admin for the clinic's facts (one row, with its office hours and closures) and the
static pages.  Every save is audited (``mindscape.adminkit``, the audit app's log)."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from mindscape.adminkit import AccessibleTabularInline, AuditedAdminMixin

from .models import Clinic, ClinicClosure, OfficeHours, Page


class OfficeHoursInline(AccessibleTabularInline):
    model = OfficeHours
    extra = 0


class ClinicClosureInline(AccessibleTabularInline):
    model = ClinicClosure
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """One row: the list page goes straight to it; nobody adds a second or deletes it."""

    inlines = [OfficeHoursInline, ClinicClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "phone", "email"]}),
        ("Address", {"fields": ["street_address", "locality", "region", "postal_code"]}),
        ("Time zone", {"fields": ["time_zone"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        clinic = Clinic.load()
        return HttpResponseRedirect(reverse("admin:clinic_clinic_change", args=[clinic.pk]))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Page)
class PageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
