"""Readying a freshly started application worker before its first request.

gunicorn restarts each worker after about a thousand requests (gunicorn.conf.py).  A new
worker compiles every template it renders the first time (importing the template tag
libraries as it goes) and opens its database connection: on a busy machine the first
visitor after a restart waited tens of milliseconds more for each, and the first
``{% url %}`` built the whole reverse-lookup table (every admin URL included: 60 ms here).
``warm()`` does that work at start-up instead, for the site's own templates (the public
pages; the admin's are left to compile on use).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# Apps' own start-up work (registered from their ready()), done by warm() too.
_at_start: list[Callable[[], object]] = []


def at_start(work: Callable[[], object]) -> None:
    """Have ``warm()`` do ``work`` as well: an app's own work that would otherwise fall on
    a worker's first visitor (blog: the digest of the code its kept elements are keyed by)."""
    if work not in _at_start:
        _at_start.append(work)


def warm() -> int:
    """Compile the site's templates into the cached loader, build the URL reverse table,
    do the apps' start-up work (``at_start``) and connect; return how many templates were
    compiled."""
    from django.db import DatabaseError, connection
    from django.template import TemplateSyntaxError, engines
    from django.urls import reverse

    reverse("home")  # builds the resolver's reverse table for every URL at once

    engine = engines["django"]
    folder = Path(settings.BASE_DIR) / "templates"
    compiled = 0
    for path in sorted(folder.rglob("*.html")):
        name = path.relative_to(folder).as_posix()
        try:
            engine.get_template(name)
            compiled += 1
        except TemplateSyntaxError:  # reported when the page is requested, as before
            logger.warning("Template %s does not compile", name)
    for work in _at_start:
        work()
    try:
        connection.ensure_connection()
    except DatabaseError:  # /readyz says so; the first request tries again
        logger.warning("No database connection at worker start")
    return compiled
