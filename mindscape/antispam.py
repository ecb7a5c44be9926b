"""Spam and abuse defences for the public forms, without a third-party CAPTCHA.

Three layers, each cheap for people and costly for scripts:

1. A honeypot: a text field people never see (hidden by the ``form-extra`` class in
   ``static/css/site.css``, out of the tab order, hidden from assistive technology and
   labelled "leave this empty" for anyone who meets it anyway).  Scripts that fill every
   field fill it too.
2. A minimum fill time: the form carries a signed "form started at" timestamp; a form sent
   back sooner than ``ANTISPAM_MIN_FILL_SECONDS`` (default 3) after it was shown, or with a
   missing or forged timestamp, is refused.  ``0`` turns the check off (the test settings).
   A maximum age too: a form sent back more than ``ANTISPAM_MAX_FORM_AGE_SECONDS`` (default
   4 hours) after it was shown is refused, so a token cannot be harvested once and replayed
   for ever.  Whenever a form is shown again after a refusal it carries a fresh start time,
   so a person refused for age (or anything else) only has to send it again.
3. Rate limits per client IP and per email address, counted where every worker sees them:
   in Redis when ``REDIS_URL`` is set, otherwise (and while Redis does not answer) in a
   counter table in PostgreSQL (``RateLimitCount``).  Settings::

       ANTISPAM_RATE_LIMITS = {"ip": (10, 3600), "email": (5, 3600)}  # (limit, window seconds)

   A scope that is missing, or has a limit or window of 0, is not limited.  The client IP is
   ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` (default 0) says how many proxies of our
   own add to ``X-Forwarded-For``; then it is the address that many entries from the right
   (entries further left are written by the client and cannot be trusted).

Forms inherit ``AntiSpamForm`` (layers 1 and 2, in ``clean()``); views that need layer 3
call ``check_rate_limits(request, email=...)`` once the form is valid, which raises
``RateLimited`` with a polite message for the visitor.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.crypto import salted_hmac

from .models import RateLimitCount
from .rediscache import CacheUnavailable
from .widgets import PlainHiddenInput, PlainTextInput

logger = logging.getLogger(__name__)

DEFAULT_MIN_FILL_SECONDS = 3
DEFAULT_MAX_FORM_AGE_SECONDS = 4 * 3600
DEFAULT_RATE_LIMITS = {"ip": (10, 3600), "email": (5, 3600)}
SIGNING_SALT = "mindscape.antispam.form-started"
KEY_SALT = "mindscape.antispam.rate-limit"
MAX_TOKEN_LENGTH = 200

# One message for a honeypot hit and for a form sent too fast.  It must not tell a bot which
# trap it fell into (a specific "you filled the hidden field" teaches it to skip that field),
# yet a person who meets it — a browser that autofilled the hidden field, or someone very
# quick with autofill — only has to press send again: the re-rendered form keeps everything
# typed, empties the hidden field and keeps (or renews) the start time.
RETRY_MESSAGE = (
    "Sorry, we couldn't send that just yet. Please check your details below, "
    "then send the form again."
)
# A form left open for hours: nothing a bot can learn from, so it may say what happened.
EXPIRED_MESSAGE = (
    "This page was open for a long time, so for your security we didn't send it. "
    "Everything you typed is still below: please check it, then send the form again."
)


# --- 1 and 2: in the form ---------------------------------------------------------------------


def min_fill_seconds() -> float:
    return float(getattr(settings, "ANTISPAM_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS))


def max_form_age_seconds() -> float:
    return float(getattr(settings, "ANTISPAM_MAX_FORM_AGE_SECONDS", DEFAULT_MAX_FORM_AGE_SECONDS))


def started_token(now: float | None = None) -> str:
    """A signed "form started at" timestamp for the hidden field."""
    return signing.dumps(round(time.time() if now is None else now, 3), salt=SIGNING_SALT)


def started_at(token: str | None) -> float | None:
    """The time a token was issued, or None when it is missing, forged or malformed."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        value = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def sent_too_fast(token: str | None) -> bool:
    """True when the form came back sooner than the minimum fill time, or without a valid
    timestamp.  Always False when the minimum is 0."""
    minimum = min_fill_seconds()
    if minimum <= 0:
        return False
    started = started_at(token)
    return started is None or time.time() - started < minimum


def too_old(token: str | None) -> bool:
    """True when a valid token was issued more than the maximum form age ago (``0`` turns
    the check off).  A missing or forged token is ``sent_too_fast``'s business."""
    maximum = max_form_age_seconds()
    started = started_at(token)
    return maximum > 0 and started is not None and time.time() - started > maximum


class HoneypotField(forms.CharField):
    """A text field people leave empty (they never see it); anything in it marks a bot."""

    widget = PlainTextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        kwargs.setdefault("label", "Leave this field empty")
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "tabindex": "-1", "autocomplete": "off"}

    def bound_data(self, data, initial):
        # Never echo it back: a person whose browser filled it in can simply send again.
        return ""


class FormStartedField(forms.CharField):
    """The hidden, signed "form started at" timestamp."""

    widget = PlainHiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)  # a missing value is judged in clean()
        kwargs.setdefault("initial", started_token)
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        # A bound form is shown again only after a refusal (a valid one redirects), and then
        # it gets a fresh start time: keeping the old one would refuse a person refused for
        # age for ever, and a missing or forged one must not stick either.  The minimum
        # fill time counts again from the new page, which a person never notices.
        return initial


class AntiSpamForm(forms.Form):
    """Adds the honeypot and the fill-time check.  Render both fields in the template:
    the honeypot inside ``<div class="form-extra" aria-hidden="true">`` with its label."""

    website = HoneypotField()
    form_started = FormStartedField()

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("website"):
            logger.info("Form refused: honeypot filled in")
            self.add_error(None, forms.ValidationError(RETRY_MESSAGE, code="retry"))
        elif sent_too_fast(self.cleaned_data.get("form_started")):
            logger.info("Form refused: sent too fast or without a valid start time")
            self.add_error(None, forms.ValidationError(RETRY_MESSAGE, code="retry"))
        elif too_old(self.cleaned_data.get("form_started")):
            logger.info("Form refused: start time older than the maximum form age")
            self.add_error(None, forms.ValidationError(EXPIRED_MESSAGE, code="expired"))
        return data


# --- 3: rate limits, in the view -------------------------------------------------------------


class RateLimited(Exception):
    """Too many submissions from one connection (``scope="ip"``) or for one email address."""

    def __init__(self, scope: str, window: int):
        super().__init__(scope)
        self.scope = scope
        self.window = window

    def message(self, phone: str = "") -> str:
        source = "from this connection" if self.scope == "ip" else "for this email address"
        call = f", or call us on {phone}" if phone else ""
        return (
            f"We've had several requests {source} in a short time. "
            f"Please try again in {_duration(self.window)}{call}."
        )


def _duration(seconds: int) -> str:
    if seconds >= 3600:
        hours = round(seconds / 3600)
        return "an hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, round(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def _normalised_ip(value: str) -> str:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        # One subscriber usually holds a whole /64: count it as one client.
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_ip(request) -> str:
    """The client's address (an IPv6 client as its /64), trusting ``X-Forwarded-For`` only
    as far as ``TRUSTED_PROXY_COUNT`` of our own proxies wrote it."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            # Fewer entries than proxies: the first one is the furthest address we know.
            candidate = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
            found = _normalised_ip(candidate)
            if found:
                return found
    return _normalised_ip(remote) or remote


def normalised_email(email: str) -> str:
    """One mailbox, one counter: case and a ``+tag`` do not make a new address."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else domain


def _limit(scope: str) -> tuple[int, int] | None:
    limits = getattr(settings, "ANTISPAM_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    limit, window = limits.get(scope) or (0, 0)
    return (int(limit), int(window)) if limit > 0 and window > 0 else None


def _count(scope: str, value: str, window: int) -> int:
    """One more hit in the current fixed window; returns the hits so far in it.

    In Redis when the shared cache is Redis (``cache.add`` then ``cache.incr``, both
    atomic); otherwise, and while Redis does not answer, in PostgreSQL (``_count_in_table``).
    The key holds a keyed hash of the address, never the address itself.
    """
    now = time.time()
    bucket = int(now // window)
    digest = salted_hmac(KEY_SALT, f"{scope}:{value}", algorithm="sha256").hexdigest()
    key = f"antispam:{scope}:{window}:{bucket}:{digest}"
    if not isinstance(caches["default"], DjangoDatabaseCache):
        try:
            return _count_in_cache(key, int((bucket + 1) * window - now) + 1)
        except CacheUnavailable:
            pass  # Redis is away (the cache logs it): the limits hold in PostgreSQL meanwhile
    return _count_in_table(key, dt.datetime.fromtimestamp((bucket + 1) * window + 1, dt.UTC))


def _count_in_cache(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def _count_in_table(key: str, expires_at: dt.datetime) -> int:
    """One atomic statement: parallel requests on any server each get their own count (the
    database cache's ``incr``, a read then a write, would lose some)."""
    table = RateLimitCount._meta.db_table
    with connections[router.db_for_write(RateLimitCount)].cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s)
            ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1
            RETURNING count
            """,  # noqa: S608 — the table name is ours
            [key, expires_at],
        )
        return cursor.fetchone()[0]


def prune_counters(now: dt.datetime | None = None) -> int:
    """Delete the counters whose window has ended (``manage.py run_periodic``)."""
    now = now or dt.datetime.fromtimestamp(time.time(), dt.UTC)
    return RateLimitCount.objects.filter(expires_at__lt=now).delete()[0]


def check_rate_limits(request, *, email: str) -> None:
    """Count one submission from this client and for this email address; raise
    ``RateLimited`` when either is over its limit.  Call it only for valid submissions."""
    over: RateLimited | None = None
    for scope, value in (("ip", client_ip(request)), ("email", normalised_email(email))):
        limit = _limit(scope)
        if limit is None or not value:
            continue
        allowed, window = limit
        if _count(scope, value, window) > allowed and over is None:
            over = RateLimited(scope, window)
    if over is not None:
        logger.info("Form refused: rate limit reached (%s)", over.scope)
        raise over


# --- Other counted actions (the screening form) ----------------------------------------------


def check_limit(scope: str, value: str, limit: tuple[int, int] | None, *, kind: str) -> None:
    """Count one action of ``scope`` for ``value`` (a client IP, an email address: only a
    keyed hash of it is kept) in the shared cache; raise ``RateLimited(kind, window)`` when
    over ``limit`` = (actions, window seconds).  ``kind`` ("ip" or "email") chooses the
    visitor's message.  No limit (None, or a 0) or no value: nothing is counted."""
    if not limit or not value:
        return
    allowed, window = int(limit[0]), int(limit[1])
    if allowed <= 0 or window <= 0:
        return
    if _count(scope, value, window) > allowed:
        logger.info("Form refused: rate limit reached (%s)", scope)
        raise RateLimited(kind, window)


def first_in(scope: str, value: str, seconds: int) -> bool:
    """True for the first call for ``value`` in ``seconds`` (then False until they have
    passed since that first call): at most one action per period, across workers.
    ``cache.add`` only writes a missing key, atomically on Redis and the local-memory cache.
    """
    if seconds <= 0:
        return True
    digest = salted_hmac(KEY_SALT, f"{scope}:{value}", algorithm="sha256").hexdigest()
    key = f"antispam:once:{scope}:{digest}"
    if not isinstance(caches["default"], DjangoDatabaseCache):
        try:
            return cache.add(key, 1, seconds)
        except CacheUnavailable:
            pass  # Redis is away: the same rule holds in PostgreSQL meanwhile
    return _first_in_table(key, seconds)


def _first_in_table(key: str, seconds: int) -> bool:
    """One atomic statement: a row is written when the key is new or its period has ended;
    a live row is left alone and nothing is returned."""
    table = RateLimitCount._meta.db_table
    now = dt.datetime.fromtimestamp(time.time(), dt.UTC)
    with connections[router.db_for_write(RateLimitCount)].cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s)
            ON CONFLICT (key) DO UPDATE SET count = 1, expires_at = EXCLUDED.expires_at
            WHERE {table}.expires_at < %s
            RETURNING count
            """,  # noqa: S608 — the table name is ours
            [key, now + dt.timedelta(seconds=seconds), now],
        )
        return cursor.fetchone() is not None
