"""The periodic work, for cron (every five minutes) or, with --loop, beside the worker in
development: tasks a lost worker left running are queued again first, then screening
escalations and left forms, reminders due now, the retention rules and the rate-limit
counters whose window has ended.

Each job runs on its own: one that fails is logged (its name and the traceback, which the
logging filter strips of every exception message) and the others still run; the command
then exits non-zero so cron reports it.  Nothing urgent waits behind housekeeping.
"""

import logging
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from blog.search import prune_zero_results
from booking import retention as booking_retention
from booking.tasks import queue_due_reminders
from intake import retention as intake_retention
from intake import triage
from mindscape import worker
from mindscape.antispam import prune_counters

logger = logging.getLogger(__name__)


def _anonymise() -> dict[str, int]:
    counts = booking_retention.apply()
    return {
        "consultations anonymised": counts["consultations"],
        "call-back requests anonymised": counts["callbacks"],
    }


def jobs() -> list[tuple[str, Callable[[], int | dict[str, int]]]]:
    """(name, job) in the order they run; a job returns a count, or counts by name."""
    return [
        ("stale tasks queued again", worker.requeue_stale),
        ("screening escalations queued", triage.escalate),
        ("left-form alerts queued", triage.alert_abandoned_drafts),
        ("reminders queued", queue_due_reminders),
        ("screenings deleted (retention)", intake_retention.apply),
        ("contacts anonymised (retention)", _anonymise),
        ("searches forgotten", prune_zero_results),
        ("rate-limit counters deleted", prune_counters),
    ]


# The summary line keeps the order it always had (cron mails and scripts read it).
REPORTED = (
    "reminders queued",
    "screening escalations queued",
    "left-form alerts queued",
    "screenings deleted (retention)",
    "consultations anonymised",
    "call-back requests anonymised",
    "searches forgotten",
    "rate-limit counters deleted",
    "stale tasks queued again",
)


def run_once() -> tuple[dict[str, int], list[str]]:
    """Run every job; returns the counts and the names of the jobs that failed."""
    counts: dict[str, int] = {}
    failed: list[str] = []
    for name, job in jobs():
        try:
            result = job()
        except Exception:  # any failure: the next job still runs
            logger.exception("Periodic job failed: %s", name)
            failed.append(name)
            continue
        counts.update(result if isinstance(result, dict) else {name: result})
    return counts, failed


class Command(BaseCommand):
    help = (
        "Queue screening alerts and due reminders, and apply the retention rules. "
        "Safe to run often and on several servers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="Keep running, once every SECONDS (development; use cron in production).",
        )

    def handle(self, *args, loop: int | None = None, **options):
        while True:
            counts, failed = run_once()
            line = ", ".join(f"{counts[what]} {what}" for what in REPORTED if what in counts)
            if failed:
                line += "; failed: " + ", ".join(failed)
            self.stdout.write(line)
            if not loop:
                break
            time.sleep(loop)
        if failed:
            raise CommandError(f"{len(failed)} periodic job(s) failed: {', '.join(failed)}")
