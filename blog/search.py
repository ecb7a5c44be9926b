"""Site search: PostgreSQL full-text search over published articles, with a typo fallback.

``search(query, page)`` is the one function the view calls.  Titles weigh more than
summaries, summaries more than bodies (the stored ``search_vector``).  When nothing
matches, each word is compared with the words of published articles by trigram
similarity ("depresion" → "depression") and the corrected query is tried; the reader is
told what we searched for instead.  When even that finds nothing, the words we could
correct are offered as "Did you mean", but only if that search finds something.
Searches that still find nothing are counted for staff, words only, unless they look
like personal details or a crisis, and only once three different visitors sent them the
same day: a name one person typed is never kept.  Visitors are told apart by a hash of
their address with a salt that changes daily; the address itself is never stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
)
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Count, F, Window
from django.db.models.expressions import RawSQL, RowRange
from django.utils import timezone

from clinic.crisis import is_crisis_text

from . import compiled, rows
from .models import (
    SEARCH_CONFIG,
    Article,
    SearchSalt,
    SearchTerm,
    ZeroResultSearch,
    ZeroResultSighting,
)
from .snippets import Headline, highlighted

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
SIMILARITY = 0.35
# An email, a long digit string, a phone number or a date (of birth): never stored.
_PERSONAL = re.compile(r"@|\d{4,}|\+?\d[\d\s()./-]{6,}\d|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
TERMS_BUILT_KEY = "blog:search-terms-built"  # when rebuild_terms() last ran (cache)
# Different visitors (in one day) who must send the same words before they are kept.
VISITORS_TO_KEEP = 3


@dataclass
class Results:
    query: str
    page: Page | None = None
    searched_for: str = ""  # the corrected query when we fell back
    suggestion: str = ""  # "Did you mean" when the correction found nothing either
    is_crisis: bool = False
    articles: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page else 0


def normalise(query: str | None) -> str:
    # PostgreSQL refuses a NUL character in any text value: drop it, as whitespace.
    return " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def _matching(search_query: SearchQuery, now: dt.datetime | None = None):
    return Article.objects.published(now).filter(search_vector=search_query)


# Best first: the rank, then the newest, then the last made.
_ORDER = (F("rank").desc(), F("published_at").desc(), F("pk").desc())


def _ranked(search_query: SearchQuery, now: dt.datetime | None = None):
    """The matching articles' ids, best first: the narrow rows a ranking needs, nothing to
    display (``_with_articles`` fetches that for one page)."""
    return (
        _matching(search_query, now)
        .annotate(rank=SearchRank(F("search_vector"), search_query))
        .order_by(*_ORDER)
        .values_list("pk", flat=True)
    )


# The two queries of a search are compiled once per process (blog/compiled.py) with these
# in place of each search's words and page of ids (normalise() drops NUL characters).
_WORDS, _IDS = compiled.stand_in("words"), compiled.stand_in("ids")


@functools.cache
def _ranking() -> tuple[str, tuple]:
    """One page of ``_ranked`` ids, each with the count of all matches: a window count over
    the ranking, which reads every match anyway (ordered as the ranking, so the rank is
    computed once per match and the window keeps narrow rows).  Parameters: the compiled
    ones (stand-ins for the words and the clock), then the page's size and offset."""
    total = Window(Count("*"), order_by=_ORDER, frame=RowRange(start=None, end=None))
    ranked = _ranked(_search_query(_WORDS), compiled.NOW).annotate(total=total)
    sql, params = ranked.values_list("pk", "total").query.sql_with_params()
    return f"{sql} LIMIT %s OFFSET %s", params


# What a result shows (blog/_search_result.html), and nothing else: any other field read
# from a result would cost a query of its own (tests/blog/test_queries.py counts them).
RESULT_FIELDS = ("title", "slug", "summary", "reviewer", "last_reviewed")


def _listing() -> tuple[str, tuple]:
    """The articles of a page of ids, each with its reviewer and categories (``rows``) and
    its body marked (``snippets.Headline``)."""
    table = connection.ops.quote_name(Article._meta.db_table)
    chosen = RawSQL(f"{table}.id = ANY(%s)", (_IDS,), output_field=BooleanField())  # noqa: S611
    listing = (
        Article.objects.published(compiled.NOW)
        .filter(chosen)
        .annotate(
            marked=Headline(_search_query(_WORDS)),
            parts=rows.with_parts(("reviewer", "categories")),
        )
        .only(*RESULT_FIELDS)
    )
    return listing.query.sql_with_params()


# Looked up by primary key whatever the words: one plan serves every search.  (Not the
# ranking: how many articles match decides whether reading the table or its index is faster.)
_LISTED = compiled.Prepared("blog_search_listing", _listing)


def _with_articles(page: Page, words: str, now: dt.datetime) -> Page:
    """The page with its articles in place of their ids, each with its ``category_list``
    and a highlighted, HTML-safe ``snippet``: whole sentences of the body from the first
    one that matches, or "" when only the title or summary matched (the summary is shown
    then).  One query.  An article withdrawn since the ranking is left out."""
    ids = list(page.object_list)
    values = {_WORDS: words, compiled.NOW: now, _IDS: ids}
    articles = {article.pk: article for article in _LISTED.raw(Article, values)}
    page.object_list = [articles[pk] for pk in ids if pk in articles]
    for article in page.object_list:
        article.category_list = rows.unpack(article)["categories"]
        article.snippet = highlighted(article.marked)
    return page


def _vocabulary() -> None:
    """Rebuild the "Did you mean" words if an article has gone live since the last build.

    Publishing rebuilds them at once; a scheduled article goes live by the clock alone, so
    its words would otherwise be missing until the next publication.
    """
    built = cache.get(TERMS_BUILT_KEY)
    if built is None or Article.objects.published().filter(published_at__gt=built).exists():
        rebuild_terms()


def _closest_words(words: list[str]) -> dict[str, str]:
    """Each word → the most similar word of a published article (one query for all)."""
    if not words:
        return {}
    table = SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT q.word, (
                SELECT t.word FROM {table} t
                WHERE t.word %% q.word AND similarity(t.word, q.word) >= %s
                ORDER BY similarity(t.word, q.word) DESC, t.word
                LIMIT 1
            )
            FROM unnest(%s::text[]) AS q(word)
            """,  # noqa: S608 — the table name comes from our model
            [SIMILARITY, words],
        )
        return {word: best for word, best in cursor.fetchall() if best}


def correct(query: str) -> tuple[str, str]:
    """``(corrected, suggestion)`` for a query that found nothing.

    ``corrected`` replaces each word with the most similar word of a published article,
    keeping words with no similar one; ``suggestion`` keeps only the words we recognise.
    """
    _vocabulary()
    words = query.split()
    closest = _closest_words(sorted({w.lower() for w in words if _WORD.fullmatch(w.lower())}))
    corrected = [closest.get(word.lower(), word) for word in words]
    recognised = [closest[word.lower()] for word in words if word.lower() in closest]
    return " ".join(corrected), " ".join(recognised)


MAX_PAGE = 10_000  # far past any real result; beyond it the OFFSET would overflow a bigint


def _page_number(value) -> int | None:
    """The page asked for, as ``Paginator.get_page`` reads it; None for one below 1 or
    past ``MAX_PAGE`` (then, as for any page past the end, the last page is shown)."""
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else None


def page_key(value) -> str:
    """The page asked for as a cache key: values that show the same page share one."""
    number = _page_number(value)
    return "last" if number is None else str(number)


def _first_page(words: str, page_number, now: dt.datetime) -> tuple[Paginator, Page | None]:
    """The paginator, its count known, and the requested page of ids: one query, not two
    (``_ranking``).  A page past the end or below 1 leaves ``page`` None and the paginator
    to count for itself; ``get_page`` then gives the last page, as usual."""
    number = _page_number(page_number)
    if number is not None:
        sql, params = _ranking()
        with connection.cursor() as cursor:
            bound = compiled.bind(params, {_WORDS: words, compiled.NOW: now})
            cursor.execute(sql, [*bound, PER_PAGE, (number - 1) * PER_PAGE])
            found = cursor.fetchall()
        if found:
            # The count is known: this paginator is asked for nothing else.
            paginator = Paginator((), PER_PAGE)
            paginator.count = found[0][1]
            return paginator, Page([pk for pk, _ in found], number, paginator)
    paginator = Paginator(_ranked(_search_query(words), now), PER_PAGE)
    if number == 1:  # nothing matched
        paginator.count = 0
    return paginator, None


def search(query: str | None, page_number=1, *, client: str | None = None) -> Results:
    """The results for ``query``; ``client`` (the visitor's address, never stored) counts a
    search that finds nothing towards ``VISITORS_TO_KEEP``.  Without it nothing is counted."""
    query = normalise(query)
    results = Results(query=query, is_crisis=is_crisis_text(query))
    if not query:
        return results
    now = timezone.now()
    words = query
    paginator, page = _first_page(words, page_number, now)
    if paginator.count == 0:
        corrected, suggestion = correct(query)
        if corrected.lower() != query.lower():
            paginator, page = _first_page(corrected, page_number, now)
            if paginator.count:
                words = results.searched_for = corrected
        # "Did you mean" is offered only when following it finds something.
        tried = (query.lower(), corrected.lower())
        if (
            paginator.count == 0
            and suggestion
            and suggestion.lower() not in tried
            and _matching(_search_query(suggestion), now).exists()
        ):
            results.suggestion = suggestion
    if paginator.count == 0:
        if client:
            record_zero_results(query, client=client)
        return results
    results.page = _with_articles(page or paginator.get_page(page_number), words, now)
    return results


def popular(limit: int = 4) -> list[Article]:
    """Articles to suggest when a search is empty or finds nothing: staff picks, then newest."""
    return list(
        Article.objects.published().order_by("-is_featured", "-published_at").for_listing()[:limit]
    )


def is_storable(query: str) -> bool:
    """Only plain topic words are kept: never crisis wording or anything personal-looking."""
    return (
        bool(query)
        and len(query) <= 100
        and not is_crisis_text(query)
        and not _PERSONAL.search(query)
    )


def record_zero_results(query: str, *, client: str) -> None:
    """Count words that found nothing, once ``VISITORS_TO_KEEP`` different visitors sent them.

    Until then only today's sightings are stored, as salted hashes of the words and of the
    address; words already kept are counted at once.
    """
    query = normalise(query).lower()
    if not is_storable(query):
        return
    today = timezone.localdate()
    if ZeroResultSearch.objects.filter(query=query).update(count=F("count") + 1, last_seen=today):
        return
    salt = _salt(today)
    query_hash = _digest(salt, "query", query)
    visitors = _sighted(today, query_hash, _digest(salt, "visitor", client))
    if visitors < VISITORS_TO_KEEP:
        return
    try:
        with transaction.atomic():
            ZeroResultSearch.objects.create(query=query, count=visitors, last_seen=today)
    except IntegrityError:  # another request kept it first
        ZeroResultSearch.objects.filter(query=query).update(count=F("count") + 1)
    ZeroResultSighting.objects.filter(day=today, query_hash=query_hash).delete()


def _digest(salt: str, kind: str, value: str) -> str:
    return hmac.new(salt.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _salt(today) -> str:
    """Today's salt, made by the first search of the day that needs one (one query: a search
    page's queries are counted).  Yesterday's goes with ``prune_zero_results``."""
    table = SearchSalt._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH made AS (
                INSERT INTO {table} (day, value) VALUES (%s, %s)
                ON CONFLICT (day) DO NOTHING RETURNING value
            )
            SELECT value FROM made UNION ALL SELECT value FROM {table} WHERE day = %s
            """,  # noqa: S608 — the table name comes from our model
            [today, secrets.token_hex(32), today],
        )
        row = cursor.fetchone()
    if row is None:  # made by a concurrent request after this statement's snapshot
        return SearchSalt.objects.get(day=today).value
    return row[0]


def _sighted(today, query_hash: str, visitor_hash: str) -> int:
    """Record that this visitor sent these words today (once however often they do), and
    return how many different visitors did (one query)."""
    table = ZeroResultSighting._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH new AS (
                INSERT INTO {table} (day, query_hash, visitor_hash) VALUES (%s, %s, %s)
                ON CONFLICT (day, query_hash, visitor_hash) DO NOTHING RETURNING 1
            )
            SELECT (SELECT count(*) FROM new)
                 + (SELECT count(*) FROM {table} WHERE day = %s AND query_hash = %s)
            """,  # noqa: S608 — the table name comes from our model
            [today, query_hash, visitor_hash, today, query_hash],
        )
        return cursor.fetchone()[0]


def forget_old_sightings(today) -> int:
    """Delete the sightings and salts of days before ``today``: without its salt, a hash
    left anywhere matches no address and no words."""
    deleted, _ = ZeroResultSighting.objects.filter(day__lt=today).delete()
    SearchSalt.objects.filter(day__lt=today).delete()
    return deleted


def rebuild_terms() -> None:
    """Refill the "Did you mean" vocabulary from what is published now.

    "Now" is the application's clock, as in ``published()``.  Two rebuilds at once are
    harmless: each inserts the same words and skips those already there.
    """
    table = SearchTerm._meta.db_table
    articles = Article._meta.db_table
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 — table names from our models
        cursor.execute(
            f"""
            INSERT INTO {table} (word)
            SELECT DISTINCT word FROM (
                SELECT lower(regexp_split_to_table(title || ' ' || summary || ' ' || body_text,
                                                   '[^[:alpha:]]+')) AS word
                FROM {articles}
                WHERE status = %s AND published_at <= %s
            ) words
            WHERE length(word) BETWEEN 3 AND 40
            ON CONFLICT (word) DO NOTHING
            """,  # noqa: S608
            [Article.Status.PUBLISHED, now],
        )
    cache.set(TERMS_BUILT_KEY, now, timeout=None)


def prune_zero_results(today=None) -> int:
    """Forget searches that found nothing and were not seen again for BLOG_SEARCH_LOG_DAYS,
    and yesterday's salt and sightings (run_periodic: within minutes of midnight)."""
    import datetime as dt

    from django.conf import settings

    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.BLOG_SEARCH_LOG_DAYS)
    deleted, _ = ZeroResultSearch.objects.filter(last_seen__lt=cutoff).delete()
    forget_old_sightings(today)
    return deleted
