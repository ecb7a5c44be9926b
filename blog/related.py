"""Related articles: the same categories first (most shared), then the newest others.

Chosen from an index of every published article's date and categories, built by one
query once per content generation and process (every content save makes a new
generation, see ``mindscape.pagecache``) instead of an aggregate over the category links
for every article rendered.  The clock is applied at each use, so a scheduled article
joins on time.  While the generation is unknown (the shared cache away) the index is
built for the one request.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from mindscape import pagecache

from .models import Article

RELATED = 3


@dataclass(frozen=True)
class Entry:
    pk: int
    published_at: dt.datetime
    categories: frozenset[int]


class _Index:
    generation: int | None = None
    entries: list[Entry] = []
    lock = threading.Lock()


def _build() -> list[Entry]:
    """Every article with the published status, newest first (the model's ordering)."""
    found: dict[int, tuple[dt.datetime, set[int]]] = {}
    rows = Article.objects.filter(status=Article.Status.PUBLISHED).values_list(
        "pk", "published_at", "categories"
    )
    for pk, published_at, category in rows:
        entry = found.setdefault(pk, (published_at, set()))
        if category is not None:
            entry[1].add(category)
    entries = [Entry(pk, when, frozenset(cats)) for pk, (when, cats) in found.items()]
    entries.sort(key=lambda e: (e.published_at, e.pk), reverse=True)
    return entries


def entries() -> list[Entry]:
    current = pagecache.current_generation()
    if current is None:
        return _build()
    with _Index.lock:
        if _Index.generation == current:
            return _Index.entries
    built = _build()  # read after the generation: a save meanwhile makes it stale, not wrong
    with _Index.lock:
        _Index.generation, _Index.entries = current, built
    return built


def related_ids(pk: int, category_ids: set[int], now: dt.datetime) -> list[int]:
    """The primary keys of the articles to show beside article ``pk``, best first."""
    visible = [e for e in entries() if e.published_at <= now and e.pk != pk]
    sharing = sorted(
        (e for e in visible if e.categories & category_ids),
        key=lambda e: (-len(e.categories & category_ids), -e.published_at.timestamp(), -e.pk),
    )
    chosen = [e.pk for e in sharing[:RELATED]]
    for entry in visible:  # then the newest others
        if len(chosen) >= RELATED:
            break
        if entry.pk not in chosen:
            chosen.append(entry.pk)
    return chosen
