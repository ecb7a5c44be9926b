"""The zero-result search log, read-only."""

from django.contrib import admin

from ..models import ZeroResultSearch


@admin.register(ZeroResultSearch)
class ZeroResultSearchAdmin(admin.ModelAdmin):
    """What readers looked for and did not find: topics for new articles."""

    list_display = ["query", "count", "last_seen"]
    search_fields = ["query"]
    readonly_fields = ["query", "count", "last_seen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
