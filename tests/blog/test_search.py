"""Search: ranked full-text search, typo fallback, crisis help, and a privacy-safe log."""

import datetime as dt

import pytest
from django.utils import timezone

from blog import search
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


def test_zero_result_queries_are_counted_words_only(library):
    search.search("Esketamine Nasal Spray")
    search.search("esketamine   nasal spray")
    entry = ZeroResultSearch.objects.get()
    assert entry.query == "esketamine nasal spray"
    assert entry.count == 2


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
def test_personal_or_crisis_queries_are_never_stored(library, query):
    search.search(query)
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
    assert not ZeroResultSearch.objects.exists()
