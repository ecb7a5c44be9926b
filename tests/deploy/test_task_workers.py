"""Any number of task workers share the queue in PostgreSQL: each task runs exactly once.

Two ``manage.py db_worker`` processes drain one queue at the same time (django-tasks-db
claims each row with ``SELECT … FOR UPDATE SKIP LOCKED``).
"""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.deploy.servers import ROOT, database_url
from tests.deploy.tasks import take_a_moment

pytestmark = pytest.mark.django_db(transaction=True)
TASKS = 20


def test_two_workers_run_every_task_once():
    for number in range(TASKS):
        take_a_moment.enqueue(number)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env.update(
        DJANGO_SETTINGS_MODULE="mindscape.settings.test",
        DATABASE_URL=database_url(connection.settings_dict),
    )
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0].decode() for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs

    results = list(DBTaskResult.objects.filter(task_path__endswith="take_a_moment"))
    assert len(results) == TASKS
    assert all(result.status == "SUCCESSFUL" for result in results)
    assert all(len(result.worker_ids) == 1 for result in results)  # claimed once, run once
    assert sorted(result.return_value["number"] for result in results) == list(range(TASKS))
    # Both workers took part, so the test really had them competing for rows.
    assert len({result.return_value["pid"] for result in results}) == 2
