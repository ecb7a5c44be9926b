"""The screenings' periodic jobs (``manage.py run_periodic``); imported by
``IntakeConfig.ready()``.

Each job calls its function through its module, so a test may replace the function there.
"""

from mindscape.periodic import Stage, job

from . import escalation, retention


@job("screening escalations queued", stage=Stage.ALERT)
def escalate() -> int:
    return escalation.escalate()


@job("left-form alerts queued", stage=Stage.ALERT)
def alert_abandoned_drafts() -> int:
    return escalation.alert_abandoned_drafts()


@job("screenings deleted (retention)", stage=Stage.DELETE)
def delete_expired() -> int:
    return retention.apply()
