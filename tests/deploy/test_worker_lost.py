"""A task worker can be lost at any moment (``kill -9``, out of memory, a machine gone) and
PostgreSQL can restart under it: no message may be stranded "queued" for ever.

Real processes: ``manage.py db_worker`` and ``manage.py run_periodic`` with production
settings, sending through a real SMTP conversation to a small server in this test
(tests/deploy/smtp.py) that can hold a worker mid-send so the test can kill it there.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.models import MessageDelivery
from tests.deploy.conftest import server_env
from tests.deploy.servers import ROOT, restart_database
from tests.deploy.smtp import SMTPServer
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db(transaction=True)
MAKE = shutil.which("make") or "/usr/bin/make"
BASH = shutil.which("bash") or "/bin/bash"
STALE_MINUTES = 10  # TASK_STALE_MINUTES's default, which these tests leave alone


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.stop()


@pytest.fixture
def env(settings, smtp, redis):
    settings.BOOKING_STAFF_ALERT_EMAILS = []  # one message a booking: the patient's
    values = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    values.update(server_env(settings, redis.url))
    values.update(smtp.env())
    values.update(
        DJANGO_SETTINGS_MODULE="tests.deploy.server_settings",
        BOOKING_STAFF_ALERT_EMAILS="",
        DATABASE_CONN_MAX_AGE="60",  # production's: the worker keeps its connection
        LOG_LEVEL="INFO",
    )
    values.pop("TASK_STALE_MINUTES", None)
    return values


class Worker:
    """``manage.py db_worker`` in its own process, its output in a file."""

    def __init__(self, env: dict[str, str], log, *extra: str):
        self.log = log
        with log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-startup-delay", *extra],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(env, tmp_path):
    started: list[Worker] = []

    def start(*extra: str, **more_env: str) -> Worker:
        worker = Worker({**env, **more_env}, tmp_path / "worker.log", *extra)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def run_periodic(env: dict[str, str], **more_env: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "run_periodic"],
        cwd=ROOT,
        env={**env, **more_env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def booked() -> MessageDelivery:
    """A consultation booked as a patient books it: its confirmation is queued."""
    location = LocationFactory()
    kind = ConsultationTypeFactory(locations=[location])
    day = timezone.localtime(timezone.now(), location.zone).date() + dt.timedelta(days=3)
    starts_at = dt.datetime.combine(day, dt.time(11), tzinfo=location.zone)
    consultation = book(location, kind, starts_at)
    return MessageDelivery.objects.get(consultation=consultation)


def task_of(delivery: MessageDelivery) -> DBTaskResult:
    tasks = DBTaskResult.objects.filter(task_path__endswith="deliver_message")
    return next(t for t in tasks if t.args_kwargs["args"] == [delivery.pk])


def kill_mid_send(workers, smtp: SMTPServer, delivery: MessageDelivery) -> None:
    """Start a worker, let it reach the mail server with this message, kill -9 it there."""
    smtp.stalled.clear()
    smtp.stall.set()
    worker = workers()
    smtp.wait_for_stall()
    worker.kill()
    assert task_of(delivery).status == "RUNNING"
    delivery.refresh_from_db()
    assert delivery.status == MessageDelivery.Status.QUEUED


def time_passes(delivery: MessageDelivery, minutes: int) -> None:
    """The task claimed by the lost worker started ``minutes`` ago."""
    DBTaskResult.objects.filter(pk=task_of(delivery).pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


def drain(workers) -> None:
    """A worker that runs every task due, then exits."""
    worker = workers("--batch")
    assert worker.process.wait(timeout=120) == 0, worker.log.read_text()[-3000:]


def test_a_message_cut_short_by_a_lost_worker_is_sent_after_the_sweep(env, smtp, workers):
    delivery = booked()
    kill_mid_send(workers, smtp, delivery)
    smtp.stall.clear()

    # Not yet stale: the task might still be running somewhere.
    time_passes(delivery, STALE_MINUTES - 1)
    assert "0 stale tasks queued again" in run_periodic(env)
    assert task_of(delivery).status == "RUNNING"

    time_passes(delivery, STALE_MINUTES + 1)
    assert "1 stale tasks queued again" in run_periodic(env)
    assert task_of(delivery).status == "READY"
    drain(workers)

    assert [recipients for recipients, _ in smtp.messages] == [[delivery.consultation.email]]
    delivery.refresh_from_db()
    assert delivery.status == MessageDelivery.Status.SENT
    assert delivery.attempts == 2  # the try the lost worker began counts
    assert task_of(delivery).status == "SUCCESSFUL"


def test_a_message_whose_row_says_sent_is_not_sent_again(env, smtp, workers):
    delivery = booked()
    drain(workers)
    assert len(smtp.messages) == 1
    # What a worker killed after saving the row, before recording its task, leaves behind.
    DBTaskResult.objects.filter(pk=task_of(delivery).pk).update(status="RUNNING")
    time_passes(delivery, STALE_MINUTES + 1)

    assert "1 stale tasks queued again" in run_periodic(env)
    drain(workers)

    assert len(smtp.messages) == 1
    delivery.refresh_from_db()
    assert delivery.status == MessageDelivery.Status.SENT
    assert task_of(delivery).return_value == "gone"


def test_a_message_whose_every_try_is_cut_short_fails_for_good(env, smtp, workers):
    env["MESSAGE_MAX_ATTEMPTS"] = "2"
    delivery = booked()
    for _ in range(2):
        kill_mid_send(workers, smtp, delivery)
        time_passes(delivery, STALE_MINUTES + 1)
        assert "1 stale tasks queued again" in run_periodic(env)
    smtp.stall.clear()
    drain(workers)

    assert smtp.messages == []
    delivery.refresh_from_db()
    assert delivery.status == MessageDelivery.Status.FAILED
    assert delivery.get_status_display() == "Failed for good"  # what staff see in the admin
    assert (delivery.attempts, delivery.last_error) == (2, "WorkerLost")


def test_the_worker_outlives_a_database_restart(env, smtp, workers):
    worker = workers("--interval", "0.2")
    first = booked()
    smtp.wait_for_messages(1)

    restart_database(seconds_down=3)
    second = booked()
    smtp.wait_for_messages(2, timeout=30, log=worker.log)

    assert worker.process.poll() is None, worker.log.read_text()[-3000:]
    emails = [first.consultation.email, second.consultation.email]
    assert [recipients for recipients, _ in smtp.messages] == [[email] for email in emails]
    for delivery in (first, second):
        delivery.refresh_from_db()
        assert delivery.status == MessageDelivery.Status.SENT


def test_a_task_cut_off_from_the_database_is_run_again(env, smtp, workers):
    """The connection breaks while the worker is in a send: saving the outcome fails
    (``connection already closed``), which ended django-tasks-db's worker.  Ours reconnects
    and runs the task again."""
    worker = workers("--interval", "0.2")
    smtp.stall.set()
    delivery = booked()
    smtp.wait_for_stall()

    restart_database(seconds_down=2)
    smtp.stall.clear()
    smtp.release.set()  # the held conversation ends without a greeting: that try failed
    smtp.wait_for_messages(1, timeout=60, log=worker.log)

    assert worker.process.poll() is None, worker.log.read_text()[-3000:]
    assert [recipients for recipients, _ in smtp.messages] == [[delivery.consultation.email]]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (MessageDelivery.Status.SENT, 2)
    assert task_of(delivery).status == "SUCCESSFUL"
    assert "Database connection lost (InterfaceError)" in worker.log.read_text()


def test_make_run_starts_a_worker_that_exits_again(env, smtp, tmp_path):
    """``make run`` keeps its worker with scripts/keep-running.sh: a worker killed there is
    replaced, the new one sends, and stopping the script stops the worker too."""
    dry_run = subprocess.run(
        [MAKE, "--dry-run", "--always-make", "-o", ".venv/.installed", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert any("keep-running.sh" in line and "db_worker" in line for line in dry_run.splitlines())

    log = tmp_path / "keep-running.log"
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
    with log.open("w") as out:
        keeper = subprocess.Popen(
            [BASH, "scripts/keep-running.sh", *command],
            cwd=ROOT,
            env={**env, "RESTART_DELAY": "0.5"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        first = _worker_of(keeper)
        first.kill()
        second = _worker_of(keeper, not_pid=first.pid)
        assert second.pid != first.pid

        delivery = booked()
        smtp.wait_for_messages(1, timeout=60, log=log)
        assert [recipients for recipients, _ in smtp.messages] == [[delivery.consultation.email]]
    finally:
        keeper.terminate()
        keeper.wait(timeout=30)
    assert not second.is_running() or second.status() == psutil.STATUS_ZOMBIE
    assert "exited (-9)" in log.read_text() or "exited (137)" in log.read_text()


def _worker_of(keeper: subprocess.Popen, not_pid: int = 0, timeout: float = 30):
    """The db_worker process the keeper runs now (not ``not_pid``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in psutil.Process(keeper.pid).children():
            if child.pid != not_pid and "db_worker" in " ".join(child.cmdline()):
                return child
        assert keeper.poll() is None, "keep-running.sh exited"
        time.sleep(0.1)
    raise AssertionError("no worker started")
