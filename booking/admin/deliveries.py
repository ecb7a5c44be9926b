"""Emails sent about consultations, and staff calendar feeds."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from .. import staff_feed, tasks
from ..models import (
    MessageDelivery,
    StaffCalendarFeed,
)


@admin.register(MessageDelivery)
class MessageDeliveryAdmin(admin.ModelAdmin):
    """Every email about a consultation and what became of it; "failed for good" needs a
    person: check the address with the patient, then send again."""

    list_display = ["created_at", "kind", "consultation_link", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    list_select_related = ["consultation"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "consultation",
        "kind",
        "starts_at",
        "sequence",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    actions = ["send_again"]

    @admin.display(description="consultation", ordering="consultation")
    def consultation_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:booking_consultation_change", args=[obj.consultation_id]),
            obj.consultation,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send again", permissions=["change"])
    def send_again(self, request, queryset):
        count = 0
        for delivery in queryset.filter(status=MessageDelivery.Status.FAILED):
            tasks.send_again(delivery, by=request.user)
            count += 1
        self.message_user(request, f"{count} queued to send again.", messages.SUCCESS)


@admin.register(StaffCalendarFeed)
class StaffCalendarFeedAdmin(admin.ModelAdmin):
    """Administrators see who has a calendar feed and can revoke one (delete)."""

    list_display = ["user", "created_at", "last_used_at"]
    readonly_fields = ["user", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        staff_feed.feed_revoke(user=obj.user, by=request.user)

    def delete_queryset(self, request, queryset):
        for feed in queryset.select_related("user"):
            staff_feed.feed_revoke(user=feed.user, by=request.user)
