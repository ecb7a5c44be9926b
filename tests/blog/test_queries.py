"""Every public page runs a bounded number of queries that does not grow with data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.search import rebuild_terms
from clinic.seed import seed_clinic, seed_pages
from mindscape import pagecache
from tests.factories import ArticleFactory, CategoryFactory, ReferenceFactory, TagFactory

pytestmark = pytest.mark.django_db


def add_articles(count: int, start: int = 0):
    categories = [
        CategoryFactory(name=n, slug=n.lower()) for n in ("Depression", "Anxiety", "PTSD", "Pain")
    ]
    tags = [TagFactory(name=f"tag{n}", slug=f"tag{n}") for n in range(5)]
    for n in range(start, start + count):
        article = ArticleFactory(
            title=f"Ketamine article {n}",
            categories=[categories[n % 4], categories[(n + 1) % 4]],
            tags=tags[: 1 + n % 5],
        )
        for position in range(3):
            ReferenceFactory(article=article, position=position)
    rebuild_terms()
    return article


@pytest.fixture
def library():
    seed_clinic()
    seed_pages()
    return add_articles(55)


BOUNDS = {
    "/": 4,
    "/blog/": 5,
    "/blog/?page=3": 5,
    "/blog/category/depression/": 6,
    "/blog/tag/tag1/": 6,
    # The article; once per content version the related index, the cards of its related
    # articles (two) and the next scheduled change; the unannounced-change check.  Once per
    # change of what it shows, keeping its element (blog/rendered.py): one statement, here
    # three (a test runs in a transaction: the write gets a savepoint of its own).
    "/blog/ketamine-article-54/": 9,
    "/search/?q=ketamine": 8,
    "/search/?q=ketamin": 10,
    "/search/?q=zzzzqqq": 10,
    # Every word misspelt: the typo fallback still costs the same handful of queries.
    "/search/?q=" + "+".join(["ketamin", "depresion", "infusoin", "treatmnt"] * 8): 10,
    "/blog/feed/rss/": 4,
    "/blog/feed/atom/": 4,
    "/sitemap.xml": 8,
    "/robots.txt": 2,  # the next scheduled article (the TTL), a content change unannounced
    "/about/": 3,
}


@pytest.mark.parametrize(("url", "bound"), BOUNDS.items())
def test_query_bounds(client, library, url, bound, django_assert_max_num_queries):
    client.get("/about/")  # clinic facts cached, as on a running site
    pagecache.bump()  # but no page: measure the uncached render
    with django_assert_max_num_queries(bound):
        response = client.get(url.replace("ketamine-article-54", library.slug))
    assert response.status_code == 200


def count_queries(client, url: str) -> int:
    pagecache.bump()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_more_articles(client, library):
    urls = [url.replace("ketamine-article-54", library.slug) for url in BOUNDS]
    for url in urls:  # warm up: clinic facts, search vocabulary, zero-result rows
        client.get(url)
    before = {url: count_queries(client, url) for url in urls}
    add_articles(15, start=55)
    after = {url: count_queries(client, url) for url in urls}
    assert after == before
