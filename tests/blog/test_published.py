"""One published() rule everywhere: drafts, articles in review and future articles are
never reachable by URL, list, category, tag, feed, sitemap, search, home or related."""

import datetime as dt

import pytest
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

HIDDEN = {
    "draft": {"status": "draft", "reviewer": None, "last_reviewed": None},
    "in_review": {"status": "in_review", "reviewer": None, "last_reviewed": None},
    "future": {"published_at": timezone.now() + dt.timedelta(days=2)},
}


@pytest.fixture(params=sorted(HIDDEN))
def hidden(request):
    tag = TagFactory(name="infusion", slug="infusion")
    return ArticleFactory(
        title="Zebrafish secret article", slug="secret", tags=[tag], **HIDDEN[request.param]
    )


@pytest.fixture
def visible():
    tag = TagFactory(name="infusion", slug="infusion")
    return ArticleFactory(title="Visible zebrafish article", slug="visible", tags=[tag])


def test_published_queryset(hidden, visible):
    assert list(Article.objects.published()) == [visible]


def test_hidden_article_has_no_page(client, hidden):
    assert client.get("/blog/secret/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/blog/",
        "/blog/category/depression/",
        "/blog/tag/infusion/",
        "/blog/visible/",  # related articles
        "/blog/feed/rss/",
        "/blog/feed/atom/",
        "/sitemap.xml",
        "/search/?q=zebrafish",
    ],
)
def test_hidden_article_is_listed_nowhere(client, hidden, visible, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "secret" not in body.lower()
    if url != "/blog/visible/":
        assert "visible" in body.lower()


def test_future_article_appears_once_its_time_comes(client, time_machine):
    article = ArticleFactory(slug="scheduled", published_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get("/blog/scheduled/").status_code == 404
    time_machine.move_to(article.published_at + dt.timedelta(seconds=1))
    assert client.get("/blog/scheduled/").status_code == 200


def test_database_refuses_a_published_article_without_review():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        ArticleFactory(reviewer=None, last_reviewed=None)
