"""Whole-page caching for anonymous readers, invalidated by content saves, on time for
scheduled articles; never for forms or visitors with a session.  Search results are kept
per words and page, and follow every content change at once."""

import datetime as dt

import pytest
from django.utils import timezone

from clinic.models import Clinic
from clinic.seed import seed_pages
from mindscape import pagecache
from tests.factories import ArticleFactory, TagFactory
from tests.signin import verified_login

pytestmark = pytest.mark.django_db

CACHED = [
    "/",
    "/blog/",
    "/blog/category/depression/",
    "/blog/tag/calm/",
    "/blog/feed/rss/",
    "/blog/feed/atom/",
    "/sitemap.xml",
    "/robots.txt",
    "/about/",
]


@pytest.fixture
def article():
    Clinic.load()  # as on a running site: creating it would itself refresh the cache
    seed_pages()
    return ArticleFactory(title="Cached article", slug="cached", tags=[TagFactory(slug="calm")])


@pytest.mark.parametrize("url", [*CACHED, "/blog/cached/"])
def test_public_pages_are_cached_for_anonymous_readers(
    client, article, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content


def test_a_session_bypasses_the_cache(client, article, staff_user):
    client.get("/blog/cached/")
    verified_login(client, staff_user("Content editor"))
    response = client.get("/blog/cached/")
    assert "no-store" in response["Cache-Control"]


def test_saving_content_refreshes_cached_pages(client, article):
    assert "Cached article" in client.get("/blog/").content.decode()
    article.title = "Renamed article"
    article.save()
    assert "Renamed article" in client.get("/blog/").content.decode()


def test_changing_a_category_link_refreshes_too(client, article):
    from tests.factories import CategoryFactory

    anxiety = CategoryFactory(name="Anxiety", slug="anxiety")
    empty = client.get("/blog/category/anxiety/")  # cached, without the article
    assert empty.status_code == 200 and "Cached article" not in empty.content.decode()
    article.categories.add(anxiety)
    assert "Cached article" in client.get("/blog/category/anxiety/").content.decode()


def test_scheduled_article_appears_on_time_despite_the_cache(client, article, time_machine):
    ArticleFactory(title="Scheduled piece", published_at=timezone.now() + dt.timedelta(seconds=90))
    assert "Scheduled piece" not in client.get("/blog/").content.decode()
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=120))
    assert "Scheduled piece" in client.get("/blog/").content.decode()


def test_ttl_never_outlives_the_next_scheduled_article(article):
    ArticleFactory(published_at=timezone.now() + dt.timedelta(seconds=30))
    assert pagecache._timeout() <= 31


@pytest.mark.parametrize("url", ["/search/?q=cached", "/consultation/", "/admin/login/"])
def test_forms_and_search_are_no_store(client, article, url):
    assert "no-store" in client.get(url)["Cache-Control"]


@pytest.fixture
def check_clock(monkeypatch):
    """The clock by which a process trusts the generation it last read; moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(pagecache, "_clock", lambda: now[0])

    def advance(seconds):
        now[0] += seconds

    return advance


def test_another_servers_save_is_seen_once_the_generation_is_asked_again(
    client, article, check_clock, settings
):
    from django.core.cache import cache

    settings.PAGE_CACHE_CHECK_SECONDS = 1
    first = client.get("/blog/cached/").content.decode()
    Article = type(article)
    # Another server saves the article: only the shared generation tells this process.
    Article.objects.filter(pk=article.pk).update(title="Renamed elsewhere")
    cache.incr(pagecache.GENERATION_KEY)
    check_clock(0.5)
    assert client.get("/blog/cached/").content.decode() == first  # trusted for a second
    check_clock(0.6)
    assert "Renamed elsewhere" in client.get("/blog/cached/").content.decode()


def test_a_process_copy_is_served_only_while_the_shared_generation_matches(
    client, article, check_clock
):
    from django.core.cache import cache

    first = client.get("/blog/cached/").content.decode()
    Article = type(article)
    Article.objects.filter(pk=article.pk).update(title="Renamed elsewhere")
    check_clock(5)
    assert client.get("/blog/cached/").content.decode() == first  # not bumped yet
    cache.incr(pagecache.GENERATION_KEY)
    check_clock(5)
    assert "Renamed elsewhere" in client.get("/blog/cached/").content.decode()


def test_a_save_in_this_process_is_seen_at_once(client, article, check_clock):
    client.get("/blog/cached/")
    article.title = "Renamed here"
    article.save()
    assert "Renamed here" in client.get("/blog/cached/").content.decode()  # no clock moved


def test_a_hit_within_the_check_time_asks_no_shared_cache(client, article, check_clock):
    from django.core.cache import cache

    client.get("/blog/cached/")
    asked = []
    original = cache.get
    cache.get = lambda *args, **kwargs: asked.append(args) or original(*args, **kwargs)
    try:
        client.get("/blog/cached/")
        assert asked == []
        check_clock(2)
        client.get("/blog/cached/")
        assert len(asked) == 1  # the generation, once
    finally:
        del cache.get


def test_a_flushed_shared_cache_never_revives_a_process_copy(client, article, check_clock):
    from django.core.cache import cache

    cache.clear()
    client.get("/blog/cached/")  # made in the generation a fresh cache starts with
    type(article).objects.filter(pk=article.pk).update(title="Renamed while flushed")
    cache.clear()  # a restarted Redis: the generation starts again, at a random number
    check_clock(2)
    assert "Renamed while flushed" in client.get("/blog/cached/").content.decode()


@pytest.mark.parametrize("query", ["?utm_source=news", "?page=2&x=1", "?page=1000", "?q=a"])
def test_only_a_bare_path_or_a_page_number_is_cached(client, article, query):
    from django.core.cache import caches

    response = client.get("/blog/" + query)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert not caches["pages"]._cache  # LocMemCache in tests: nothing was stored
    assert client.get("/blog/?page=1")["Cache-Control"].startswith("public")
    assert len(caches["pages"]._cache) == 1


def test_pages_never_push_out_rate_limits_or_the_generation(client, article):
    """Pages have a cache of their own: filling it leaves the shared cache's keys alone."""
    from django.core.cache import cache, caches

    cache.set("antispam:ip:somebody", 3)
    client.get("/blog/cached/")
    assert pagecache.GENERATION_KEY.split(":")[-1] in "".join(cache._cache)
    assert not any("pagecache:v4" in key for key in cache._cache)
    assert any("pagecache:v4" in key for key in caches["pages"]._cache)
    assert cache.get("antispam:ip:somebody") == 3


def test_a_page_is_stored_before_it_is_sent(article, rf):
    """Stored before the view returns: the visitor's next request, to any server, finds it
    (a write made after sending raced that request)."""
    from django.core.cache import caches

    from blog.views import article_detail

    request = rf.get("/blog/cached/")
    response = article_detail(request, slug="cached")
    assert response.status_code == 200 and "Cached article" in response.content.decode()
    pages = [key for key in caches["pages"]._cache if "pagecache:" in key]  # LocMemCache
    assert len(pages) == 1  # (beside it: the related section, kept for other processes)


def test_the_shared_copy_is_compressed_and_served_as_it_was_made(client, article):
    """The shared copy is a third of the page's size; served from it (as another server
    would, with no copy of its own) the page is byte for byte the one first sent."""
    import pickle
    import zlib

    from django.core.cache import caches

    first = client.get("/blog/cached/")
    # LocMemCache in tests: one page stored (beside it, the related section)
    (key,) = [key for key in caches["pages"]._cache if "pagecache:" in key]
    stored = caches["pages"].get(key.split(":", 2)[2])
    assert len(stored[2]) < len(first.content) / 2
    assert pickle.loads(zlib.decompress(stored[2])).content == first.content  # noqa: S301
    pagecache._local.clear()  # another process: only the shared copy
    assert client.get("/blog/cached/").content == first.content


def test_the_next_scheduled_change_is_asked_once_per_generation(article, monkeypatch):
    asked = []
    monkeypatch.setattr(pagecache, "_horizons", [lambda: asked.append(1)])
    pagecache._local.clear()
    current = pagecache.generation()
    pagecache._timeout(current)
    pagecache._timeout(current)
    assert len(asked) == 1
    pagecache._timeout(current + 1)  # content saved: asked again
    assert len(asked) == 2


def test_a_cache_that_fails_to_store_costs_only_a_render(client, article, monkeypatch, caplog):
    from django.core.cache import caches

    def refuse(*args, **kwargs):
        raise ConnectionError("the cache went away")

    monkeypatch.setattr(caches["pages"], "set", refuse)
    response = client.get("/blog/cached/")
    assert response.status_code == 200 and "Cached article" in response.content.decode()
    assert "Page cache: a page could not be stored" in caplog.text
    assert "/blog/cached/" not in caplog.text


def test_search_results_are_kept_per_normalised_words(client, article, django_assert_num_queries):
    from django.core.cache import caches

    first = client.get("/search/?q=cached")
    assert "Cached article" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get("/search/?q=+cached++&utm_source=news")
    assert again.content == first.content
    assert "no-store" in again["Cache-Control"]  # kept on the server, never in a browser
    assert len(caches["pages"]._cache) == 1


def test_each_results_page_is_kept_apart(client, article):
    for n in range(12):
        ArticleFactory(title=f"Cached number {n}")
    first = client.get("/search/?q=cached").content.decode()
    second = client.get("/search/?q=cached&page=2").content.decode()
    assert first != second and "Cached number" in second


def test_a_withdrawn_article_leaves_search_at_once(client, article, check_clock):
    assert "Cached article" in client.get("/search/?q=cached").content.decode()
    article.status = "draft"
    article.save()
    assert "Cached article" not in client.get("/search/?q=cached").content.decode()


def test_a_published_article_enters_search_at_once(client, article, check_clock):
    assert "Fresh piece" not in client.get("/search/?q=piece").content.decode()
    ArticleFactory(title="Fresh piece")
    assert "Fresh piece" in client.get("/search/?q=piece").content.decode()


def test_a_change_saved_on_another_server_reaches_search_at_once(client, article, check_clock):
    """Search reads the shared generation on every request: no second of trust."""
    from django.core.cache import cache

    assert "Cached article" in client.get("/search/?q=cached").content.decode()
    type(article).objects.filter(pk=article.pk).update(title="Cached but renamed")
    cache.incr(pagecache.GENERATION_KEY)  # what the other server's save does
    assert "Cached but renamed" in client.get("/search/?q=cached").content.decode()


def test_a_search_that_finds_nothing_is_never_kept_and_counts_each_visitor(client, article):
    from django.core.cache import caches

    from blog.models import ZeroResultSearch
    from blog.search import VISITORS_TO_KEEP

    for n in range(VISITORS_TO_KEEP):
        response = client.get("/search/?q=zebras", REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert "could not find" in response.content.decode()
    assert not caches["pages"]._cache
    assert ZeroResultSearch.objects.get(query="zebras").count == VISITORS_TO_KEEP


def test_a_signed_in_search_is_rendered_for_its_visitor(client, article, staff_user):
    from django.core.cache import caches

    verified_login(client, staff_user("Content editor"))
    assert "Cached article" in client.get("/search/?q=cached").content.decode()
    assert not caches["pages"]._cache
