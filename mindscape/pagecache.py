"""Whole-response caching for a named list of public content views, anonymous visitors only.

Only views decorated with ``@public_page`` are cached, and only for GET/HEAD requests
without a session cookie: a form, a search or anything tied to a session is never cached
(those responses are ``no-store``, see ``middleware.no_store_by_default``).

Invalidation is by generation: every content save bumps one counter (in the default cache,
beside the rate limits), and each cached page remembers the generation it was made in, so
all cached pages go stale at once and nothing has to be enumerated.  A TTL keeps a
scheduled article on time: entries never outlive the next scheduled publication, which
apps report through ``register_horizon``.

Pages live in a cache of their own (the ``pages`` alias: its own table without Redis, its
own key prefix with it), so a flood of pages can only push out other pages, never a rate
limit or the generation.  Only a bare path, or a list's ``?page=N``, is cached: any other
query string (tracking tags, made-up parameters) is rendered fresh and stored nowhere.

Each process keeps the last ``LOCAL_PAGES`` pages it served, with the generation and
expiry they were stored with, and the generation it last read.  For
``PAGE_CACHE_CHECK_SECONDS`` (default 1) after reading the generation it trusts it and
serves its own copy without asking the shared cache at all; a save in this process makes
it ask at once.  So an edit saved on another server reaches this one's visitors within a
second, well inside the minute a browser may keep the page anyway (``BROWSER_MAX_AGE``).
A generation starts at a random number, so a flushed or restarted shared cache can never
make an old copy look current.

The shared copy is compressed (zlib at its fastest level: an article's 24 KB page becomes
8 KB in 0.06 ms), which makes the database cache's write a third cheaper and Redis hold
three times the pages; this process's own copy stays as it was, so a hit from it
decompresses nothing.

A page rendered on a miss is stored before it is sent (a failed write is logged and costs
only a later render).  When the next scheduled change falls (the horizons) is asked once per
generation and process, not once per page stored: it only moves when content is saved
(a new generation) or when that moment has passed.

``cached_response`` is the same machinery for a view that chooses its own key (search: the
normalised words and the page number).  With ``recheck`` the generation is read from the
shared cache on every request instead of being trusted for a second, so a change saved on
any server shows at once everywhere.  (A change saved while Redis was away is looked for
in PostgreSQL at most once per ``PAGE_CACHE_CHECK_SECONDS`` all the same: after an outage
such a copy may be served for up to that second.)

While Redis does not answer (``rediscache.CacheUnavailable`` on the generation), pages are
rendered from the database and neither served from nor kept in any copy: a content save
meanwhile cannot announce itself, so no copy could be trusted.  Such a change is written
down in PostgreSQL (in the save's transaction), and whichever process next reads the
generation from Redis bumps it first; a process that saw the outage bumps it too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import pickle
import re
import secrets
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from .rediscache import CacheUnavailable

logger = logging.getLogger(__name__)
GENERATION_KEY = "pagecache:generation"
# A content change made while Redis was away, not yet announced (a row of the counter table).
UNANNOUNCED_KEY = "pagecache:unannounced"
BROWSER_MAX_AGE = 60  # seconds a browser may reuse a public page
LOCAL_PAGES = 200  # pages each process keeps in memory (about 40 KB each)
PAGE_QUERY = re.compile(r"(?:page=[1-9][0-9]{0,2})?")  # the only query string cached

_clock = time.monotonic  # how long a generation read is trusted (tests move it)
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


class _Known:
    """The generation this process last read from the shared cache, and when (monotonic);
    ``missed``: a read or a bump failed since (Redis away), so content may have changed
    unseen and the generation is bumped once Redis answers again."""

    value: int | None = None
    read_at: float = 0.0
    missed: bool = False

    @classmethod
    def current(cls) -> int | None:
        """The generation if read less than ``PAGE_CACHE_CHECK_SECONDS`` ago, else None."""
        if cls.value is not None and _clock() - cls.read_at < settings.PAGE_CACHE_CHECK_SECONDS:
            return cls.value
        return None

    @classmethod
    def remember(cls, value: int) -> int:
        cls.value, cls.read_at = value, _clock()
        return value

    @classmethod
    def forget(cls) -> None:
        cls.value = None


def _bump_shared() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _first_generation(), timeout=None)


def bump(**kwargs) -> None:
    """Make every cached page stale (connected to content models' save/delete signals)."""
    _Known.forget()  # this process sees its own saves at once
    try:
        _bump_shared()
    except CacheUnavailable:
        # The save stands; nobody is served cached pages while Redis is away, and the
        # generation is bumped when it answers again.  Not only by this process: another
        # one may reach Redis first, so the change is written down in PostgreSQL, in the
        # save's own transaction, for whichever process next reads the generation.
        _Known.missed = True
        _note_unannounced()
        logger.warning("Page cache: a content change could not be announced (cache away)")


def forget_all() -> None:
    """Every kept page stale at once, in this process and in the shared store: a template
    changed under the development server (``mindscape.devreload``).  A store that does not
    answer leaves the pages to their TTL; the server goes on either way."""
    _local.clear()
    try:
        bump()
    except Exception:  # noqa: BLE001 — never let this stop the development server's reloader
        logger.warning("Page cache: pages could not be made stale after a file change")


def _note_unannounced() -> None:
    from .models import RateLimitCount  # the app's models: imported once apps are ready

    RateLimitCount.objects.update_or_create(
        key=UNANNOUNCED_KEY,
        defaults={"count": 1, "expires_at": timezone.now() + dt.timedelta(days=1)},
    )


def _unannounced() -> bool:
    from .models import RateLimitCount

    return RateLimitCount.objects.filter(key=UNANNOUNCED_KEY).exists()


def _announced() -> None:
    from .models import RateLimitCount

    RateLimitCount.objects.filter(key=UNANNOUNCED_KEY).delete()


def _current_generation(*, recheck: bool = False) -> int | None:
    """The generation to serve and store pages under, or None while the cache is away.

    ``recheck``: read it from the shared cache even if it was read a moment ago."""
    current = None if recheck else _Known.current()
    if current is not None:
        return current
    try:
        # Content may have changed while nobody could say so: seen here, or written down
        # by another process whose bump failed (one query, at most once per
        # PAGE_CACHE_CHECK_SECONDS, even when ``recheck`` reads the generation each time).
        if _Known.missed or (_Known.current() is None and _unannounced()):
            _bump_shared()
            _announced()
            _Known.missed = False
        return _Known.remember(cache.get(GENERATION_KEY) or generation())
    except CacheUnavailable:
        _Known.missed = True
        return None


def current_generation() -> int | None:
    """The content generation as the page cache sees it (trusted for
    ``PAGE_CACHE_CHECK_SECONDS``), or None while the shared cache is away: a key for
    anything else computed from public content."""
    return _current_generation()


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


class _Horizon:
    """The next scheduled change as last asked, and in which generation: asked again
    when the generation changes or the moment has passed."""

    generation: int | None = None
    when: dt.datetime | None = None

    @classmethod
    def next_change(cls, current: int, now: dt.datetime) -> dt.datetime | None:
        if cls.generation != current or (cls.when is not None and cls.when <= now):
            found = [when for when in (horizon() for horizon in _horizons) if when is not None]
            cls.generation, cls.when = current, min(found, default=None)
        return cls.when

    @classmethod
    def forget(cls) -> None:
        cls.generation = cls.when = None


def _timeout(current: int | None = None) -> int:
    """Seconds a page stored now may live; ``current``: the generation it is stored in
    (the horizons are then asked once per generation, else every time)."""
    timeout = getattr(settings, "PAGE_CACHE_SECONDS", 300)
    now = timezone.now()
    if current is None:
        found = [when for when in (horizon() for horizon in _horizons) if when is not None]
        when = min(found, default=None)
    else:
        when = _Horizon.next_change(current, now)
    if when is not None:
        timeout = min(timeout, max(1, int((when - now).total_seconds()) + 1))
    return timeout


def anonymous_read(request) -> bool:
    """A GET or HEAD without a session: the only requests a cached response may answer."""
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _cacheable(request) -> bool:
    return (
        anonymous_read(request)
        and PAGE_QUERY.fullmatch(request.META.get("QUERY_STRING", "")) is not None
    )


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
        _Known.forget()
        _Horizon.forget()


_local = _LocalPages(LOCAL_PAGES)


def _fresh(entry, current) -> bool:
    return entry is not None and entry[0] == current and entry[1] > time.time()


def cached_response(
    request, key: str, render: Callable[[], tuple[HttpResponse, bool]], *, recheck=False
) -> HttpResponse:
    """The response stored under ``key`` in the current generation, else ``render()``'s.

    ``render`` returns the response and whether it may be stored (only a 200 without
    cookies ever is).  While the shared cache is away nothing is served from or kept in
    any copy.  ``recheck``: see the module's docstring."""
    key = f"pagecache:v4:{request.get_host()}:{hashlib.sha256(key.encode()).hexdigest()}"
    current = _current_generation(recheck=recheck)
    if current is None:  # the shared cache is away: render from the database, keep nothing
        return render()[0]
    local = _local.get(key)
    if _fresh(local, current):
        return pickle.loads(local[2])  # noqa: S301 — written by this process
    pages = caches["pages"]
    shared = pages.get(key)
    if _fresh(shared, current):
        pickled = zlib.decompress(shared[2])
        _local.put(key, (*shared[:2], pickled))
        return pickle.loads(pickled)  # noqa: S301 — our own cache
    response, storable = render()
    if not storable or response.status_code != 200 or response.cookies:
        return response
    # Pickled now, as the view made it: later middleware adds per-visitor headers and
    # cookies (a CSRF cookie, the request id) that must never be served to others.
    pickled = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
    # Saved with the generation read before rendering: if content changed meanwhile, the
    # next visitor finds it stale rather than an old page passed off as new.
    try:
        timeout = _timeout(current)
        expires = time.time() + timeout
        pages.set(key, (current, expires, zlib.compress(pickled, 1)), timeout)
        _local.put(key, (current, expires, pickled))
    except Exception:  # a cache outage costs a later render, never this page
        logger.exception("Page cache: a page could not be stored")
    return response


def public_page(view):
    """Cache this view's whole 200 responses for anonymous visitors."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)

        def render() -> tuple[HttpResponse, bool]:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.cookies:
                patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
                patch_vary_headers(response, ["Cookie"])
            return response, True

        return cached_response(request, request.get_full_path(), render)

    wrapped.public_page = True
    return wrapped
