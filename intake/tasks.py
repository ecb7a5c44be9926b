"""Background tasks for screenings.  Arguments are ids only: the task table is plain text."""

from django_tasks import task

from . import alerts


@task()
def send_staff_alert(alert_id: int) -> str:
    return alerts.send(alert_id)
