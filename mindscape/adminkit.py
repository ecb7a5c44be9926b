"""Admin building blocks every app uses: audited saves, read-only admins, CSV exports
and accessible inlines.

The audited mixins write to the audit log through two hooks the audit app plugs in when it
is ready (``use_audit_log``), so this package imports no app and the clinic's own admin is
audited like every other.
"""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse


@dataclass(frozen=True)
class AuditLog:
    """What the admin needs of the audit log: ``record(actor, action, obj, detail)`` and a
    record's ``history(obj)`` as (when, sentence) rows, oldest first."""

    record: Callable[..., Any]
    history: Callable[[Any], list[tuple[str, str]]]


_audit_log: list[AuditLog] = []


def use_audit_log(*, record, history) -> None:
    """Called by the audit app's ``ready()``; the admin mixins below write through it."""
    _audit_log[:] = [AuditLog(record=record, history=history)]


def audit_log() -> AuditLog:
    if not _audit_log:
        raise ImproperlyConfigured("No audit log: add the audit app to INSTALLED_APPS.")
    return _audit_log[0]


def csv_safe(value) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas: defuse them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class AuditHistoryMixin:
    """A record's History page reads its audit entries, in the audit log's own words."""

    object_history_template = "admin/audit_history.html"

    def history_view(self, request, object_id, extra_context=None):
        from django.contrib.admin.utils import unquote

        obj = self.get_object(request, unquote(object_id))
        rows = []
        if obj is not None and self.has_view_or_change_permission(request, obj):
            rows = audit_log().history(obj)
        return super().history_view(
            request, object_id, {**(extra_context or {}), "audit_rows": rows}
        )


class AuditedAdminMixin(AuditHistoryMixin):
    """Writes an audit entry (codes and field names only) for every admin save/delete."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log().record(
            request.user,
            "changed" if change else "created",
            obj,
            {"fields": sorted(form.changed_data)} if change else None,
        )

    def delete_model(self, request, obj):
        audit_log().record(request.user, "deleted", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_log().record(request.user, "deleted", obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_log().record(request.user, "created", obj)
        for obj, fields in formset.changed_objects:
            audit_log().record(request.user, "changed", obj, {"fields": sorted(fields)})
        for obj in formset.deleted_objects:
            audit_log().record(request.user, "deleted", obj, {"pk": obj.pk} if obj.pk else None)


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


class CsvExportMixin:
    """The admin's list as filtered on screen, as a CSV download, audited with its number
    of rows.  The admin routes a URL to ``export_view`` and names the file
    (``export_filename``), the header (``export_header``), the audit action
    (``export_action``), who may export (``has_export_permission``) and the rows
    (``export_rows``); every cell is defused with ``csv_safe``.

    A bad filter is answered as the list itself answers it, since the export reads the
    list's own changelist: a parameter the list does not offer is refused (400, Django's
    ``DisallowedModelAdminLookup``), and a value an offered filter cannot use sends the
    browser to the list at ``?e=1``, where Django says so.  Nothing is exported or audited
    then.
    """

    export_filename: str
    export_header: list[str]
    export_action: str

    def has_export_permission(self, request) -> bool:
        raise NotImplementedError

    def export_rows(self, request, queryset) -> Iterable[Iterable[Any]]:
        """One row of values per record of ``queryset`` (the list's, filters applied)."""
        raise NotImplementedError

    def export_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            opts = self.opts
            changelist_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
            return HttpResponseRedirect(f"{changelist_url}?{ERROR_FLAG}=1")
        response, writer = csv_download(self.export_filename, self.export_header)
        count = 0
        for row in self.export_rows(request, changelist.get_queryset(request)):
            writer.writerow([csv_safe(value) for value in row])
            count += 1
        audit_log().record(request.user, self.export_action, None, {"rows": count})
        return response


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
