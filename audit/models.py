"""The append-only audit log.

The table keeps the name it had when the model lived in ``mindscape`` (migration audit
0001 moved it without touching the database); the triggers that refuse UPDATE and DELETE
on it were made by mindscape's migration 0002 and stay with the table.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One append-only line of who did what to which record.

    It never holds patient data: the object is a content type, a primary key and a neutral
    label ("Consultation #42"); ``detail`` holds codes and field names, never values.  The
    database refuses UPDATE and DELETE on this table (see mindscape's migration 0002), so entries
    outlive whatever they describe.  Write entries through ``audit.log.record``.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # The one change the database allows on this table (migration 0002): forgetting
        # the link when a staff account is deleted.  The username snapshot stays.
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for actions taken by the system or by a patient.",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_pk = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=120, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        permissions = [("export_auditentry", "Can export the audit log (CSV)")]
        db_table = "mindscape_auditentry"
        indexes = [models.Index(fields=["content_type", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or 'system'} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")
