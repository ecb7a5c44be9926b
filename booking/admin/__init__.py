"""The front desk: consultations, call-backs and the schedule.

Times of day, places and statuses never change through the change form: booking, moving
and cancelling are their own pages (POST, calling ``booking.services`` like the patient's
pages do), completing and no-shows are admin actions.  Every change is audited and the
record shows its own history.
"""

from . import callbacks, consultations, deliveries, schedule  # noqa: F401 (registers the pages)
