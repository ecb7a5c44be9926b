"""Stand-ins in compiled parameters are replaced by each use's values, nothing else is; a
prepared statement is prepared once per connection, planned once, and never fails a page."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from blog import compiled, search, views
from blog.models import Article
from tests.factories import ArticleFactory, TagFactory


def test_only_the_stand_ins_are_replaced():
    slug = compiled.stand_in("slug")
    now = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
    params = (Article.Status.PUBLISHED, compiled.NOW, slug, "english", [1, 2], 10)
    bound = compiled.bind(params, {compiled.NOW: now, slug: "what-is-ketamine"})
    assert bound == [Article.Status.PUBLISHED, now, "what-is-ketamine", "english", [1, 2], 10]


def test_a_stand_in_is_no_real_value():
    assert compiled.stand_in("slug").startswith("\x00")


# --- Prepared statements --------------------------------------------------------------


def test_placeholders_are_numbered_for_prepare_and_a_literal_percent_is_kept():
    sql = "SELECT 1 WHERE a = %s AND b LIKE 'x%%' AND c = ANY(%s)"
    assert compiled._numbered(sql) == "SELECT 1 WHERE a = $1 AND b LIKE 'x%%' AND c = ANY($2)"


def read(slug: str) -> tuple[list[str], Article]:
    """The article by ``slug`` through the page's prepared statement, and the SQL sent."""
    with CaptureQueriesContext(connection) as queries:
        article = views._published_article(slug)
    return [query["sql"] for query in queries], article


def plans() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
            [views._BY_SLUG.name],
        )
        return cursor.fetchone()


@pytest.fixture
def fresh_connection():
    connection.close()  # a connection of this test's own: nothing prepared on it yet
    yield
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_an_article_is_read_through_a_statement_prepared_once_with_one_plan(fresh_connection):
    first, second = ArticleFactory(), ArticleFactory(tags=[TagFactory()])
    sent, found = read(first.slug)
    assert len(sent) == 1 and sent[0].startswith("PREPARE ")  # with its first run
    assert found.pk == first.pk and found.title == first.title
    sent, found = read(second.slug)
    assert len(sent) == 1 and sent[0].startswith("SET LOCAL plan_cache_mode")
    assert "EXECUTE" in sent[0] and "PREPARE" not in sent[0]
    assert found.pk == second.pk
    assert [tag.name for tag in views.rows.unpack(found)["tags"]] == [second.tags.get().name]
    assert plans() == (2, 0)  # planned once, for every slug: no plan made for one value


@pytest.mark.django_db(transaction=True)
def test_a_statement_dropped_behind_its_back_is_prepared_again(fresh_connection):
    article = ArticleFactory()
    read(article.slug)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a connection pooler's DISCARD ALL would
    sent, found = read(article.slug)
    assert found.pk == article.pk  # the plain query answered
    sent, found = read(article.slug)
    assert sent[0].startswith("PREPARE ") and found.pk == article.pk


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_has_it_prepared_again(fresh_connection):
    article = ArticleFactory()
    read(article.slug)
    connection.close()
    sent, found = read(article.slug)
    assert sent[0].startswith("PREPARE ") and found.pk == article.pk


def test_inside_a_transaction_the_plain_query_runs(db):
    article = ArticleFactory()
    sent, found = read(article.slug)
    assert found.pk == article.pk
    assert not any("PREPARE" in sql or "EXECUTE" in sql for sql in sent)


def test_an_article_that_is_not_published_is_not_found(db):
    with pytest.raises(Http404):
        views._published_article(ArticleFactory(status=Article.Status.DRAFT).slug)


@pytest.mark.django_db(transaction=True)
def test_search_results_are_the_same_through_the_prepared_listing(fresh_connection):
    ArticleFactory(title="Ketamine infusions", body="What an infusion of ketamine is like.")
    ArticleFactory(title="Other", summary="Ketamine, briefly.", body="Nothing here.")
    search.rebuild_terms()

    def shown():
        results = search.search("ketamine infusion")
        return [
            (a.title, str(a.snippet), [c.name for c in a.category_list], a.has_medical_review)
            for a in results.page.object_list
        ]

    prepared = shown()
    with transaction.atomic():
        plain = shown()
    assert prepared == plain and prepared[0][1].count("<mark>") >= 2
