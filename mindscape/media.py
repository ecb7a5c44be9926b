"""Uploaded media served by Django itself (``make run``; any later server that mounts
``urlpatterns()``): every response is sandboxed.

Uploads are checked and re-encoded images under names the server makes (blog/images.py),
so nothing else should be there.  These headers are the second line: a file that is not
an image, opened directly, runs no script on the site's origin (``sandbox`` gives it a
unique origin, ``default-src 'none'`` loads nothing) and is never sniffed into HTML.  The
proxy or bucket serving ``/media/`` in production sends the same two (README, Deployment).
"""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.views.static import serve as static_serve

HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
}


def serve(request, path: str, document_root=None, show_indexes: bool = False):
    """django.views.static.serve with the headers above (never a directory listing)."""
    response = static_serve(request, path, document_root=document_root)
    for header, value in HEADERS.items():
        response[header] = value  # the site's CSP middleware leaves a set header alone
    return response


def urlpatterns() -> list:
    """``MEDIA_URL`` served from ``MEDIA_ROOT`` when DEBUG is on, else nothing (as static())."""
    return static(settings.MEDIA_URL, view=serve, document_root=settings.MEDIA_ROOT)
