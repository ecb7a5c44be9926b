"""``make serve``: the site as in production, on loopback, with nothing to configure.

Production settings (``mindscape.settings.prod``) under gunicorn (``gunicorn.conf.py``), with
development stand-ins for what production requires: a secret key and the screening keys
kept in ``.local/`` (the same screening keys as ``make run``, so its demo screenings stay
readable), the private PostgreSQL, loopback hosts, emails printed to the console.  The one
production behaviour switched off is the redirect to HTTPS: on loopback there is no
TLS-terminating proxy in front to send ``X-Forwarded-Proto``.  That is why this refuses to
listen anywhere but loopback.  The one added is ``/media/``: with no proxy to serve the
uploaded images, gunicorn serves them, with the proxy's sandbox headers (mindscape/media.py).

Anything already set in the environment wins (``DATABASE_URL=… make serve``).  Before
gunicorn starts: ``migrate``, ``createcachetable``, ``collectstatic`` and ``render_articles``,
one server of the checkout at a time (``prepare``).  The secrets are made once, whichever
server comes first (``devdb.dev_secret``).

    python -m mindscape.ops.serve [--host 127.0.0.1] [--port 8000] [--workers N]
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shutil
import subprocess
import sys

from . import devdb

BASE_DIR = devdb.BASE_DIR


def local_environment(*, host: str, port: int, environ: dict[str, str]) -> dict[str, str]:
    """The environment production settings need, filled with loopback-safe values."""
    defaults = {
        "DJANGO_SETTINGS_MODULE": "mindscape.settings.prod",
        "SECRET_KEY": devdb.dev_secret("serve-secret.key"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "INTAKE_ENCRYPTION_KEYS": devdb.dev_secret("intake-encryption.key", kind="fernet"),
        "INTAKE_LOOKUP_KEY": devdb.dev_secret("intake-lookup.key"),
        "SITE_URL": f"http://{host}:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    env = {**defaults, **environ}
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = devdb.database_url()
    # Not overridable: plain HTTP is only acceptable because nothing leaves this machine.
    env["SECURE_SSL_REDIRECT"] = "false"
    env["GUNICORN_BIND"] = f"{host}:{port}"
    # No proxy in front either: gunicorn serves the uploaded images itself, sandboxed.
    env["MINDSCAPE_SERVE_MEDIA"] = "true"
    return env


def prepare(env: dict[str, str]) -> None:
    """migrate, createcachetable, collectstatic and render_articles (the articles' kept
    elements, blog/rendered.py), one server of this checkout at a time.

    Two servers started at once (``make serve`` twice, a supervisor starting several) ran
    them side by side: two collectstatic runs delete and rewrite each other's files, and one
    failed.  An exclusive lock on a file in ``.local/`` makes the second wait for the
    first, then find nothing left to do.
    """
    import fcntl

    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    lock_path = BASE_DIR / ".local" / "serve-prepare.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        for command in (
            ["migrate", "--noinput"],
            ["createcachetable"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
            ["render_articles"],
        ):
            subprocess.run([*manage, *command], env=env, cwd=BASE_DIR, check=True)  # noqa: S603


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mindscape.ops.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py's")
    args = parser.parse_args(argv)
    if not _is_loopback(args.host):
        parser.error("serves plain HTTP, so only on loopback; production runs behind TLS")

    env = local_environment(host=args.host, port=args.port, environ=dict(os.environ))
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    prepare(env)

    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    print(f"MindScape as in production: http://{args.host}:{args.port}/  (Ctrl+C stops)")
    sys.stdout.flush()
    os.chdir(BASE_DIR)
    os.execvpe(gunicorn, [gunicorn, "--config", str(BASE_DIR / "gunicorn.conf.py")], env)  # noqa: S606
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
