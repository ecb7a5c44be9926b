"""Related articles: the same categories first (most shared), then the newest others.

Chosen from an index of every published article's date and categories, built by one
query once per content generation and process (every content save makes a new
generation, see ``mindscape.pagecache``) instead of an aggregate over the category links
for every article rendered.  The clock is applied at each use, so a scheduled article
joins on time.  While the generation is unknown (the shared cache away) the index is
built for the one request.

The section itself — the cards of the chosen articles — is also kept as HTML, by content
generation and the articles chosen (``section_html``), in each process and in the shared
page store: most articles share their newest neighbours, so a page seen for the first time
rarely needs to fetch or render them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches

from mindscape import pagecache

from .models import Article

logger = logging.getLogger(__name__)

RELATED = 3
RANKINGS_KEPT = 256  # category sets ranked per index
SECTIONS_KEPT = 256  # rendered sections per process, about 3 KB each
SHARED_SECONDS = 3600  # in the shared page store (a new generation leaves them unread)


@dataclass(frozen=True)
class Entry:
    pk: int
    published_at: dt.datetime
    categories: frozenset[int]


class Index:
    """Every published article, newest first, and the rankings asked of it so far: for a
    set of categories, the articles sharing any, most shared first, then newest.  A
    ranking depends on neither the article shown nor the clock, so it is sorted once per
    index and walked at each use."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._ranked: dict[frozenset[int], list[Entry]] = {}

    def ranked(self, category_ids: frozenset[int]) -> list[Entry]:
        found = self._ranked.get(category_ids)
        if found is None:
            found = sorted(
                (e for e in self.entries if e.categories & category_ids),
                key=lambda e: (
                    -len(e.categories & category_ids),
                    -e.published_at.timestamp(),
                    -e.pk,
                ),
            )
            if len(self._ranked) >= RANKINGS_KEPT:
                self._ranked.clear()
            self._ranked[category_ids] = found
        return found


class _Index:
    generation: int | None = None
    index: Index = Index([])
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


def index() -> Index:
    current = pagecache.current_generation()
    if current is None:
        return Index(_build())
    with _Index.lock:
        if _Index.generation == current:
            return _Index.index
    built = Index(_build())  # read after the generation: a save meanwhile makes it stale
    with _Index.lock:
        _Index.generation, _Index.index = current, built
    return built


def related_ids(pk: int, category_ids: set[int], now: dt.datetime) -> list[int]:
    """The primary keys of the articles to show beside article ``pk``, best first."""
    found = index()
    chosen: list[int] = []
    for entries in (found.ranked(frozenset(category_ids)), found.entries):
        for entry in entries:  # the ranking, then the newest others
            if len(chosen) >= RELATED:
                return chosen
            if entry.published_at <= now and entry.pk != pk and entry.pk not in chosen:
                chosen.append(entry.pk)
    return chosen


_sections: dict[tuple[int, tuple[int, ...]], str] = {}


def forget_sections() -> None:
    """Empty this process's sections (a template changed under the development server)."""
    _sections.clear()


def section_html(chosen: list[int], render: Callable[[], str]) -> str:
    """The related-articles section for the ``chosen`` articles: ``render()`` once per
    content generation, kept by each process and in the shared page store (``_shared``).
    Every save of an article, category, tag, reference or contributor makes a new
    generation, so a kept section never outlives what it shows.  While the generation is
    unknown (the shared cache away) it is rendered each time."""
    current = pagecache.current_generation()
    if current is None:
        return render()
    key = (current, tuple(chosen))
    html = _sections.get(key)
    if html is None:
        html = _shared(key, render)  # a save meanwhile makes it stale, never shown for newer
        if len(_sections) >= SECTIONS_KEPT:
            _sections.clear()
        _sections[key] = html
    return html


def _shared(key: tuple[int, tuple[int, ...]], render: Callable[[], str]) -> str:
    """The section as another process rendered it in this generation, else ``render()``'s,
    left there for the others.  Each worker of each server would otherwise fetch and render
    the same few sections itself: on the bench, with five workers, a quarter of the first
    views of articles did (2–3 ms each), against 0.2 ms to read one.  A store that does not
    answer costs only the render."""
    generation, chosen = key
    name = f"related:v1:{generation}:{','.join(map(str, chosen))}"
    pages = caches["pages"]
    try:
        html = pages.get(name)
    except Exception:  # any store that does not answer: a render, as without the copy
        logger.warning("Related articles: the shared copy could not be read", exc_info=True)
        html = None
    if html is None:
        html = render()
        try:
            pages.set(name, html, SHARED_SECONDS)
        except Exception:
            logger.warning("Related articles: a section could not be shared", exc_info=True)
    return html
