"""Search: ranked full-text search, typo fallback, crisis help, and a privacy-safe log."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog import search, snippets
from blog.models import ZeroResultSearch
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    articles = {
        "title": ArticleFactory(
            title="Depression and ketamine",
            summary="An overview.",
            body="## About\n\nGeneral text.",
        ),
        "summary": ArticleFactory(
            title="Infusion day", summary="What depression treatment feels like.", body="Text."
        ),
        "body": ArticleFactory(
            title="Chronic pain", summary="Nerve pain.", body="Pain often comes with depression."
        ),
        "other": ArticleFactory(title="PTSD", summary="Trauma.", body="<b>Trauma</b> & recovery."),
    }
    search.rebuild_terms()
    return articles


def titles(results):
    return [a.title for a in results.page.object_list]


def test_title_outranks_summary_outranks_body(library):
    results = search.search("depression")
    assert titles(results) == ["Depression and ketamine", "Infusion day", "Chronic pain"]


def test_stemming_finds_other_word_forms(library):
    assert "Infusion day" in titles(search.search("treatments"))
    assert "Depression and ketamine" in titles(search.search("depressed"))


@pytest.mark.parametrize("typo", ["depresion", "dpression", "ketamin", "ketamne"])
def test_typos_still_find_the_article(library, typo):
    results = search.search(typo)
    assert results.page is not None, typo
    assert "Depression and ketamine" in titles(results)


def test_fallback_says_what_it_searched_for(library):
    results = search.search("depresion")
    assert results.searched_for == "depression"


def test_snippets_highlight_and_escape(library):
    results = search.search("trauma")
    snippet = str(results.page.object_list[0].snippet)
    assert "<mark>Trauma</mark>" in snippet
    assert "<b>" not in snippet and "&amp;" in snippet


def test_results_are_paginated(db):
    for n in range(search.PER_PAGE + 3):
        ArticleFactory(title=f"Ketamine note {n}")
    first = search.search("ketamine")
    assert first.count == search.PER_PAGE + 3
    assert len(first.page.object_list) == search.PER_PAGE
    assert len(search.search("ketamine", 2).page.object_list) == 3


def test_pages_follow_the_rank_then_the_newest_then_the_last_made(db):
    """Neither the order articles were made in nor their ids decide: the rank does, then the
    publication date, then the later made; page 2 goes on where page 1 stopped."""
    now = timezone.now()
    day = dt.timedelta(days=1)
    # Made first, ranked last: the word only in the body, published on different days.
    body = [
        ArticleFactory(
            title=f"Body note {n}", body="Ketamine is mentioned.", published_at=now - n * day
        )
        for n in range(1, 7)
    ]
    # Made later, ranked first: the word in the title; two share a publication time.
    title = [
        ArticleFactory(
            title=f"Ketamine note {n}", body="Text.", published_at=now - (n // 2 + 1) * day
        )
        for n in range(6)
    ]
    newest_first = sorted(title, key=lambda a: (a.published_at, a.pk), reverse=True)
    expected = [a.title for a in newest_first + body]
    first, second = search.search("ketamine", 1), search.search("ketamine", 2)
    assert titles(first) + titles(second) == expected
    assert first.count == second.count == 12


@pytest.mark.parametrize(
    ("asked", "number"), [("2", 2), ("9", 2), ("0", 2), ("-1", 2), ("x", 1), ("2.5", 1), (None, 1)]
)
def test_odd_page_numbers_get_the_page_paginator_get_page_gives(db, asked, number):
    for n in range(search.PER_PAGE + 3):
        ArticleFactory(title=f"Ketamine note {n}")
    results = search.search("ketamine", asked)
    assert results.page.number == number
    assert results.count == search.PER_PAGE + 3
    assert results.page.paginator.num_pages == 2


VISITORS = ["203.0.113.1", "203.0.113.2", "2001:db8:1:2::7"]


def searched_by_visitors(client, query: str, addresses=VISITORS):
    for address in addresses:
        assert client.get("/search/", {"q": query}, REMOTE_ADDR=address).status_code == 200


def test_zero_result_queries_are_counted_words_only(library):
    for n, query in enumerate(["Esketamine Nasal Spray", "esketamine   nasal spray"] * 2):
        search.search(query, client=VISITORS[n % 3])
    entry = ZeroResultSearch.objects.get()
    assert entry.query == "esketamine nasal spray"
    assert entry.count == 4


def test_zero_result_words_are_kept_only_once_three_visitors_sent_them(client, library):
    """A name one person (or two) typed never reaches the editors; below three different
    visitors in a day nothing readable is stored, neither the words nor the address."""
    from django.db import connection

    from blog.models import SearchSalt, ZeroResultSighting

    query = "dr jonathan whitcombe"
    searched_by_visitors(client, query, ["203.0.113.1", "2001:db8:1:2::7"])
    # The same visitors again (an IPv6 visitor by its /64 network) are still two.
    searched_by_visitors(client, query, ["203.0.113.1", "2001:db8:1:2::9"])
    assert not ZeroResultSearch.objects.exists()
    assert ZeroResultSighting.objects.count() == 2
    with connection.cursor() as cursor:
        for model in (ZeroResultSighting, SearchSalt):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            stored = repr(cursor.fetchall())
            for secret in ("jonathan", "whitcombe", "203.0.113", "2001:db8"):
                assert secret not in stored

    searched_by_visitors(client, "Dr Jonathan  Whitcombe", ["198.51.100.4"])  # the third
    entry = ZeroResultSearch.objects.get()
    assert (entry.query, entry.count) == (query, 3)
    assert not ZeroResultSighting.objects.exists()  # its hashes are no longer needed
    searched_by_visitors(client, query, ["203.0.113.1"])
    assert ZeroResultSearch.objects.get().count == 4


def test_visitors_are_told_apart_with_a_salt_that_changes_daily(client, library, time_machine):
    from blog.models import SearchSalt, ZeroResultSighting

    time_machine.move_to(timezone.now().replace(hour=12))
    searched_by_visitors(client, "xylophone lessons", VISITORS[:1])
    first = ZeroResultSighting.objects.get()
    time_machine.move_to(timezone.now() + dt.timedelta(days=1))
    searched_by_visitors(client, "xylophone lessons", VISITORS[:1])
    second = ZeroResultSighting.objects.exclude(pk=first.pk).get()
    assert second.visitor_hash != first.visitor_hash
    assert second.query_hash != first.query_hash
    # Visitors of different days do not add up.
    searched_by_visitors(client, "xylophone lessons", VISITORS[1:2])
    assert not ZeroResultSearch.objects.exists()
    # The periodic job forgets yesterday's salt and hashes.
    search.prune_zero_results()
    assert list(SearchSalt.objects.values_list("day", flat=True)) == [timezone.localdate()]
    assert ZeroResultSighting.objects.filter(day__lt=timezone.localdate()).count() == 0
    assert ZeroResultSighting.objects.count() == 2


def test_a_search_without_a_client_address_counts_nothing(library):
    for _ in range(3):
        search.search("xylophone")
    assert not ZeroResultSearch.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "I want to kill myself",
        "suicide",
        "jane.doe@example.com",
        "call me 207 555 0143",
        "+12075550143",
        "my mrn 12345678",
        "born 1984",
        "dob 3/4/84",
        "ssn 123-45-6789",
    ],
)
def test_personal_or_crisis_queries_are_never_stored(client, library, query):
    searched_by_visitors(client, query)
    assert not ZeroResultSearch.objects.exists()


def test_crisis_query_shows_help_above_results(client, library):
    html = client.get("/search/", {"q": "I want to die depression"}).content.decode()
    assert html.index('class="crisis') < html.index("<h1>Search</h1>")


def test_empty_and_zero_result_searches_suggest_articles_and_a_consultation(client, library):
    for query in ("", "xylophone"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert "Articles readers find helpful" in html
        assert "Request a free consultation" in html


def test_search_pages_are_never_cached(client, library):
    response = client.get("/search/", {"q": "depression"})
    assert "no-store" in response["Cache-Control"]


def test_overlong_query_is_cut_not_refused(client, library):
    assert client.get("/search/", {"q": "depression " * 100}).status_code == 200


def test_did_you_mean_is_offered_only_when_it_finds_something(client, library):
    results = search.search("ketamin xylophone")
    assert results.page is None and results.suggestion == "ketamine"
    assert search.search(results.suggestion).page is not None
    html = client.get("/search/", {"q": "ketamin xylophone"}).content.decode()
    assert 'Did you mean <a href="?q=ketamine">ketamine</a>?' in html
    # Words that match nothing we publish are not dressed up as a suggestion.
    assert search.search("xylophone").suggestion == ""


def test_typo_search_finds_a_scheduled_article_once_it_is_live(library, time_machine):
    ArticleFactory(
        title="Esketamine nasal spray",
        summary="Spravato.",
        body="Text.",
        published_at=timezone.now() + dt.timedelta(hours=1),
    )
    search.rebuild_terms()  # as when it was published, ahead of its date
    before = search.search("esketamne")
    assert (before.page, before.searched_for, before.suggestion) == (None, "", "")
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))
    after = search.search("esketamne")
    assert after.searched_for == "esketamine"
    assert titles(after) == ["Esketamine nasal spray"]


def test_crisis_query_that_finds_nothing_still_shows_help(client, library):
    html = client.get("/search/", {"q": "i want to end my life"}).content.decode()
    assert 'class="crisis' in html
    assert html.index('class="crisis') < html.index("<h1>Search</h1>")
    searched_by_visitors(client, "i want to end my life")
    assert not ZeroResultSearch.objects.exists()


def test_snippets_begin_at_a_sentence_and_hold_whole_sentences(db):
    ArticleFactory(
        title="A short history",
        summary="Where the medicine came from.",
        body=(
            "## Beginnings\n\nKetamine was first made in 1962 as an anaesthetic for surgery, and "
            "it is still used in operating rooms and emergency care around the world today. "
            "Decades later, researchers noticed that low doses could ease depression within "
            "hours. That finding changed the field."
        ),
    )
    snippet = str(search.search("depression").page.object_list[0].snippet)
    assert snippet.startswith("Decades later, researchers noticed")
    assert "<mark>depression</mark>" in snippet
    assert snippet.endswith("That finding changed the field.")


def test_a_snippet_is_empty_when_only_the_title_matched(library):
    results = search.search("depression")
    first = results.page.object_list[0]
    assert first.title == "Depression and ketamine" and first.snippet == ""


def test_a_long_sentence_is_cut_short_with_its_mark_closed():
    words = " ".join(["word"] * 9)
    marked = f"Intro. Word {words} \x02hit\x03 " + " ".join(["more"] * 50) + "."
    snippet = snippets.sentence_snippet(marked, max_words=12)
    assert snippet.startswith("Word word") and snippet.endswith(" …")
    assert snippet.count("\x02") == snippet.count("\x03") == 1
    assert snippets.sentence_snippet("Nothing marked here.") == ""


def test_each_result_shows_its_categories_and_its_review(client, db):
    """What the results page prints under each title: the categories in their display order,
    and the review date only when a real reviewer signed it (not a demo stand-in)."""
    from tests.factories import CategoryFactory, ContributorFactory

    late = CategoryFactory(name="Chronic pain", slug="chronic-pain", position=2)
    early = CategoryFactory(name="Anxiety", slug="anxiety", position=1)
    ArticleFactory(
        title="Reviewed infusion guide",
        body="Infusion basics.",
        categories=[late, early],
        last_reviewed=dt.date(2026, 3, 5),
    )
    ArticleFactory(
        title="Unreviewed infusion notes",
        body="Infusion notes.",
        reviewer=ContributorFactory(is_placeholder=True),
    )
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/search/?q=infusion").content.decode()
    # The categories and reviewers come with the page's articles, not a query for each.
    related = [q for q in queries if "blog_contributor" in q["sql"] or "blog_category" in q["sql"]]
    assert len(related) == 1
    reviewed = html[html.index("Reviewed infusion guide") :]
    reviewed = reviewed[: reviewed.index("</article>")]
    assert "Anxiety, Chronic pain · Reviewed" in reviewed
    assert '<time datetime="2026-03-05">Mar 5, 2026</time>' in reviewed
    unreviewed = html[html.index("Unreviewed infusion notes") :]
    unreviewed = unreviewed[: unreviewed.index("</article>")]
    assert "Depression" in unreviewed and "Reviewed" not in unreviewed
