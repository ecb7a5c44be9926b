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
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def warm() -> int:
    """Compile the site's templates into the cached loader, build the URL reverse table
    and connect; return how many templates were compiled."""
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
    try:
        connection.ensure_connection()
    except DatabaseError:  # /readyz says so; the first request tries again
        logger.warning("No database connection at worker start")
    return compiled
