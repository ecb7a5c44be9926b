"""An article's ``<article>`` element, rendered once and kept in PostgreSQL beside the article.

Every content save empties the page cache (a new generation), so each article's page is
rendered again on its next visit, though almost none of them changed.  Its ``<article>``
element (title, byline, picture, contents, body, references, tags) was two thirds of that
render.  It is kept (``RenderedArticle``) under a key made of everything it is rendered
from: the article's row as its page reads it, the JSON of its author, reviewer, categories,
tags and references (``rows.with_parts``), the code (every source file and template of the
project, read once per process: a deploy that changes any of them changes every key), and
what a setting or the request's locale could change (the media URL, the URL prefix, the
language and the time zone).  The page's own query brings the kept element along (a join):
when the key it was kept under is the key of what was fetched, it is used as it is; else
it is rendered and kept again.  Nothing is ever invalidated: a change anywhere makes a new
key, and an old element is never used for it.

The element reads nothing from the request (it is rendered without one) and holds only
public content.  A preview (an unpublished article, or a revision) is rendered, never kept.
``render_missing`` renders the elements of every published article whose key has changed,
and drops those of articles withdrawn: run after a release (``manage.py render_articles``),
it spares the first visitor of each article the render.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from mindscape.dbcache import write_unsynced

from . import rows
from .models import Article, RenderedArticle

logger = logging.getLogger(__name__)

TEMPLATE = "blog/_article.html"
# What the page's query annotates each article with: the element kept, and its key.
KEPT = {"kept_key": F("rendered__key"), "kept_html": F("rendered__html")}
# The columns an article's page leaves unread: its Markdown and its search columns.
UNREAD = ("body", "body_text", "search_vector")
_SOURCES = ("*.py", "*.html")


def source_files() -> list[Path]:
    """The project's own source files and templates: its apps' folders and the shared
    templates' (not the installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    roots = {base / "templates"} | {
        Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    }
    return [
        path
        for root in sorted(roots)
        for pattern in _SOURCES
        for path in sorted(root.rglob(pattern))
    ]


@functools.cache
def code_version() -> str:
    """A digest of ``source_files()`` and of Django's version, whose filters and tags render
    them: read once per process, at a worker's start (``mindscape.warmup``)."""
    base = Path(settings.BASE_DIR).resolve()
    digest = hashlib.sha256(django.get_version().encode())
    for path in source_files():
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _row(article: Article) -> list:
    """The article's columns as fetched (all but ``UNREAD``)."""
    deferred = article.get_deferred_fields()
    return [
        (field.attname, getattr(article, field.attname))
        for field in Article._meta.concrete_fields
        if field.attname not in deferred
    ]


def key(article: Article) -> str:
    """The key of everything ``article``'s element is rendered from (see the module)."""
    made_from = (
        code_version(),
        default_storage.url("media"),
        get_script_prefix(),
        get_language(),
        timezone.get_current_timezone_name(),
        _row(article),
        json.loads(parts) if isinstance(parts := article.parts, str) else parts,
    )
    return hashlib.sha256(repr(made_from).encode()).hexdigest()


def article_html(article: Article, context: dict, *, keep: bool = True) -> str:
    """The ``<article>`` element of ``article`` (``context``: what TEMPLATE shows), as kept
    when its key matches what the page fetched, else rendered (and kept, with ``keep``).

    ``article`` must come with ``parts`` (``rows.with_parts``) and, to use a kept element,
    with ``KEPT``'s annotations."""
    if not keep:
        return render_to_string(TEMPLATE, context)
    current = key(article)
    if getattr(article, "kept_key", None) == current:
        return mark_safe(article.kept_html)  # noqa: S308 — rendered by TEMPLATE, below
    return _render_and_keep(article.pk, current, context)


def _render_and_keep(article_id: int, current: str, context: dict) -> str:
    """The element rendered, and kept under ``current``; a failed write costs only a later
    render (it is a cache)."""
    html = render_to_string(TEMPLATE, context)
    table = connection.ops.quote_name(RenderedArticle._meta.db_table)
    upsert = (
        f"INSERT INTO {table} (article_id, key, html) VALUES (%s, %s, %s) "  # noqa: S608
        "ON CONFLICT (article_id) DO UPDATE SET key = EXCLUDED.key, html = EXCLUDED.html"
    )
    try:
        write_unsynced(connection.alias, upsert, [article_id, current, html])
    except DatabaseError as error:  # an article deleted meanwhile, a read-only database…
        logger.warning("An article's rendered element was not kept (%s)", type(error).__name__)
    return html


def context_for(article: Article, categories: list, tags: list, references: list) -> dict:
    """What TEMPLATE shows of ``article``: nothing else may reach the element."""
    return {
        "article": article,
        "categories": categories,
        "tags": tags,
        "references": references,
        # The consultation link's topic: the article's first category.
        "interest": categories[0].slug if categories else "",
    }


def with_kept(queryset, *, html: bool = True):
    """``queryset`` with what ``article_html`` needs: the parts and the kept element (its
    key alone without ``html``)."""
    kept = KEPT if html else {"kept_key": KEPT["kept_key"]}
    return queryset.annotate(parts=rows.with_parts(), **kept).defer(*UNREAD)


def render_missing() -> int:
    """Render and keep the element of every published article whose key has changed (a
    release, an edit, a renamed category…), and drop those of articles no longer
    published; return how many were rendered."""
    published = Article.objects.published()
    RenderedArticle.objects.exclude(article__in=published).delete()
    rendered = 0
    for article in with_kept(published, html=False).iterator(chunk_size=100):
        current = key(article)  # once: the key is a digest of the whole row
        if article.kept_key == current:
            continue
        parts = rows.unpack(article)
        context = context_for(article, parts["categories"], parts["tags"], parts["references"])
        _render_and_keep(article.pk, current, context)
        rendered += 1
    return rendered
