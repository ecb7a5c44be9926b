"""What every durable outgoing message (booking emails, screening alerts) does around one
try: count it before it is made, then retry with doubling waits, or give up and say so.

A row passed here has ``attempts``, ``last_error``, ``status`` and ``sent_at`` fields and
a ``Status`` with ``SENT`` and ``FAILED``.  ``requeue(pk, run_after)`` puts its id back
on the task queue.  Only the kind of error is kept, never its text (it may quote an
address).

A try is counted (and committed) before the message goes out, so a worker killed in the
middle of a send still used up a try: when its task is queued again (``run_periodic``
re-queues tasks left running by a lost worker) the message is tried again, and one whose
every try was cut short ends "failed for good" instead of looping.  A row that says the
message was sent is never sent again.  The one window left: a worker killed after the mail
server took the message and before the row was saved sends it twice, which is better than
never.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings

logger = logging.getLogger(__name__)

# last_error of a message whose last try never reported back (its worker was lost).
INTERRUPTED = "WorkerLost"


def retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.MESSAGE_RETRY_SECONDS * 2 ** (attempts - 1))


def _fields(row, *names: str) -> list[str]:
    has_updated = any(f.name == "updated_at" for f in row._meta.fields)
    return [*names, "updated_at"] if has_updated else list(names)


def _give_up(row) -> None:
    row.status = row.Status.FAILED
    logger.error("%s %s failed for good (%s)", row._meta.verbose_name, row.pk, row.last_error)


def begin(row) -> bool:
    """Count the try about to be made; False (and the row failed for good) if none is left.

    Call it on a row locked with ``select_for_update`` and commit before sending.  A row
    with no try left here had its last one interrupted: a failure would have said so.
    """
    if row.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
        row.last_error = INTERRUPTED
        _give_up(row)
        row.save(update_fields=_fields(row, "last_error", "status"))
        return False
    row.attempts += 1
    row.save(update_fields=_fields(row, "attempts"))
    return True


def sent(row, *, now: dt.datetime) -> str:
    row.status = row.Status.SENT
    row.sent_at = now
    row.save(update_fields=_fields(row, "status", "sent_at"))
    return row.status


def failed(
    row, error: BaseException, *, now: dt.datetime, requeue: Callable[[int, dt.datetime], None]
) -> str:
    row.last_error = type(error).__name__[:100]
    if row.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
        _give_up(row)
    row.save(update_fields=_fields(row, "last_error", "status"))
    if row.status != row.Status.FAILED:
        requeue(row.pk, now + retry_delay(row.attempts))
    return row.status
