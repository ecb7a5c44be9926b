"""The demo articles: idempotent, honest about their placeholder reviewer, and the first one
carries the corrections of clinical-reference section 1.6."""

import json
import re

import pytest
from bs4 import BeautifulSoup

from blog import seed_content
from blog.models import Article, Category
from blog.seed import seed_blog
from clinic.seed import seed_clinic

pytestmark = pytest.mark.django_db

CATEGORIES = {"Depression", "Anxiety", "PTSD", "OCD", "Chronic Pain", "Therapeutic Uses"}


@pytest.fixture
def seeded(settings, tmp_path):
    """The demo content exactly as ``make run`` makes it (images take a few seconds)."""
    settings.MEDIA_ROOT = tmp_path
    seed_clinic()
    return seed_blog()


@pytest.fixture
def seeded_text(settings, tmp_path, monkeypatch):
    """The demo content without generated images, for tests about the words."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("blog.seed.generate_demo_image", lambda *args, **kwargs: b"")
    monkeypatch.setattr("blog.seed.article_process_hero", lambda *, article: article)
    seed_clinic()
    return seed_blog()


@pytest.fixture
def ketamine(seeded_text):
    return Article.objects.get(slug="what-is-ketamine-treatment")


def page(client, article) -> BeautifulSoup:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_demo_articles_and_categories(seeded):
    assert seeded >= 6
    assert Article.objects.published().count() == seeded
    assert set(Category.objects.values_list("name", flat=True)) == CATEGORIES
    for article in Article.objects.prefetch_related("references", "categories"):
        assert article.references.exists(), article.slug
        assert article.categories.exists(), article.slug
        assert article.hero_alt and len(article.renditions) == 4, article.slug
        assert article.reviewer.name == "Medical reviewer (demo)"
        assert article.reviewer.is_placeholder and article.author.is_placeholder
        assert article.last_reviewed and article.next_review_due > article.last_reviewed


def test_seeding_again_changes_nothing(seeded_text):
    article = Article.objects.get(slug="what-is-ketamine-treatment")
    Article.objects.filter(pk=article.pk).update(summary="Edited by staff.")
    counts = (Article.objects.count(), Category.objects.count())
    assert seed_blog() == 0
    assert (Article.objects.count(), Category.objects.count()) == counts
    article.refresh_from_db()
    assert article.summary == "Edited by staff."
    assert article.references.count() == len(seed_content.ARTICLES[0]["references"])


def test_placeholder_people_never_reach_search_engines(client, seeded_text):
    for article in Article.objects.all():
        soup = page(client, article)
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert data["@type"] == "MedicalWebPage"
        assert "reviewedBy" not in data and "lastReviewed" not in data
        assert data["author"]["@type"] == "MedicalClinic"
        assert "Person" not in json.dumps(data) and "demo" not in json.dumps(data)
        # No page claims a review that did not happen.
        byline = " ".join(soup.find(class_="byline").get_text().split())
        assert "Not yet reviewed by our medical director." in byline
        assert "Medically reviewed" not in byline
    # Nor does a list of them: the home page, the blog, search results.
    for url in ("/", "/blog/", "/search/?q=ketamine"):
        listing = BeautifulSoup(client.get(url).content, "html.parser")
        for item in listing.select(".search-result, .card"):
            assert "Reviewed" not in item.get_text(), url


def test_the_first_article_is_what_is_ketamine_treatment(ketamine):
    assert seed_content.ARTICLES[0]["slug"] == ketamine.slug
    assert ketamine.title == "What is Ketamine Treatment?"
    assert Article.objects.published().last() == ketamine  # the oldest: it came first


# The source page's topics, each a section of the article (table of contents).
TOPICS = [
    "what is ketamine",
    "infusion therapy",
    "thought to work",
    "low-dose and high-dose",
    "chronic pain",
    "therapeutic uses",
    "iv ketamine compared with other treatments",
    "will ketamine treatment work for me",
]


def test_the_ketamine_article_covers_the_source_pages_topics(ketamine):
    headings = [entry["title"].lower() for entry in ketamine.toc]
    for topic in TOPICS:
        assert any(topic in heading for heading in headings), topic


def test_the_ketamine_article_carries_the_corrections(ketamine):
    text = " ".join(ketamine.body_text.split())
    # Zarate 2006: 18 enrolled, percentages of the 17 who had ketamine, and its limits.
    assert "18 adults" in text and "17 people who received ketamine" in text
    assert "crossover" in text and "saline" in text and "within 110 minutes" in text
    for limit in ("very small", "single infusion", "only one week", "weakens the"):
        assert limit in text, limit
    # Esketamine's approvals, and IV ketamine's status.
    assert "Spravato" in text and "approved in 2019" in text and "In 2020" in text
    assert "early 2025" in text and "off-label" in text
    assert "not FDA-approved to treat any psychiatric disorder" in text
    # Mechanism: NMDA antagonist; the serotonin-reuptake claim is named as not established.
    assert "non-competitive NMDA receptor antagonist" in text
    assert "not the established explanation" in text
    assert "first approved it in 1970" in text and "Schedule III" in text
    # Crisis line: 988, not the retired number or the discontinued option.
    assert "988" in text and "988lifeline.org" in text
    for outdated in ("273-8255", "273-TALK", "Press 3", "most commonly used in veterinary"):
        assert outdated not in text, outdated


def test_the_ketamine_article_has_no_unsupported_statistics(ketamine):
    # Only the figures verified in clinical-reference 1.1: Zarate 2006 and Murrough 2013.
    verified = {"71%", "29%", "35%", "64%", "28%"}
    text = f"{ketamine.title} {ketamine.summary} {ketamine.body_text}"
    assert set(re.findall(r"\d+(?:\.\d+)?\s?%", text)) <= verified
    assert "70%" not in text and "miracle" not in text.lower()


def test_the_ketamine_article_lists_its_references(client, ketamine):
    soup = page(client, ketamine)
    links = {a["href"] for a in soup.select("ol.references a")}
    assert "https://doi.org/10.1001/archpsyc.63.8.856" in links  # Zarate 2006
    assert "https://doi.org/10.1016/S0006-3223(99)00230-9" in links  # Berman 2000
    citations = soup.select_one("ol.references").get_text(" ")
    assert "Zarate CA Jr" in citations and "2006;63(8):856-864" in citations
    assert "Spravato" in citations


LIMITATION_OF_USE = (
    "“effectiveness in preventing suicide or reducing suicidal ideation or behavior has not "
    "been demonstrated”",
    "“does not remove the need for hospitalization if clinically warranted”",
)


def spravato_articles():
    return [
        spec
        for spec in seed_content.ARTICLES
        if "In 2020" in spec["body"] or "2020:" in spec["body"]
    ]


def test_the_2020_spravato_indication_carries_its_limitation_of_use_and_a_reference(
    client, seeded_text
):
    specs = spravato_articles()
    assert {spec["slug"] for spec in specs} >= {
        "what-is-ketamine-treatment",
        "esketamine-spravato-vs-iv-ketamine",
    }
    for spec in specs:
        text = " ".join(page(client, Article.objects.get(slug=spec["slug"])).get_text(" ").split())
        for quoted in LIMITATION_OF_USE:
            assert quoted in text, (spec["slug"], quoted)
        citations = [reference["citation"] for reference in spec["references"]]
        assert any(
            "Spravato (esketamine) nasal spray: prescribing information" in c for c in citations
        )


def test_no_article_claims_what_its_references_do_not_hold():
    for spec in seed_content.ARTICLES:
        body = spec["body"]
        citations = " ".join(reference["citation"] for reference in spec["references"])
        # The ASA statement has no entry in the clinical reference's list to cite.
        assert "Anesthesiologists" not in body or "Anesthesiologists" in citations, spec["slug"]
        if "boxed warning" in body:
            assert "Spravato (esketamine) nasal spray: prescribing information" in citations
            # The reference lists these four and marks the current label text unverified.
            assert "respiratory depression" not in body, spec["slug"]
        if "1970" in body:
            assert "initial U.S. approval 1970" in citations, spec["slug"]
