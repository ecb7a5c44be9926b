"""What every durable outgoing message (booking emails, screening alerts) does with the
outcome of one try: count it, retry with doubling waits, or give up and say so.

A row passed here has ``attempts``, ``last_error``, ``status`` and ``sent_at`` fields and
a ``Status`` with ``SENT`` and ``FAILED``.  ``requeue(pk, run_after)`` puts its id back
on the task queue.  Only the kind of error is kept, never its text (it may quote an
address).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.BOOKING_MESSAGE_RETRY_SECONDS * 2 ** (attempts - 1))


def _fields(row, *names: str) -> list[str]:
    has_updated = any(f.name == "updated_at" for f in row._meta.fields)
    return [*names, "updated_at"] if has_updated else list(names)


def sent(row, *, now: dt.datetime) -> str:
    row.status = row.Status.SENT
    row.attempts += 1
    row.sent_at = now
    row.save(update_fields=_fields(row, "status", "attempts", "sent_at"))
    return row.status


def failed(
    row, error: BaseException, *, now: dt.datetime, requeue: Callable[[int, dt.datetime], None]
) -> str:
    row.attempts += 1
    row.last_error = type(error).__name__[:100]
    if row.attempts >= settings.BOOKING_MESSAGE_MAX_ATTEMPTS:
        row.status = row.Status.FAILED
        logger.error("%s %s failed for good (%s)", row._meta.verbose_name, row.pk, row.last_error)
    row.save(update_fields=_fields(row, "attempts", "last_error", "status"))
    if row.status != row.Status.FAILED:
        requeue(row.pk, now + retry_delay(row.attempts))
    return row.status
