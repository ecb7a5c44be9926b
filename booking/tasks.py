"""Background tasks (django-tasks, database backend).  Arguments are ids, never personal
data: the task table is stored in plain text."""

from django_tasks import task

from . import messaging


@task()
def deliver_message(delivery_id: int) -> str:
    return messaging.deliver(delivery_id)
