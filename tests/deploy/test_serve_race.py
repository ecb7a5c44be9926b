"""Servers started at once from one checkout: all come up, with one set of secrets.

``make serve`` twice, or a supervisor starting several servers, used to run collectstatic
side by side (one of them failed) and could give each server its own ``SECRET_KEY`` (links
made on one refused by the other) and its own screening key (screenings unreadable).  Real
``python -m mindscape.ops.serve`` processes, each becoming gunicorn, on a fresh static folder
and a fresh secrets folder, and plain processes asking ``devdb.dev_secret`` at one instant.
"""

import http.client
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.deploy.servers import ROOT, database_url, free_port, wait_for

SECRETS = ("serve-secret.key", "intake-encryption.key", "intake-lookup.key")


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def answers(port: int) -> bool:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request("GET", "/admin/login/", headers={"Host": "127.0.0.1"})
        return client.getresponse().status == 200
    finally:
        client.close()


@pytest.mark.django_db(transaction=True)
def test_servers_started_at_once_all_serve_with_one_set_of_secrets(tmp_path):
    secrets_dir = tmp_path / "secrets"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    for name in ("SECRET_KEY", "INTAKE_ENCRYPTION_KEYS", "INTAKE_LOOKUP_KEY"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=database_url(connection.settings_dict),
        STATIC_ROOT=str(tmp_path / "static"),  # fresh: collectstatic has everything to do
        MINDSCAPE_SECRETS_DIR=str(secrets_dir),  # fresh: every secret is made now
        LOG_LEVEL="WARNING",
    )
    servers = []
    try:
        for number in range(3):
            port = free_port()
            log = tmp_path / f"serve-{number}.log"
            with log.open("w") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "mindscape.ops.serve", "--port", str(port)]
                    + ["--workers", "1"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            servers.append((process, port, log))
        for number, (process, port, log) in enumerate(servers):
            wait_for(lambda port=port: answers(port), f"server {number}", process, log, 180)

        made = {name: (secrets_dir / name).read_text().strip() for name in SECRETS}
        for name in SECRETS:
            assert stat.S_IMODE((secrets_dir / name).stat().st_mode) == 0o600, name
        assert sorted(p.name for p in secrets_dir.iterdir()) == sorted(SECRETS)  # no leftovers
        for process, _, _ in servers:  # serve execs gunicorn: the same process
            running = environ_of(process.pid)
            assert running["SECRET_KEY"] == made["serve-secret.key"]
            assert running["INTAKE_ENCRYPTION_KEYS"] == made["intake-encryption.key"]
            assert running["INTAKE_LOOKUP_KEY"] == made["intake-lookup.key"]
    finally:
        for process, _, _ in servers:
            process.terminate()
        for process, _, _ in servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


PREPARE = """
import os, sys, time
from mindscape.ops import serve
env = serve.local_environment(host="127.0.0.1", port=8000, environ=dict(os.environ))
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
serve.prepare(env)
"""


@pytest.mark.django_db(transaction=True)
def test_servers_preparing_at_once_all_succeed(tmp_path):
    """What four servers do before gunicorn starts (migrate, createcachetable,
    collectstatic), begun at one instant on a fresh static folder, three times over: side
    by side, collectstatic failed in one of them in most rounds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env.update(
        DATABASE_URL=database_url(connection.settings_dict),
        MINDSCAPE_SECRETS_DIR=str(tmp_path / "secrets"),
    )
    for round_ in range(3):
        env["STATIC_ROOT"] = str(tmp_path / f"static-{round_}")
        at = str(time.time() + 4)
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", PREPARE, at],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(4)
        ]
        outputs = [run.communicate(timeout=300)[0] for run in runs]
        failed = [out[-2000:] for run, out in zip(runs, outputs, strict=True) if run.returncode]
        assert not failed, f"round {round_}: {failed}"
        assert (tmp_path / f"static-{round_}" / "staticfiles.json").exists()


PROBE = """
import sys, time
from mindscape.ops import devdb
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
print(devdb.dev_secret("race.key"), devdb.dev_secret("race-fernet.key", kind="fernet"))
"""


def test_a_secret_asked_for_by_many_processes_at_one_instant_is_made_once(tmp_path):
    env = {**os.environ, "MINDSCAPE_SECRETS_DIR": str(tmp_path)}
    at = str(time.time() + 4)  # all started and imported by then, then all at once
    probes = [
        subprocess.Popen(
            [sys.executable, "-c", PROBE, at],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(12)
    ]
    results = [probe.communicate(timeout=120) for probe in probes]
    assert all(probe.returncode == 0 for probe in probes), [err for _, err in results]

    values = {out.strip() for out, _ in results}
    made = f"{(tmp_path / 'race.key').read_text()} {(tmp_path / 'race-fernet.key').read_text()}"
    assert values == {made}
    for name in ("race.key", "race-fernet.key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race-fernet.key", "race.key"]
