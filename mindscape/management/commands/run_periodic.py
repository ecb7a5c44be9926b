"""The periodic work, for cron (every five minutes) or, with --loop, beside the worker in
development: reminders due now (later: screening escalations and retention)."""

import time

from django.core.management.base import BaseCommand

from booking.messaging import queue_due_reminders


def run_once() -> dict[str, int]:
    return {"reminders queued": queue_due_reminders()}


class Command(BaseCommand):
    help = "Queue the reminders that are due (and other periodic work). Safe to run often."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="Keep running, once every SECONDS (development; use cron in production).",
        )

    def handle(self, *args, loop: int | None = None, **options):
        while True:
            counts = run_once()
            self.stdout.write(", ".join(f"{n} {what}" for what, n in counts.items()))
            if not loop:
                return
            time.sleep(loop)
