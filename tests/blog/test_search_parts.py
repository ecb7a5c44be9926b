"""Search's shortcuts give what the plain way gives: a snippet read from the start of a body
is the snippet of the whole body, and the search vector stays inside its row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from blog import search, snippets
from blog.models import Article
from blog.seed import seed_blog
from clinic.seed import seed_clinic
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SIZE = snippets.HEADLINE_PARTS[0]


def compared(query: str) -> list[tuple[int, str, str, bool]]:
    """Each matching article: its snippet as search makes it, the snippet of its whole body
    (as search made it before the shortcut), and whether the shortcut was taken."""
    search_query = search._search_query(query)
    rows = (
        Article.objects.filter(search_vector=search_query)
        .annotate(
            part=snippets.Headline(search_query),
            whole=snippets.marked(F("body_text"), search_query),
        )
        .values_list("pk", "part", "whole")
    )
    return [
        (pk, snippets.sentence_snippet(part), snippets.sentence_snippet(whole), part != whole)
        for pk, part, whole in rows
    ]


def with_body_text(text: str, **kwargs) -> Article:
    """An article whose body text is exactly ``text`` (saving would derive it from Markdown)."""
    article = ArticleFactory(title="A title", summary="A summary.", **kwargs)
    Article.objects.filter(pk=article.pk).update(body_text=text)
    return article


@pytest.fixture
def demo_articles(settings, tmp_path, monkeypatch):
    """The demo articles' real text (long bodies; headings, lists, quotes), no images."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("blog.seed.generate_demo_image", lambda *args, **kwargs: b"")
    monkeypatch.setattr("blog.seed.article_process_hero", lambda *, article: article)
    seed_clinic()
    seed_blog()


@pytest.mark.parametrize(
    "query",
    [
        "ketamine",
        "depression",
        "ketamine infusion side effects",
        "esketamine nasal spray",
        '"nasal spray"',  # a phrase
        "ketamine -esketamine",  # a word that must not be there
        "infusion or spray",
        "anxiety",
        "chronic pain",
        "suicidal",  # first found deep in most bodies
        "sleep",
        "dose",
        "honest",  # in one title or summary only, in other bodies
        "side",
        "plain-language",  # in a summary only
        "compare",
    ],
)
def test_snippets_of_the_demo_articles_are_those_of_their_whole_bodies(demo_articles, query):
    rows = compared(query)
    assert rows, query
    for pk, snippet, whole_snippet, _ in rows:
        assert snippet == whole_snippet, (query, pk)


def test_the_demo_articles_take_the_shortcut_and_the_whole_body_when_needed(demo_articles):
    shortcut = [taken for query in ("ketamine", "suicidal") for *_, taken in compared(query)]
    assert any(shortcut) and not all(shortcut)


def test_a_heading_just_before_the_cut_reads_on_into_the_next_paragraph(db):
    """After a heading the snippet takes the next paragraph too: a part that ends with the
    heading does not settle it."""
    filler = "Plain words without the topic here. " * ((SIZE - 40) // 36)
    heading = "Depression in short"
    body = f"{filler}\n{heading}\nIt is common. It can be treated. Ketamine is one way.\n"
    assert len(filler) + 1 + len(heading) < SIZE < len(body)
    with_body_text(body)
    [(_, snippet, whole_snippet, _)] = compared("depression")
    assert snippet == whole_snippet
    assert snippet.endswith("It can be treated. Ketamine is one way.")


@pytest.mark.parametrize("lines", [60, 200])  # the tag ends past the first part, past both
def test_a_tag_that_runs_past_the_cut_is_never_cut(db, lines):
    """PostgreSQL's parser reads "<i title=x ... x>" as one tag, across lines: cut inside it,
    the part would read (and mark) the words the whole body hides in the tag."""
    inside = "depression inside.\nA second line.\n" + "More words.\n" * lines
    with_body_text(f"Intro.\n<i title=x\n{inside}x> After that, depression.\nEnd.\n")
    [(_, snippet, whole_snippet, taken)] = compared("depression")
    assert snippet == whole_snippet
    assert snippet.endswith("After that, \x02depression\x03.")  # the words in the tag: unmarked
    assert not taken


@pytest.mark.parametrize(
    "body",
    [
        "Short body about depression.",  # shorter than a part: read whole
        "One long paragraph. " * 200 + "Then depression.",  # no line break to cut at
        "Filler line.\n" * 150 + "Depression, far down.\nNext.\n",  # past every part
        "Filler line.\n" * 100 + "Depression, within the second part.\nNext.\n",
        "Déjà vu, naïve café. " * 40 + "\nDepression after letters of two bytes.\nNext.\n",
        "Windows lines.\r\nDepression here.\r\nAnd more.\r\n" * 40,
        "Depression.\u2028A line separator.\nNext line.\n" + "More.\n" * 200,
        "Depression\n\n\n\n" + "—\n" * 300 + "Next paragraph.\n",  # the next line far away
    ],
)
def test_odd_bodies_give_the_snippet_of_the_whole_body(db, body):
    with_body_text(body)
    [(_, snippet, whole_snippet, _)] = compared("depression")
    assert snippet and snippet == whole_snippet


def test_a_snippet_found_far_down_the_body_reaches_the_page(db):
    with_body_text("Filler line.\n" * 300 + "Ketamine can ease depression.\n")
    results = search.search("depression")
    assert str(results.page.object_list[0].snippet) == (
        "Ketamine can ease <mark>depression</mark>."
    )


FILLER = "Filler line without the topic.\n" * 150  # far longer than every part


def test_a_body_without_the_words_is_not_marked_past_its_first_part(db):
    """A match in the title only: the body holds none of the words, so nothing is marked
    in it and the snippet is the summary's place; the whole body is never read for that."""
    with_body_text(FILLER)
    Article.objects.update(title="Depression explained")
    [(_, snippet, whole_snippet, taken)] = compared("depression")
    assert snippet == whole_snippet == ""
    search_query = search._search_query("depression")
    [part] = Article.objects.annotate(part=snippets.Headline(search_query)).values_list(
        "part", flat=True
    )
    assert part == ""  # not the whole body, read and marked for nothing


def test_a_body_holding_only_some_of_the_words_is_still_read_for_them(db):
    """Title "Depression explained", and "ketamine" far down the body: the query
    "depression ketamine" matches the article, and the body's word is marked."""
    with_body_text(FILLER + "Ketamine can help.\nNext.\n")
    Article.objects.update(title="Depression explained")
    [(_, snippet, whole_snippet, _)] = compared("depression ketamine")
    assert snippet == whole_snippet == "\x02Ketamine\x03 can help."


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
