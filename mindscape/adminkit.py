"""Admin building blocks every app uses: audited saves, read-only admins, CSV downloads
and accessible inlines."""

import csv
from typing import Any

from django.contrib import admin
from django.http import HttpResponse

from . import audit


def csv_safe(value) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas: defuse them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class AuditHistoryMixin:
    """A record's History page reads its audit entries, in the audit log's own words."""

    object_history_template = "admin/audit_history.html"

    def history_view(self, request, object_id, extra_context=None):
        from django.contrib.admin.utils import unquote

        from . import audit_words

        obj = self.get_object(request, unquote(object_id))
        rows = []
        if obj is not None and self.has_view_or_change_permission(request, obj):
            entries = audit.entries_for(obj)
            words = audit_words.sentences(entries)
            rows = [(audit_words.when(entry), words[entry.pk]) for entry in entries]
        return super().history_view(
            request, object_id, {**(extra_context or {}), "audit_rows": rows}
        )


class AuditedAdminMixin(AuditHistoryMixin):
    """Writes an audit entry (codes and field names only) for every admin save/delete."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            request.user,
            "changed" if change else "created",
            obj,
            {"fields": sorted(form.changed_data)} if change else None,
        )

    def delete_model(self, request, obj):
        audit.record(request.user, "deleted", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(request.user, "deleted", obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(request.user, "created", obj)
        for obj, fields in formset.changed_objects:
            audit.record(request.user, "changed", obj, {"fields": sorted(fields)})
        for obj in formset.deleted_objects:
            audit.record(request.user, "deleted", obj, {"pk": obj.pk} if obj.pk else None)


class ReadOnlyAdminMixin:
    """Records nobody adds, changes or deletes in the admin (they may still be viewed)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def csv_download(filename: str, header: list[str]) -> tuple[HttpResponse, Any]:
    """An attachment response and a writer with the header row written."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    return response, writer


class AccessibleTabularInline(admin.TabularInline):
    """A tabular inline whose inputs have accessible names.

    The stock tabular inline labels its columns with table headers only, so screen
    readers (and axe) find unlabelled inputs; each widget gets its field's label.
    """

    template = "admin/edit_inline/tabular_accessible.html"  # no empty column headers

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for field in formset.form.base_fields.values():
            if field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label).capitalize())

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                # "Delete?" heads the column; each box says which row it deletes.
                if "DELETE" in form.fields:
                    what = str(form.instance) if form.instance.pk else "this row"
                    form.fields["DELETE"].widget.attrs["aria-label"] = f"Delete {what}"

        Labelled.__name__ = formset.__name__
        return Labelled
