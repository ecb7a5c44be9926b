"""The append-only audit log: ``audit.record(actor, action, obj, detail)``.

Every staff action and every state change of a patient's record writes one entry.  An
entry never holds patient data, and this module enforces it rather than trusting callers:

* the object is stored as content type + primary key + a neutral label built here
  ("Consultation #42"), never the object's ``__str__`` (which may hold a name);
* ``action`` and every string in ``detail`` must be a code or field name
  (lowercase letters, digits, ``_ . : -``): free text and values are refused;
* the actor is a nullable link plus a username snapshot, so entries outlive accounts.

The database itself refuses UPDATE and DELETE on the table (mindscape's migration 0002).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry

_CODE = re.compile(r"^[a-z0-9_.:\-]{1,64}$")


class NotACode(ValueError):
    """Raised when something other than a code would enter the audit log."""


def _check_code(value: str, what: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise NotACode(f"{what} must be a code such as 'status_changed', not free text.")
    return value


def _check_detail(value: Any, path: str = "detail") -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return _check_code(value, path)
    if isinstance(value, list | tuple):
        return [_check_detail(item, f"{path}[]") for item in value]
    if isinstance(value, dict):
        return {
            _check_code(key, f"{path} key"): _check_detail(item, f"{path}.{key}")
            for key, item in value.items()
        }
    raise NotACode(f"{path} holds a {type(value).__name__}; only codes, numbers and flags.")


def neutral_label(obj: models.Model) -> str:
    return f"{obj._meta.verbose_name.capitalize()} #{obj.pk}"


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry.  ``actor`` is a user, or None for the system or a patient."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        action=_check_code(action, "action"),
        detail=_check_detail(detail or {}),
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_pk = str(obj.pk)
        entry.object_label = neutral_label(obj)
    entry.save()
    return entry


def entries_for(obj: models.Model) -> list[AuditEntry]:
    """The history of one record, oldest first (shown on its admin page)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return list(
        AuditEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk)).order_by("at")
    )
