"""Booking's periodic jobs (``manage.py run_periodic``); imported by ``BookingConfig.ready()``.

Each job calls its function through its module, so a test may replace the function there.
"""

from mindscape.periodic import Stage, job

from . import retention, tasks


@job("reminders queued", stage=Stage.REMIND)
def queue_due_reminders() -> int:
    return tasks.queue_due_reminders()


@job("contacts anonymised (retention)", stage=Stage.ANONYMISE)
def anonymise() -> dict[str, int]:
    counts = retention.apply()
    return {
        "consultations anonymised": counts["consultations"],
        "call-back requests anonymised": counts["callbacks"],
    }
