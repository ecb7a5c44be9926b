"""The periodic work, for cron (every five minutes) or, with --loop, beside the worker in
development: tasks a lost worker left running are queued again first, then screening
escalations and left forms, reminders due now, the retention rules, the search log and the
rate-limit counters whose window has ended.  Each app registers its own jobs (see
``mindscape/periodic.py``): this command imports no app.

Each job runs on its own: one that fails is logged (its name and the traceback, which the
logging filter strips of every exception message) and the others still run; the command
then exits non-zero so cron reports it.  Nothing urgent waits behind housekeeping.
"""

import logging
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from mindscape import periodic

logger = logging.getLogger(__name__)


def jobs() -> list[tuple[str, Callable[[], periodic.Result]]]:
    """(name, job) in the order they run: every app's, from the registry
    (``mindscape/periodic.py``; each app registers its own in ``<app>/periodic.py``)."""
    return [(job.name, job.run) for job in periodic.registry.jobs()]


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


def summary_order(counts: dict[str, int]) -> list[str]:
    """REPORTED first, in its order; then any other count in the order its job ran."""
    return [what for what in REPORTED if what in counts] + [
        what for what in counts if what not in REPORTED
    ]


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
            line = ", ".join(f"{counts[what]} {what}" for what in summary_order(counts))
            if failed:
                line += "; failed: " + ", ".join(failed)
            self.stdout.write(line)
            if not loop:
                break
            time.sleep(loop)
        if failed:
            raise CommandError(f"{len(failed)} periodic job(s) failed: {', '.join(failed)}")
