"""Real processes for the multi-server tests: a private redis-server, gunicorn application
servers on loopback, and a tiny HTTP client that keeps its own cookies (production's cookies
are Secure, which Python's cookie jar would not send over plain HTTP)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, what: str, process: subprocess.Popen, log: Path, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    process.wait()
    raise RuntimeError(f"{what} did not start in {timeout} s:\n{log.read_text()[-3000:]}")


def redis_server_binary() -> str:
    """Debian's redis-server (scripts/ensure-redis.sh installs it), or skip: a failure under
    CI=true, where a missing server must never pass silently."""
    path = os.environ.get("REDIS_SERVER") or shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.access(path, os.X_OK):
        message = f"redis-server not found at {path}: run 'make redis' (or set REDIS_SERVER)."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " Under CI a missing Redis is a failure.", pytrace=False)
        pytest.skip(message)
    return path


class Redis:
    """A private, memory-only redis-server on a free port, in its own folder."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.log = folder / f"redis-{self.port}.log"
        binary = redis_server_binary()
        with self.log.open("w") as out:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [
                    *(binary, "--bind", "127.0.0.1", "--port", str(self.port)),
                    *("--dir", str(folder), "--save", "", "--appendonly", "no"),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.ping, "redis-server", self.process, self.log)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop(self) -> None:
        self.thaw()  # a frozen server cannot act on SIGTERM
        self.process.terminate()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        """SIGSTOP: connections are still accepted by the kernel, nothing is answered."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database pytest created (the private server's unix socket)."""
    query = {"host": settings_dict["HOST"]} if settings_dict["HOST"] else {}
    if settings_dict.get("PORT"):
        query["port"] = settings_dict["PORT"]
    return f"postgres://{settings_dict['USER']}@/{settings_dict['NAME']}" + (
        f"?{urlencode(query)}" if query else ""
    )


class AppServer:
    """gunicorn serving the site with production settings on 127.0.0.1:<free port>."""

    def __init__(self, name: str, folder: Path, env: dict[str, str]):
        self.name = name
        self.port = free_port()
        self.log = folder / f"server-{name}.log"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
        full_env.update(env)
        full_env["DJANGO_SETTINGS_MODULE"] = "tests.deploy.server_settings"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "mindscape.wsgi"),
                    *("--bind", f"127.0.0.1:{self.port}", "--workers", "2"),
                    *("--timeout", "60", "--no-control-socket"),
                ],
                cwd=ROOT,
                env=full_env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(
            lambda: self.client().get("/admin/login/").status == 200,
            f"server {name}",
            self.process,
            self.log,
        )

    def client(self, **kwargs) -> Client:
        return Client(self, **kwargs)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    server: str

    def field(self, name: str) -> str:
        """The value of the form input called ``name``."""
        tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', self.text)
        assert tag, f"no input {name!r} on the page"
        value = re.search(r'value="([^"]*)"', tag.group(0))
        return unescape(value.group(1)) if value else ""


@dataclass
class Client:
    """One visitor of one server; ``forwarded_for`` plays a load balancer in front of it."""

    server: AppServer
    forwarded_for: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60  # seconds to wait for an answer

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode()
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return Response(raw.status, dict(raw.getheaders()), text, self.server.name)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)


def restart_database(seconds_down: float) -> None:
    """What a PostgreSQL restart does to every client of the test database: its connection
    is closed under it, and for a while no new one is accepted."""
    params = connection.settings_dict
    name = params["NAME"]
    admin = psycopg2.connect(
        dbname="postgres", user=params["USER"], host=params["HOST"], port=params["PORT"] or None
    )
    admin.autocommit = True
    connection.close()  # this test's own connection goes too, as in a restart
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            try:
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = %s",
                    [name],
                )
                assert cursor.fetchone()[0] >= 1  # the worker's
                time.sleep(seconds_down)
            finally:
                cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    finally:
        admin.close()
