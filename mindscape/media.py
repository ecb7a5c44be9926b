"""Uploaded media served by Django itself: ``make run`` (DEBUG) and ``make serve`` (which
stands in for the proxy, ``SERVE_MEDIA``).  Every response is sandboxed.

Uploads are checked and re-encoded images under names the server makes (blog/images.py),
so nothing else should be there.  These headers are the second line: a file that is not
an image, opened directly, runs no script on the site's origin (``sandbox`` gives it a
unique origin, ``default-src 'none'`` loads nothing) and is never sniffed into HTML.  The
proxy or bucket serving ``/media/`` in production sends the same two (docs/operations.md, Uploads).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.conf.urls.static import static
from django.urls import re_path
from django.views.static import serve as static_serve

HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
}
# Names are random and never reused (blog/images.py), so a day is safe, as the proxy's.
CACHE_CONTROL = "public, max-age=86400"


def serve(request, path: str, document_root=None, show_indexes: bool = False):
    """django.views.static.serve with the headers above (never a directory listing)."""
    response = static_serve(request, path, document_root=document_root)
    for header, value in HEADERS.items():
        response[header] = value  # the site's CSP middleware leaves a set header alone
    response["Cache-Control"] = CACHE_CONTROL
    return response


def urlpatterns() -> list:
    """``MEDIA_URL`` served from ``MEDIA_ROOT`` when DEBUG is on (as static()) or when
    ``make serve`` asks (``SERVE_MEDIA``); else nothing: the proxy or bucket serves it."""
    if settings.DEBUG:
        return static(settings.MEDIA_URL, view=serve, document_root=settings.MEDIA_ROOT)
    prefix = settings.MEDIA_URL
    if not getattr(settings, "SERVE_MEDIA", False) or "://" in prefix or not prefix.strip("/"):
        return []  # a bucket's address, or no prefix of its own: never ours to serve
    return [
        re_path(
            rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.*)$",
            serve,
            kwargs={"document_root": settings.MEDIA_ROOT},
        )
    ]
