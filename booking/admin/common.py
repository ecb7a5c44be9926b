"""What the front-desk admin pages share: contact search, crisis flags, history."""

from __future__ import annotations

import phonenumbers
from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from audit import log as audit
from audit import words as audit_words
from mindscape import phones
from mindscape.adminkit import AuditHistoryMixin

from .. import services

CONTACT_FIELDS = ["first_name", "last_name", "email", "phone", "contact_method", "topic"]


def history(obj) -> str:
    entries = audit.entries_for(obj)
    if not entries:
        return "—"
    words = audit_words.sentences(entries)
    return format_html(
        "<ul class='audit-trail'>{}</ul>",
        format_html_join(
            "", "<li>{} · {}</li>", ((audit_words.when(e), words[e.pk]) for e in entries)
        ),
    )


class CrisisFilter(admin.SimpleListFilter):
    title = "crisis wording"
    parameter_name = "crisis"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting for a staff member"), ("all", "Any with crisis wording")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(crisis_flag=True, crisis_seen_at__isnull=True)
        if self.value() == "all":
            return queryset.filter(crisis_flag=True)
        return queryset


class ContactAdminForm(forms.ModelForm):
    """A phone typed by staff is checked and stored in E.164, as the patient's forms do."""

    def clean_phone(self) -> str:
        return phones.parse(self.cleaned_data["phone"])


class FrontDeskAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """What consultations and call-backs share: contact search, crisis flags, history."""

    form = ContactAdminForm
    search_fields = ["first_name", "last_name", "email", "phone"]
    actions = ["acknowledge_crisis"]

    def get_search_results(self, request, queryset, search_term):
        # Phones are stored as +12075550123; staff type them as (207) 555-0123, or only
        # the local part (555-0123).  Other searches (names, emails) go on as typed.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            number = phonenumbers.parse(search_term, phones.REGION)
        except phonenumbers.NumberParseException:
            return results, may_have_duplicates
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            results |= queryset.filter(phone=e164)
        elif phonenumbers.is_possible_number(number):
            results |= queryset.filter(phone__contains=str(number.national_number))
        return results, may_have_duplicates

    @admin.display(description="name", ordering="last_name")
    def name(self, obj):
        return obj.full_name

    @admin.display(description="contact")
    def contact(self, obj):
        return format_html("{}<br>{}", obj.email, obj.phone)

    @admin.display(description="crisis", empty_value="")
    def crisis(self, obj):
        # Nothing at all for an ordinary record: a column of ✗ reads as alarms.
        if not obj.crisis_flag:
            return ""
        if obj.crisis_needs_attention:
            return format_html("<strong class='crisis-waiting'>{}</strong>", "Waiting")
        return "Seen"

    @admin.display(description="history")
    def history(self, obj):
        return history(obj)

    @admin.action(description="Mark crisis wording as seen and acted on", permissions=["change"])
    def acknowledge_crisis(self, request, queryset):
        done = 0
        for record in queryset:
            try:
                services.crisis_flag_acknowledge(record=record, by=request.user)
                done += 1
            except services.BookingError as error:
                self.message_user(request, f"{record}: {error}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} marked as seen.", messages.SUCCESS)
