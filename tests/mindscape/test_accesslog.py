"""Gunicorn's access and error lines hold no query string, token, referrer, header or full
client address, whatever the format asks for (mindscape/accesslog.py, gunicorn.conf.py)."""

import datetime as dt
import http.client
import io
import json
import logging
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver, reverse
from gunicorn.config import Config

from mindscape.accesslog import PrivateLogger, client_network

ROOT = Path(__file__).resolve().parents[2]
CONF = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
TOKEN = "Sh0rt-t0k"  # short on purpose: caught by where it is, not by its shape


def token_urls():
    """(name, path) of every URL pattern that takes a ``token``, with TOKEN in it."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif "token" in pattern.pattern.converters:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, reverse(name, kwargs={"token": TOKEN})

    return sorted(walk(get_resolver().url_patterns, None))


class Response:
    def __init__(self, status="200 OK", headers=(), sent=5120):
        self.status, self.headers, self.sent = status, list(headers), sent


class Request:
    def __init__(self, headers=()):
        self.headers = list(headers)


def environ_for(path, query="", method="GET", remote="203.0.113.77", **extra):
    raw = path + (f"?{query}" if query else "")
    return {
        "REQUEST_METHOD": method,
        "RAW_URI": raw,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": remote,
        "HTTP_USER_AGENT": "Mozilla/5.0",
        **extra,
    }


@pytest.fixture
def gunicorn_logs(monkeypatch):
    """``make(log_format, access_log_format=None)`` → (logger, access stream, error stream)."""
    made = []

    def make(log_format="json", access_log_format=None):
        monkeypatch.setenv("LOG_FORMAT", log_format)
        cfg = Config()
        for key in ("accesslog", "errorlog", "loglevel", "access_log_format"):
            cfg.set(key, CONF[key])
        if access_log_format:
            cfg.set("access_log_format", access_log_format)
        logger = PrivateLogger(cfg)
        streams = []
        for log in (logger.access_log, logger.error_log):
            stream = io.StringIO()
            for handler in log.handlers:
                handler.setStream(stream)
            streams.append(stream)
        made.append(logger)
        return logger, *streams

    yield make
    for logger in made:
        for log in (logger.access_log, logger.error_log):
            for handler in list(log.handlers):
                log.removeHandler(handler)


def access_line(logger, stream, environ, request_headers=(), response_headers=()):
    logger.access(
        Response(headers=response_headers),
        Request(request_headers),
        environ,
        dt.timedelta(milliseconds=42),
    )
    return stream.getvalue().strip().splitlines()[-1]


def test_the_urls_with_tokens_are_the_known_private_links():
    assert [name for name, _ in token_urls()] == [
        "booking:calendar",
        "booking:cancel",
        "booking:manage",
        "booking:move",
        "booking:staff-calendar",
        "intake:resume",
    ]


@pytest.mark.parametrize(("name", "path"), token_urls())
def test_every_token_in_a_path_is_replaced(gunicorn_logs, name, path):
    logger, access, _ = gunicorn_logs("text")
    line = access_line(logger, access, environ_for(path))
    assert TOKEN not in line
    assert "/[token]" in line


def test_a_json_access_line(gunicorn_logs):
    logger, access, _ = gunicorn_logs("json")
    request_id = "5d2f0c4e9a8b4c1d9e7f6a5b4c3d2e1f"
    line = access_line(
        logger,
        access,
        environ_for("/consultation/manage/eyJyIjoiQUJDIn0:1vYw2x:AbCdEf/", query="x=1"),
        response_headers=[("X-Request-ID", request_id)],
    )
    entry = json.loads(line)
    assert entry["logger"] == "gunicorn.access"
    assert entry["request_id"] == request_id
    assert entry["message"] == (
        '203.0.113.0/24 "GET /consultation/manage/[token]/ HTTP/1.1" status=200 bytes=5120 '
        f'ms=42 request_id={request_id} agent="Mozilla/5.0"'
    )


def test_no_query_string_referrer_header_or_full_address(gunicorn_logs):
    logger, access, _ = gunicorn_logs("text")
    environ = environ_for(
        "/search/",
        query="q=ada.lovelace%40example.com+sertraline",
        remote="2001:db8:85a3:8d3:1319:8a2e:370:7348",
        HTTP_REFERER="https://www.mindscape.example/intake/resume/abc/",
        HTTP_COOKIE="sessionid=s3cr3t",
    )
    headers = [("Cookie", "sessionid=s3cr3t"), ("Referer", environ["HTTP_REFERER"])]
    line = access_line(logger, access, environ, request_headers=headers)
    assert '"GET /search/ HTTP/1.1"' in line
    assert "2001:db8:85a3::/48" in line
    for secret in ("ada", "lovelace", "sertraline", "s3cr3t", "resume", "7348", "?"):
        assert secret not in line.lower(), secret


def test_a_format_asking_for_everything_still_gets_nothing_private(gunicorn_logs):
    hostile = (
        '%(h)s %(u)s "%(r)s" %(q)s "%(f)s" %({cookie}i)s %({referer}i)s %({query_string}e)s '
        "%({http_cookie}e)s %({set-cookie}o)s"
    )
    logger, access, _ = gunicorn_logs("text", access_log_format=hostile)
    environ = environ_for(
        "/intake/resume/" + TOKEN + "/",
        query="c=signed-consultation-token",
        HTTP_COOKIE="sessionid=s3cr3t",
        HTTP_AUTHORIZATION="Basic YWRhOnB3",  # ada:pw
    )
    line = access_line(
        logger,
        access,
        environ,
        request_headers=[("Cookie", "sessionid=s3cr3t"), ("Referer", "/consultation/manage/x/")],
        response_headers=[("Set-Cookie", "sessionid=n3w")],
    )
    assert '"GET /intake/resume/[token]/ HTTP/1.1"' in line
    for secret in (TOKEN, "signed-consultation", "s3cr3t", "n3w", "ada", "manage", "77"):
        assert secret not in line, secret


def test_the_error_log_is_filtered_and_json(gunicorn_logs):
    logger, _, errors = gunicorn_logs("json")
    logger.exception(
        "Error handling request %s %s", "GET", "/intake/resume/" + TOKEN + "/?email=a@b.example"
    )
    entry = json.loads(errors.getvalue().strip().splitlines()[-1])
    assert entry["logger"] == "gunicorn.error"
    assert entry["message"] == "Error handling request GET /intake/resume/[token]/?[filtered]"


def test_text_lines_start_with_the_time(gunicorn_logs):
    logger, access, _ = gunicorn_logs("text")
    line = access_line(logger, access, environ_for("/healthz"))
    assert line[:4].isdigit() and ' "GET /healthz HTTP/1.1" status=200' in line


@pytest.mark.parametrize(
    ("address", "network"),
    [("203.0.113.77", "203.0.113.0/24"), ("::1", "::/48"), ("", "-"), ("unix:/x", "-")],
)
def test_client_network(address, network):
    assert client_network(address) == network


def test_gunicorn_settings(monkeypatch):
    assert CONF["control_socket_disable"] is True
    assert CONF["preload_app"] is False  # a HUP loads the new code in the new workers
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)
    default = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert default["timeout"] == 30
    # A reload or stop lets a request run as long as the timeout would have.
    assert default["graceful_timeout"] >= default["timeout"]
    # Idle connections from the proxy are kept a little, never as long as a request may run.
    assert 0 < default["keepalive"] < default["timeout"]
    monkeypatch.setenv("GUNICORN_TIMEOUT", "45")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"] == 45
    assert CONF["logger_class"] == "mindscape.accesslog.PrivateLogger"
    assert CONF["max_requests"] > 0 and CONF["max_requests_jitter"] > 0
    assert CONF["workers"] >= 3  # 2 × cores + 1 unless WEB_CONCURRENCY says otherwise
    for atom in ("%(r)s", "%(q)s", "%(f)s", "{cookie}i"):
        assert atom not in CONF["access_log_format"]
    assert logging.getLogger("gunicorn.access").propagate is False


@pytest.mark.django_db  # the worker connects (mindscape/warmup.py): to the test database
def test_a_hup_reloads_without_dropping_a_request_in_flight(tmp_path):
    """``kill -HUP`` (``systemctl reload``) while a request is half received: the old worker
    finishes it, a new worker serves everyone else meanwhile."""
    from tests.builders.mindscape import fetch, gunicorn_environment
    from tests.deploy.servers import free_port, wait_for

    port = free_port()
    env = {**gunicorn_environment(port), "LOG_LEVEL": "WARNING"}  # one worker, as configured
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        master = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(base, "/healthz") == 200, "gunicorn", master, log)
        # The only worker takes a request whose last header line has not arrived yet.
        slow = socket.create_connection(("127.0.0.1", port), timeout=20)
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.3)
        os.kill(master.pid, signal.SIGHUP)
        # Served meanwhile: by a new worker, as the old one is still busy.
        fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        fresh.request("GET", "/healthz")
        assert fresh.getresponse().status == 200
        fresh.close()
        slow.sendall(b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := slow.recv(4096):
            answer += chunk
        slow.close()
        assert answer.startswith(b"HTTP/1.1 200 "), (answer, log.read_text())
        assert answer.endswith(b"\r\n\r\nok\n")
    finally:
        master.terminate()
        master.wait(timeout=30)
    assert "Handling signal: hup" in log.read_text()
