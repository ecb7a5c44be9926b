"""The audit log in words: "dana (front desk) booked consultation YYXQX737 outside opening
hours".

Entries store codes (``audit.log``); this module reads them to staff, at display time:
the person with their role, a verb for the action, the record by its own reference (a
booking reference, a screening number, an article's title, a username, never a patient's
name), and the detail in words.  A record deleted since keeps the neutral label stored
with the entry.  Used by the audit log's list, its CSV export and every record's history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mindscape import roles

from . import log
from .models import AuditEntry

# What staff call each kind of record, and the field that names one (None: its number).
RECORD_TYPES: dict[str, tuple[str, str | None]] = {
    "booking.consultation": ("consultation", "reference"),
    "booking.callbackrequest": ("call-back request", None),
    "booking.location": ("location", "name"),
    "booking.consultationtype": ("consultation type", "name"),
    "booking.closure": ("closure", None),
    "booking.openingwindow": ("opening hours", None),
    "booking.messagedelivery": ("message", None),
    "booking.staffcalendarfeed": ("calendar feed", None),
    "intake.screening": ("screening", None),
    "intake.staffalert": ("staff alert", None),
    "blog.article": ("article", "title"),
    "blog.articlerevision": ("revision", None),
    "blog.category": ("category", "name"),
    "blog.tag": ("tag", "name"),
    "blog.contributor": ("contributor", "name"),
    "blog.reference": ("reference", None),
    "clinic.page": ("page", "title"),
    "clinic.clinic": ("clinic details", None),
    "clinic.officehours": ("office hours", None),
    "clinic.clinicclosure": ("clinic closure", None),
    "auth.user": ("staff account", "username"),
    "auth.group": ("role", "name"),
}

# Verbs, written to follow the person and come before the record.
VERBS: dict[str, str] = {
    "consultation_booked": "booked",
    "consultation_rescheduled": "moved",
    "consultation_cancelled": "cancelled",
    "consultation_completed": "marked as completed",
    "consultation_no_show": "marked as a no-show",
    "patient_cancelled": "cancelled",
    "crisis_flag_acknowledged": "marked the crisis wording as seen on",
    "callback_requested": "asked for a call back:",
    "callback_status_changed": "changed the status of",
    "consultations_exported": "exported the consultation list",
    "contacts_anonymised_by_retention": "removed old contact details",
    "message_requeued": "sent again",
    "calendar_feed_created": "made a calendar address",
    "calendar_feed_revoked": "stopped a calendar address",
    "screening_submitted": "sent",
    "screening_viewed": "opened",
    "screening_printed": "printed",
    "screening_history_viewed": "opened the history of",
    "screening_note_added": "added a note to",
    "screening_acknowledged": "acknowledged",
    "screening_became_patient": "marked as a patient",
    "screening_not_patient": "marked as not a patient",
    "screenings_exported": "exported the screening list",
    "screenings_deleted_by_retention": "deleted old screenings",
    "article_submitted": "sent for review",
    "article_returned": "returned to the writer",
    "article_published": "published",
    "article_reviewed": "recorded a medical review of",
    "article_unpublished": "unpublished",
    "published": "published",
    "unpublished": "unpublished",
    "revision_approved": "approved",
    "revision_rejected": "rejected",
    "page_changed": "changed",
    "created": "created",
    "changed": "changed",
    "deleted": "deleted",
    "signed_in": "signed in",
    "signed_out": "signed out",
    "sign_in_failed": "failed to sign in",
    "sign_in_locked": "was locked out of signing in to",
    "sign_in_unlocked": "unlocked sign-in for",
    "second_factor_passed": "passed the second sign-in step",
    "second_factor_failed": "entered a wrong sign-in code",
    "two_factor_enrolled": "set up two-factor sign-in",
    "two_factor_reset": "reset two-factor sign-in for",
    "recovery_codes_issued": "made new recovery codes",
    "password_set": "set the password of",
    "role_changed": "changed the roles of",
    "audit_log_exported": "exported the audit log",
    "task_ran": "ran a task",
}

# Actions with no actor: who did them.
PATIENT_ACTIONS = {
    "patient_cancelled",
    "callback_requested",
    "screening_submitted",
}
NOBODY_SIGNED_IN = {"sign_in_failed", "sign_in_locked"}

SCOPES = {
    "device": "after too many failed sign-ins from one device",
    "address": "after too many failed sign-ins from one address",
    "account": "after too many failed sign-ins from several places",
}


def record_type_name(content_type: ContentType | None) -> str:
    if content_type is None:
        return ""
    key = f"{content_type.app_label}.{content_type.model}"
    if key in RECORD_TYPES:
        return RECORD_TYPES[key][0]
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model


def _references(entries: list[AuditEntry]) -> dict[tuple[int, str], str]:
    """Each record's own reference, one query per kind of record."""
    wanted: dict[int, set[str]] = defaultdict(set)
    types: dict[int, ContentType] = {}
    for entry in entries:
        if entry.content_type_id and entry.object_pk:
            wanted[entry.content_type_id].add(entry.object_pk)
            types[entry.content_type_id] = entry.content_type
    found = {}
    for type_id, pks in wanted.items():
        content_type = types[type_id]
        key = f"{content_type.app_label}.{content_type.model}"
        name, field = RECORD_TYPES.get(key, (record_type_name(content_type), None))
        model = content_type.model_class()
        if model is None:
            continue
        valid = (
            [pk for pk in pks if pk.isdigit()]
            if model._meta.pk.get_internal_type()
            in (
                "AutoField",
                "BigAutoField",
            )
            else list(pks)
        )
        if field is None:
            for pk in model._default_manager.filter(pk__in=valid).values_list("pk", flat=True):
                found[(type_id, str(pk))] = f"{name} #{pk}"
            continue
        rows = model._default_manager.filter(pk__in=valid).values_list("pk", field)
        for pk, value in rows:
            shown = f"“{value}”" if field in ("title", "name") else str(value)
            found[(type_id, str(pk))] = f"{name} {shown}"
    return found


def _roles_of(entries: list[AuditEntry]) -> dict[int, str]:
    ids = {e.actor_id for e in entries if e.actor_id}
    if not ids:
        return {}
    result: dict[int, str] = {}
    users = get_user_model().objects.filter(pk__in=ids).prefetch_related("groups")
    for user in users:
        names = [g.name for g in user.groups.all() if g.name in roles.ROLES]
        if not names and user.is_superuser:
            names = [roles.ADMINISTRATOR]
        result[user.pk] = ", ".join(sorted(n.lower() for n in names))
    return result


def _who(entry: AuditEntry, role_names: dict[int, str]) -> str:
    if entry.actor_username:
        role = role_names.get(entry.actor_id or 0, "")
        return f"{entry.actor_username} ({role})" if role else entry.actor_username
    if entry.action in PATIENT_ACTIONS or (entry.detail or {}).get("by") == "patient":
        return "A patient"
    if entry.action in NOBODY_SIGNED_IN:
        return "Someone"
    return "The system"


def _field_names(entry: AuditEntry, fields: Iterable[str]) -> str:
    model = entry.content_type.model_class() if entry.content_type else None
    names = []
    for name in fields:
        try:
            names.append(str(model._meta.get_field(name).verbose_name))
        except Exception:  # a field since removed, or no model: its code in words
            names.append(str(name).replace("_", " "))
    return ", ".join(names)


def _words(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_words(v) for v in value) or "none"
    return str(value).replace("_", " ")


def _detail(entry: AuditEntry) -> str:
    """The detail as the end of the sentence."""
    detail = dict(entry.detail or {})
    action = entry.action
    detail.pop("by", None)
    parts = []
    if action in ("consultation_booked", "consultation_rescheduled"):
        if detail.pop("schedule_override", False):
            parts.append("outside opening hours")
        else:
            detail.pop("schedule_override", None)
    if "fields" in detail:
        fields = detail.pop("fields")
        parts.append(f"({_field_names(entry, fields)})" if fields else "(nothing changed)")
    if action == "callback_status_changed" and {"from", "to"} <= detail.keys():
        parts.append(f"from {_words(detail.pop('from'))} to {_words(detail.pop('to'))}")
    if action == "sign_in_locked":
        parts.append(SCOPES.get(detail.pop("scope", ""), ""))
        if detail.pop("account", "") == "unknown_user":
            parts.append("(no such account)")
    if action == "role_changed":
        added, removed = detail.pop("groups_added", []), detail.pop("groups_removed", [])
        if added:
            parts.append(f": added {_words(added)}")
        if removed:
            parts.append(f"{';' if added else ':'} removed {_words(removed)}")
    if "rows" in detail:
        parts.append(f"({detail.pop('rows')} rows)")
    if "method" in detail:
        parts.append(f"with {_words(detail.pop('method'))}")
    rest = "; ".join(f"{_words(key)}: {_words(value)}" for key, value in detail.items())
    if rest:
        parts.append(f"({rest})")
    return " ".join(p for p in parts if p).replace(" :", ":").replace(" ;", ";")


def sentences(entries: Iterable[AuditEntry]) -> dict[int, str]:
    """Each entry's sentence, by entry id (a few queries for the lot, not per entry)."""
    entries = list(entries)
    references = _references(entries)
    role_names = _roles_of(entries)
    result = {}
    for entry in entries:
        who = _who(entry, role_names)
        verb = VERBS.get(entry.action, entry.action.replace("_", " "))
        record = ""
        if entry.content_type_id:
            record = references.get((entry.content_type_id, entry.object_pk)) or (
                f"{record_type_name(entry.content_type)} #{entry.object_pk} (since deleted)"
                if entry.object_pk
                else ""
            )
        detail = _detail(entry)
        text = " ".join(p for p in (who, verb, record) if p)
        if detail:
            text += detail if detail.startswith(":") else f" {detail}"
        result[entry.pk] = text.replace(": :", ":")
    return result


def sentence(entry: AuditEntry) -> str:
    return sentences([entry])[entry.pk]


def when(entry: AuditEntry) -> str:
    return f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M}"


def history(obj) -> list[tuple[str, str]]:
    """One record's history for its admin page: (when, sentence) rows, oldest first."""
    entries = log.entries_for(obj)
    said = sentences(entries)
    return [(when(entry), said[entry.pk]) for entry in entries]
