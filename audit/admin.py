"""Admin for the (read-only) audit log: filters by person, record type, action and dates;
a CSV export for those who may."""

import datetime as dt
import json

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import path

from clinic.facts import facts_for
from mindscape.adminkit import CsvExportMixin, ReadOnlyAdminMixin

from . import words
from .models import AuditEntry

EXPORT_PERMISSION = "audit.export_auditentry"


class PersonFilter(admin.SimpleListFilter):
    """Entries by a person, or about their account (sign-in failures, role changes)."""

    title = "person"
    parameter_name = "person"

    def lookups(self, request, model_admin):
        User = get_user_model()
        return [
            (str(pk), name)
            for pk, name in User.objects.order_by("username").values_list("pk", "username")
        ]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        user_type = ContentType.objects.get_for_model(get_user_model())
        return queryset.filter(
            Q(actor_id=int(self.value())) | Q(content_type=user_type, object_pk=self.value())
        )


class RecordTypeFilter(admin.SimpleListFilter):
    """The kinds of record the log has entries about, by their staff names."""

    title = "record type"
    parameter_name = "record_type"

    def lookups(self, request, model_admin):
        used = (
            AuditEntry.objects.exclude(content_type=None)
            .values_list("content_type", flat=True)
            .distinct()
            .order_by()
        )
        types = ContentType.objects.filter(pk__in=list(used))
        named = [(str(t.pk), words.record_type_name(t).capitalize()) for t in types]
        return sorted(named, key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        return queryset.filter(content_type_id=int(self.value()))


class DateRangeFilter(admin.ListFilter):
    """From … to … (inclusive days in the clinic's time zone), as a small GET form."""

    title = "date"
    template = "admin/audit/date_range_filter.html"
    parameters = ("at_from", "at_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name in self.parameters:
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.days = {name: self._day(self.used_parameters.get(name)) for name in self.parameters}

    @staticmethod
    def _day(value):
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def queryset(self, request, queryset):
        # The clinic's zone as edited in the admin (cached facts), not settings.TIME_ZONE:
        # a reviewer asking for "the 3rd" means the clinic's 3rd.
        zone = facts_for(request).tz

        def start_of(day):
            return dt.datetime.combine(day, dt.time(), tzinfo=zone)

        if self.days["at_from"]:
            queryset = queryset.filter(at__gte=start_of(self.days["at_from"]))
        if self.days["at_to"]:
            queryset = queryset.filter(at__lt=start_of(self.days["at_to"] + dt.timedelta(days=1)))
        return queryset

    def choices(self, changelist):
        keep = [
            (name, value)
            for name, values in self.request.GET.lists()
            if name not in self.parameters and name != "p"
            for value in values
        ]
        yield {
            "from": self.days["at_from"],
            "to": self.days["at_to"],
            "keep": keep,
            "clear": changelist.get_query_string(remove=list(self.parameters)),
        }


@admin.register(AuditEntry)
class AuditEntryAdmin(CsvExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only for everyone, superusers included; the Administrator may export it."""

    # Two columns that fit at 1280 px: when, and the entry as a sentence.
    list_display = ["when", "entry"]
    list_display_links = ["when"]
    list_filter = [PersonFilter, RecordTypeFilter, "action", DateRangeFilter]
    search_fields = ["actor_username", "action", "object_label"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    change_list_template = "admin/audit/auditentry/change_list.html"

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(EXPORT_PERMISSION)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Each row's sentence, worked out for the whole page at once (a few queries).
        self._sentences = words.sentences(changelist.result_list)
        return changelist

    @admin.display(description="when", ordering="at")
    def when(self, entry):
        return words.when(entry)

    @admin.display(description="entry")
    def entry(self, entry):
        # (Set per list page; another request's set only misses, and falls back.)
        sentences = getattr(self, "_sentences", {})
        return sentences.get(entry.pk) or words.sentence(entry)

    def get_readonly_fields(self, request, obj=None):
        return ["entry", *super().get_readonly_fields(request, obj)]

    def get_actions(self, request):
        return {}  # nothing to do to entries, not even "delete selected"

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("export/", export, name="audit_auditentry_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context)

    # The export (CsvExportMixin): the log as filtered on screen (the export is audited).
    export_filename = "audit-log.csv"
    export_header = ["at (UTC)", "person", "action", "record type", "record", "detail", "entry"]
    export_action = "audit_log_exported"

    def export_rows(self, request, queryset):
        entries = list(queryset.select_related("content_type"))
        said = words.sentences(entries)
        for entry in entries:
            yield (
                entry.at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                entry.actor_username or "system",
                entry.action,
                entry.content_type.model if entry.content_type else "",
                entry.object_label,
                json.dumps(entry.detail, sort_keys=True) if entry.detail else "",
                said[entry.pk],
            )
