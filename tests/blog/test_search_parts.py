"""The search vector stays inside its row: a search reads every matching one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from blog.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


LONG_BODY = " ".join(f"word{n} topic{n * 7} depression{n}" for n in range(150))


def vector_size_and_side_chunk(article: Article) -> tuple[int, int | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(search_vector), pg_column_toast_chunk_id(search_vector)"
            " FROM blog_article WHERE id = %s",
            [article.pk],
        )
        return cursor.fetchone()


def test_the_search_vector_is_kept_in_its_row(db):
    """A long article's vector (several kB) stays in the table row, also after an edit: a
    search reads every matching vector, and fetching each from the side table was most of
    the search's time."""
    article = ArticleFactory(body=LONG_BODY)
    article.title = "Edited title"
    article.save()
    size, chunk = vector_size_and_side_chunk(article)
    assert size > 3000 and chunk is None


def test_the_migration_moves_existing_vectors_into_their_rows(db):
    def migrate(name):
        with connection.cursor() as cursor:  # deferred checks of rows made: done, for ALTER
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("blog", name)])

    migrate("0004_hero_decorative")
    article = ArticleFactory(body=LONG_BODY)
    assert vector_size_and_side_chunk(article)[1] is not None  # stored aside, as before
    migrate("0005_search_vector_inline")
    assert vector_size_and_side_chunk(article)[1] is None
    assert list(Article.objects.filter(search_vector="depression42")) == [article]
