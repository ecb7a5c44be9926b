"""Whole-response caching for a named list of public content views, anonymous visitors only.

Only views decorated with ``@public_page`` are cached, and only for GET/HEAD requests
without a session cookie: a form, a search or anything tied to a session is never cached
(those responses are ``no-store``, see ``middleware.no_store_by_default``).

Invalidation is by generation: every content save bumps one counter, and each cached page
remembers the generation it was made in, so all cached pages go stale at once and nothing
has to be enumerated.  A hit costs one round trip to the shared cache: the counter and the
page are fetched together.  A TTL keeps a
scheduled article on time: entries never outlive the next scheduled publication, which
apps report through ``register_horizon``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "pagecache:generation"
BROWSER_MAX_AGE = 60  # seconds a browser may reuse a public page

_horizons: list[Callable[[], dt.datetime | None]] = []


def register_horizon(func: Callable[[], dt.datetime | None]) -> None:
    """``func()`` returns when public content next changes by itself (e.g. a scheduled post)."""
    _horizons.append(func)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def bump(**kwargs) -> None:
    """Make every cached page stale (connected to content models' save/delete signals)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def watch(*models) -> None:
    """Bump the generation whenever one of ``models`` (or its many-to-many links) changes."""
    for model in models:
        uid = f"pagecache-{model._meta.label}"
        post_save.connect(bump, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"{uid}-delete")
        for m2m in model._meta.many_to_many:
            m2m_changed.connect(
                bump, sender=m2m.remote_field.through, dispatch_uid=f"{uid}-{m2m.name}"
            )


def _timeout() -> int:
    timeout = getattr(settings, "PAGE_CACHE_SECONDS", 300)
    now = timezone.now()
    for horizon in _horizons:
        when = horizon()
        if when is not None:
            timeout = min(timeout, max(1, int((when - now).total_seconds()) + 1))
    return timeout


def _cacheable(request) -> bool:
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def public_page(view):
    """Cache this view's whole 200 responses for anonymous visitors."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"pagecache:{request.get_host()}:{path}"
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or generation()
        made_in, response = found.get(key) or (None, None)
        if made_in == current:
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code != 200 or response.cookies:
            return response
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        # Saved with the generation read before rendering: if content changed meanwhile,
        # the next visitor finds it stale rather than an old page passed off as new.
        cache.set(key, (current, response), _timeout())
        return response

    wrapped.public_page = True
    return wrapped
