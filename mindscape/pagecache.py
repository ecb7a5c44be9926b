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

Each process also keeps the last ``LOCAL_PAGES`` pages it served, with the generation and
expiry they were stored with.  The generation is still read from the shared cache on every
request; only when it matches is the page taken from memory instead of the shared cache
(a 40 KB value less to fetch and decode).  A generation starts at a random number, so a
flushed or restarted shared cache can never make an old copy look current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "pagecache:generation"
BROWSER_MAX_AGE = 60  # seconds a browser may reuse a public page
LOCAL_PAGES = 200  # pages each process keeps in memory (about 40 KB each)

_horizons: list[Callable[[], dt.datetime | None]] = []


def register_horizon(func: Callable[[], dt.datetime | None]) -> None:
    """``func()`` returns when public content next changes by itself (e.g. a scheduled post)."""
    _horizons.append(func)


def _first_generation() -> int:
    return secrets.randbits(48)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _first_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def bump(**kwargs) -> None:
    """Make every cached page stale (connected to content models' save/delete signals)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _first_generation(), timeout=None)


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


class _LocalPages:
    """This process's recent pages: key → (generation, expires at, pickled response)."""

    def __init__(self, size: int):
        self.size = size
        self._pages: OrderedDict[str, tuple[int, float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[int, float, bytes] | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None:
                self._pages.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple[int, float, bytes]) -> None:
        with self._lock:
            self._pages[key] = entry
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


_local = _LocalPages(LOCAL_PAGES)


def _fresh(entry, current) -> bool:
    return entry is not None and entry[0] == current and entry[1] > time.time()


def public_page(view):
    """Cache this view's whole 200 responses for anonymous visitors."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"pagecache:v2:{request.get_host()}:{path}"
        local = _local.get(key)
        if local is not None:  # the generation alone tells whether our copy is current
            current = cache.get(GENERATION_KEY) or generation()
            if _fresh(local, current):
                return pickle.loads(local[2])  # noqa: S301 — written by this process
            shared = cache.get(key)
        else:
            found = cache.get_many([GENERATION_KEY, key])
            current = found.get(GENERATION_KEY) or generation()
            shared = found.get(key)
        if _fresh(shared, current):
            _local.put(key, shared)
            return pickle.loads(shared[2])  # noqa: S301 — our own cache
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code != 200 or response.cookies:
            return response
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        # Saved with the generation read before rendering: if content changed meanwhile,
        # the next visitor finds it stale rather than an old page passed off as new.
        timeout = _timeout()
        entry = (current, time.time() + timeout, pickle.dumps(response, pickle.HIGHEST_PROTOCOL))
        cache.set(key, entry, timeout)
        _local.put(key, entry)
        return response

    wrapped.public_page = True
    return wrapped
