"""The project's own table: the forms' rate-limit counters (``mindscape.antispam``).

The clinic's facts and pages are in ``clinic.models``, the audit log in ``audit.models``.
"""

from __future__ import annotations

from django.db import models


class RateLimitCount(models.Model):
    """One fixed-window counter of the forms' rate limits (``mindscape.antispam``) where
    they are counted in PostgreSQL: without Redis, and while Redis does not answer.

    The key is a keyed hash of the scope, window and client or email, never an address.
    Each request adds one with ``INSERT … ON CONFLICT DO UPDATE``, atomic across every
    worker; ``manage.py run_periodic`` deletes counters whose window has ended.
    """

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "rate-limit counter"

    def __str__(self) -> str:
        return f"{self.count} until {self.expires_at:%Y-%m-%d %H:%M}"
