"""The project package's own periodic jobs (each app registers its own in
``<app>/periodic.py``); imported by ``MindscapeConfig.ready()``.

Each job calls its function through its module, so a test may replace the function there.
"""

from mindscape import antispam
from mindscape.ops import worker
from mindscape.periodic import Stage, job


@job("stale tasks queued again", stage=Stage.RECOVER)
def requeue_stale() -> int:
    return worker.requeue_stale()


@job("rate-limit counters deleted", stage=Stage.EXPIRE)
def prune_counters() -> int:
    return antispam.prune_counters()
