"""The periodic work, for cron (every five minutes) or, with --loop, beside the worker in
development: reminders due now, screening escalations and left forms, and retention."""

import time

from django.core.management.base import BaseCommand

from blog.search import prune_zero_results
from booking import retention as booking_retention
from booking.messaging import queue_due_reminders
from intake import retention as intake_retention
from intake import triage


def run_once() -> dict[str, int]:
    anonymised = booking_retention.apply()
    return {
        "reminders queued": queue_due_reminders(),
        "screening escalations queued": triage.escalate(),
        "left-form alerts queued": triage.alert_abandoned_drafts(),
        "screenings deleted (retention)": intake_retention.apply(),
        "consultations anonymised": anonymised["consultations"],
        "call-back requests anonymised": anonymised["callbacks"],
        "searches forgotten": prune_zero_results(),
    }


class Command(BaseCommand):
    help = (
        "Queue due reminders and screening alerts, and apply the retention rules. "
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
            counts = run_once()
            self.stdout.write(", ".join(f"{n} {what}" for what, n in counts.items()))
            if not loop:
                return
            time.sleep(loop)
