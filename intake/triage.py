"""The names ``run_periodic`` calls today; the jobs themselves are in ``escalation.py``.

Delete this module once ``run_periodic`` sends its signal and intake connects its own jobs.
"""

from .escalation import alert_abandoned_drafts, escalate

__all__ = ["alert_abandoned_drafts", "escalate"]
