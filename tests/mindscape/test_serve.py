"""`make serve` runs production settings on loopback with stand-ins for the secrets."""

import subprocess
import sys

import pytest

from mindscape.ops import serve
from tests.builders.mindscape import ROOT

SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER[0], s.LOG_FORMAT, "
    "s.SESSION_COOKIE_SECURE, s.ALLOWED_HOSTS)"
)


def test_production_settings_start_with_the_loopback_stand_ins():
    env = serve.local_environment(
        host="127.0.0.1", port=8123, environ={"DATABASE_URL": "postgres://x@db/clinic"}
    )
    assert env["DJANGO_SETTINGS_MODULE"] == "mindscape.settings.prod"
    assert env["GUNICORN_BIND"] == "127.0.0.1:8123"
    assert len(env["SECRET_KEY"]) >= 50
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=5) == [
        "False",
        "False",  # no redirect to HTTPS: there is no TLS proxy on loopback…
        "HTTP_X_FORWARDED_PROTO",  # …but the proxy header is trusted as in production
        "json",
        "True",
        "['127.0.0.1', 'localhost']\n",
    ]


def test_what_the_environment_sets_wins_except_the_redirect():
    env = serve.local_environment(
        host="127.0.0.1",
        port=8000,
        environ={"DATABASE_URL": "postgres://x@db/clinic", "SECURE_SSL_REDIRECT": "true"},
    )
    assert env["DATABASE_URL"] == "postgres://x@db/clinic"
    assert env["SECURE_SSL_REDIRECT"] == "false"
    assert env["MINDSCAPE_SERVE_MEDIA"] == "true"  # no proxy here to serve /media/


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "clinic.example"])  # noqa: S104
def test_it_refuses_to_listen_beyond_loopback(host, capsys):
    with pytest.raises(SystemExit) as exit_:
        serve.main(["--host", host])
    assert exit_.value.code == 2
    assert "only on loopback" in capsys.readouterr().err
