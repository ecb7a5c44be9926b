"""The task worker's two safety nets: a worker that outlives a database restart, and a sweep
that runs again the tasks a lost worker left "running".

django-tasks-db marks a task RUNNING when a worker claims it and finished when the task
returns.  A worker killed in between (``kill -9``, out of memory, a machine lost) leaves it
RUNNING for ever, and its message "queued".  ``requeue_stale()`` (a ``run_periodic`` job)
puts every task running for longer than ``TASK_STALE_MINUTES`` back in the queue; our tasks
are safe to run again (a message row that says sent is not sent again; see
``mindscape.delivery``).

django-tasks-db's worker exits when its database connection breaks under it (PostgreSQL
restarted: ``InterfaceError: connection already closed``).  ``Worker`` (our ``db_worker``
command) waits for the database instead, reconnects, and puts back the task it was running
when the connection broke.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

DATABASE_GONE = (OperationalError, InterfaceError)
RECONNECT_FIRST_WAIT = 1.0  # seconds; doubles up to RECONNECT_LONGEST_WAIT
RECONNECT_LONGEST_WAIT = 30.0


def _back_in_queue(queryset) -> int:
    return queryset.update(status=TaskResultStatus.READY, started_at=None)


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Queue again the tasks running for longer than TASK_STALE_MINUTES (worker lost)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.TASK_STALE_MINUTES)
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .only("id", "task_path", "started_at")
        )
        for task in stale:
            logger.warning(
                "Task %s (%s) running since %s: its worker was lost; queued again",
                task.id,
                task.task_path.rsplit(".", 1)[-1],
                task.started_at.isoformat(timespec="seconds"),
            )
        return _back_in_queue(DBTaskResult.objects.filter(pk__in=[t.pk for t in stale]))


class Worker(upstream.Worker):
    """django-tasks-db's worker, which waits out a database restart instead of exiting."""

    current: DBTaskResult | None = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # Kept when the task's end cannot be recorded (the exception leaves run_task):
        # run() puts that task back once the database answers again.
        self.current = db_task_result
        super().run_task(db_task_result)
        self.current = None

    def run(self) -> None:
        while True:
            try:
                super().run()
                return
            except DATABASE_GONE as error:
                if not self.running:  # asked to stop: no need to wait for the database
                    raise
                interrupted, self.current = self.current, None
                logger.warning(
                    "Database connection lost (%s); worker %s reconnects",
                    type(error).__name__,
                    self.worker_id,
                )
            self.startup_delay = False
            self._reconnect(interrupted)

    def _reconnect(self, interrupted: DBTaskResult | None) -> None:
        """Wait (doubling, up to RECONNECT_LONGEST_WAIT) until the database answers, then
        put back the task the broken connection interrupted.  SIGTERM still stops it."""
        wait = RECONNECT_FIRST_WAIT
        while True:
            connections.close_all()
            time.sleep(wait)
            try:
                connection.ensure_connection()
                if interrupted is not None:
                    self._put_back(interrupted)
            except DATABASE_GONE:
                wait = min(wait * 2, RECONNECT_LONGEST_WAIT)
                continue
            logger.warning("Worker %s reconnected to the database", self.worker_id)
            return

    def _put_back(self, task: DBTaskResult) -> None:
        """The task this worker was running when the connection broke: it never finished
        (or its end was never recorded), so it goes back in the queue, as the sweep would
        put it after TASK_STALE_MINUTES."""
        mine = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, worker_ids=task.worker_ids
        )
        if _back_in_queue(mine):
            logger.warning("Task %s interrupted by the lost connection: queued again", task.pk)
