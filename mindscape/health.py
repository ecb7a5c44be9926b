"""Probes for a load balancer or process supervisor.

* ``/healthz``: the process is up and answers.  Touches nothing else, so a database outage
  does not make every server look dead and get restarted in a loop.
* ``/readyz``: this server can serve patients: the database answers, every migration the
  code knows is applied (a server started on new code before ``migrate`` ran is not ready),
  and the caches answer (rate limits, the page cache).  While Redis is away the site
  still serves from PostgreSQL (``mindscape.rediscache``), but this probe says ``cache``:
  what was stored does not come back.  Building the
  migration plan reads every migration file, so once a process has seen its migrations
  applied it does not ask again: a process's code (and its migrations) never changes while
  it runs, and new code comes with new processes (a migration reversed under running
  servers goes unnoticed until they restart).  Until then every probe asks; the database
  and every cache are checked at every probe.

Both answer plain text, are never cached and never redirected to HTTPS
(``SECURE_REDIRECT_EXEMPT``), so a probe over plain HTTP inside the private network works.
A failure names only the failing part's code; details go to the log (the exception's
type, never its message).
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body + "\n", content_type="text/plain; charset=utf-8", status=status)


@never_cache
@require_safe
def healthz(request):
    return _text("ok")


def _database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


# True once this process has seen every migration its code knows applied.
_migrations_applied = False


def _migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrations_applied = True


def _cache() -> None:
    """Every cache answers: the shared one and the page cache (a table of its own without
    Redis: without it every public page would fail)."""
    for cache in caches.all():
        key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
        cache.set(key, value, timeout=30)
        if cache.get(key) != value:
            raise RuntimeError("cache did not return what was stored")
        cache.delete(key)


CHECKS = [("database", _database), ("migrations", _migrations), ("cache", _cache)]


@never_cache
@require_safe
def readyz(request):
    failed: list[str] = []
    for code, check in CHECKS:
        if code == "migrations" and "database" in failed:
            continue  # cannot be known without the database
        try:
            check()
        except Exception as error:  # noqa: BLE001 — any failure means "not ready"
            logger.warning("readyz: %s check failed (%s)", code, type(error).__name__)
            failed.append(code)
    if failed:
        return _text("not ready: " + ", ".join(failed), status=503)
    return _text("ok")
