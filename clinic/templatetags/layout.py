"""The shared layout's header and footer, rendered once per process and reused.

Both read nothing per visitor beyond what their key holds: the clinic's facts (the value
itself, so a staff edit, which rebuilds the facts, changes the key on every server within
the second each keeps its copy of the facts, with or without a shared cache), the crisis
block's variant, the header's current menu item, the URL prefix and configuration, and the
language.  The words of a search (``query``) are the visitor's own and never kept: the
header is kept with a stand-in where they go, and each page puts its own words there,
escaped as the template escapes them.  The crisis list is code (``clinic/crisis.py``): a
deploy, which starts new processes, is its version.  The templates are files: the same.
"""

from __future__ import annotations

import threading

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Enough for every variant of the current facts and a few past ones; a full memo is emptied.
MEMO_SIZE = 64
_memo: dict[tuple, object] = {}
_lock = threading.Lock()

# Stands where the search words go in a kept header.  A NUL character is in no clinic fact,
# URL or setting (PostgreSQL text cannot hold one), nor in any search (normalise() drops it).
WORDS = "\x00words\x00"

MENU = (("page", ("conditions",)), ("page", ("about",)), ("page", ("contact",)), ("blog:list", ()))


def forget() -> None:
    """Empty this process's memo (tests)."""
    with _lock:
        _memo.clear()


def _remember(key: tuple, make):
    html = _memo.get(key)
    if html is None:
        html = make()
        with _lock:
            if len(_memo) >= MEMO_SIZE:
                _memo.clear()
            _memo[key] = html
    return html


def _menu_urls(urls: tuple[str, str]) -> frozenset[str]:
    return _remember(
        ("menu", urls), lambda: frozenset(reverse(name, args=args) for name, args in MENU)
    )


def _keyable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return value is not None


def _urls() -> tuple[str, str]:
    """What the fragments' links depend on: the URL prefix and the URL configuration."""
    return get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF)


def _render(context, name: str) -> str:
    return context.template.engine.get_template(name).render(context)


def _with_stand_in(context) -> str:
    with context.push(query=WORDS):
        html = _render(context, "includes/header_body.html")
    return html if html.count(WORDS) == 1 else ""  # "": the words go elsewhere, never kept


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    request = context.get("request")
    clinic = context.get("clinic")
    if request is None or not _keyable(clinic):
        return mark_safe(_render(context, "includes/header_body.html"))  # noqa: S308
    urls = _urls()
    current = request.path if request.path in _menu_urls(urls) else ""
    key = ("header", clinic, current, urls, get_language())
    kept = _remember(key, lambda: _with_stand_in(context))
    if not kept:
        return mark_safe(_render(context, "includes/header_body.html"))  # noqa: S308
    words = conditional_escape(context.get("query") or "")
    return mark_safe(kept.replace(WORDS, words))  # noqa: S308 — the words escaped above


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    clinic = context.get("clinic")
    if not _keyable(clinic):
        return mark_safe(_render(context, "includes/footer_body.html"))  # noqa: S308
    full = bool(context.get("crisis_full_footer"))
    key = ("footer", clinic, full, _urls(), get_language())
    return mark_safe(_remember(key, lambda: _render(context, "includes/footer_body.html")))  # noqa: S308
