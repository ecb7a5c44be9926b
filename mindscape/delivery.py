"""A durable outgoing message (a booking email, a screening alert): the row that says what
became of it, and the rules of its tries.

``OutboundMessage`` is the abstract model both ``booking.MessageDelivery`` and
``intake.StaffAlert`` inherit: status, attempts, the kind of the last error (never its text:
it may quote an address), when it was created, last changed and sent.  Each app's
``tasks.py`` queues its messages, sends them and puts a failed one back on the queue at the
time ``record_failure()`` gives; what a message says is built by the app's content module
(``booking/messaging.py``, ``intake/alerts.py``).

A try is counted (and committed) before the message goes out (``record_attempt()``), so a
worker killed in the middle of a send still used up a try: when its task is queued again
(``run_periodic`` re-queues tasks left running by a lost worker) the message is tried again,
and one whose every try was cut short ends "failed for good" instead of looping.  A row
that says the message was sent is never sent again.  The one window left: a worker killed
after the mail server took the message and before the row was saved sends it twice, which
is better than never.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# last_error of a message whose last try never reported back (its worker was lost).
INTERRUPTED = "WorkerLost"


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed try: MESSAGE_RETRY_SECONDS, doubling."""
    return dt.timedelta(seconds=settings.MESSAGE_RETRY_SECONDS * 2 ** (attempts - 1))


class OutboundMessage(models.Model):
    """One message to send and what became of it.

    A subclass declares its own ``Status`` (with at least the four below, which the
    methods set) and its ``status`` field with those choices.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"
        DROPPED = "dropped", "Dropped (no longer true)"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(
        max_length=100, blank=True, help_text="The kind of error only, never its text."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def record_attempt(self) -> bool:
        """Count the try about to be made; False (and the row failed for good) if none is left.

        Call it on a row locked with ``select_for_update`` and commit before sending.  A row
        with no try left here had its last one interrupted: a failure would have said so.
        """
        if self.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
            self.last_error = INTERRUPTED
            self._give_up()
            self.save(update_fields=["last_error", "status", "updated_at"])
            return False
        self.attempts += 1
        self.save(update_fields=["attempts", "updated_at"])
        return True

    def send_with(
        self, send: Callable[[], object], *, now: dt.datetime | None = None
    ) -> dt.datetime | None:
        """Make the try counted by ``record_attempt()`` (outside any transaction) and record
        what became of it; return when to try again, or None (sent, or failed for good)."""
        try:
            send()
        except Exception as error:  # any backend failure: count it, retry later or give up
            return self.record_failure(error, now=now)
        self.record_sent(now=now)
        return None

    def record_sent(self, *, now: dt.datetime | None = None) -> None:
        self.status = self.Status.SENT
        self.sent_at = now or timezone.now()
        self.save(update_fields=["status", "sent_at", "updated_at"])

    def record_failure(
        self, error: BaseException, *, now: dt.datetime | None = None
    ) -> dt.datetime | None:
        """Keep the kind of ``error``; return when to try again (doubling waits), or None
        when that was the last try and the row is failed for good."""
        self.last_error = type(error).__name__[:100]
        if self.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
            self._give_up()
        self.save(update_fields=["last_error", "status", "updated_at"])
        if self.status == self.Status.FAILED:
            return None
        return (now or timezone.now()) + retry_delay(self.attempts)

    def record_dropped(self) -> None:
        """Not sent, and never will be: what it would say is no longer true."""
        self.status = self.Status.DROPPED
        self.save(update_fields=["status", "updated_at"])

    def _give_up(self) -> None:
        self.status = self.Status.FAILED
        logger.error(
            "%s %s failed for good (%s)", self._meta.verbose_name, self.pk, self.last_error
        )
