"""Admin for the clinic's facts, the static pages and the (read-only) audit log."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from .adminkit import AccessibleTabularInline, AuditedAdminMixin
from .models import AuditEntry, Clinic, ClinicClosure, OfficeHours, Page


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
        return HttpResponseRedirect(reverse("admin:mindscape_clinic_change", args=[clinic.pk]))

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


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included."""

    list_display = ["at", "actor_username", "action", "content_type", "object_label"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_username", "action", "object_label"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
