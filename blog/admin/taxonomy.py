"""Categories, tags and contributors (authors and medical reviewers)."""

from django.contrib import admin

from mindscape.adminkit import AuditedAdminMixin

from ..models import Category, Contributor, Tag


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Contributor)
class ContributorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "credentials", "user", "is_placeholder"]
    list_select_related = ["user"]
    search_fields = ["name", "credentials"]
