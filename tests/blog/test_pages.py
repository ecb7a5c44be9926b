"""What a reader sees on article and list pages: related articles, byline, hero images that
neither shift the layout nor load before they are needed, canonical addresses, the CTA."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile

from blog import tasks
from blog.images import RENDITION_WIDTHS, generate_demo_image
from tests.factories import ArticleFactory, CategoryFactory, ReferenceFactory, TagFactory

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def with_hero(article, alt="Calm teal waves"):
    image = generate_demo_image(article.slug, ("#0d5467", "#f3e9d2"))
    article.hero_image.save(f"{article.slug}.jpg", ContentFile(image), save=False)
    article.hero_alt = alt
    article.save()
    return tasks.article_process_hero(article=article)


# --- Related articles ---------------------------------------------------------------------


def test_related_articles_share_a_category_first(client):
    depression = CategoryFactory(name="Depression", slug="depression")
    anxiety = CategoryFactory(name="Anxiety", slug="anxiety")
    pain = CategoryFactory(name="Pain", slug="pain")
    days_ago = lambda n: dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=n)  # noqa: E731
    article = ArticleFactory(slug="main", categories=[depression, anxiety])
    ArticleFactory(title="Shares both", categories=[depression, anxiety], published_at=days_ago(30))
    ArticleFactory(title="Shares one", categories=[anxiety], published_at=days_ago(20))
    ArticleFactory(title="Newest elsewhere", categories=[pain], published_at=days_ago(2))
    ArticleFactory(title="Older elsewhere", categories=[pain], published_at=days_ago(40))
    ArticleFactory(title="Draft in depression", categories=[depression], status="draft")

    soup = soup_of(client, article.get_absolute_url())
    section = soup.find("section", attrs={"aria-labelledby": "related-heading"})
    titles = [h.get_text(strip=True) for h in section.find_all("h3")]
    assert titles == ["Shares both", "Shares one", "Newest elsewhere"]


def related_titles(client, article) -> list[str]:
    soup = soup_of(client, article.get_absolute_url())
    section = soup.find("section", attrs={"aria-labelledby": "related-heading"})
    return [h.get_text(strip=True) for h in section.find_all("h3")] if section else []


def test_a_withdrawn_article_leaves_related_articles_at_once(client):
    article = ArticleFactory(slug="main")
    for n in range(3):
        ArticleFactory(title=f"Older {n}", published_at=dt.datetime(2026, 1, 1 + n, tzinfo=dt.UTC))
    newest = ArticleFactory(title="Soon withdrawn")
    assert related_titles(client, article) == ["Soon withdrawn", "Older 2", "Older 1"]
    newest.status = "draft"
    newest.save()
    client.cookies["sessionid"] = "x"  # past the page cache: the related index itself
    assert related_titles(client, article) == ["Older 2", "Older 1", "Older 0"]


def test_a_related_article_edited_shows_its_new_card_at_once(client):
    """The section is kept as HTML per content generation: an edit makes a new one."""
    article = ArticleFactory(slug="main")
    others = [
        ArticleFactory(title=f"Older {n}", published_at=dt.datetime(2026, 1, 1 + n, tzinfo=dt.UTC))
        for n in range(3)
    ]
    client.cookies["sessionid"] = "x"  # past the page cache: the section itself
    assert related_titles(client, article) == ["Older 2", "Older 1", "Older 0"]
    others[2].title = "Renamed"
    others[2].save()
    assert related_titles(client, article) == ["Renamed", "Older 1", "Older 0"]


def test_a_kept_section_needs_no_query(client, django_assert_num_queries):
    """Shown again in the same content generation, the section is the HTML kept the first
    time: its cards are neither fetched nor rendered again."""
    article = ArticleFactory(slug="main")
    for n in range(3):
        ArticleFactory(title=f"Older {n}", published_at=dt.datetime(2026, 1, 1 + n, tzinfo=dt.UTC))
    client.get("/about/")  # the clinic's facts made and cached, as on a running site
    client.cookies["sessionid"] = "x"  # past the page cache
    client.get(article.get_absolute_url())
    # Only the article with its categories, tags and references (the session and the
    # clinic's facts come from the cache).
    with django_assert_num_queries(1):
        assert related_titles(client, article) == ["Older 2", "Older 1", "Older 0"]


def test_a_section_another_process_rendered_is_read_not_rendered(client, django_assert_num_queries):
    """The first process to render a section leaves it in the shared page store: another
    one (here: this one with its own copies dropped) reads it there instead of fetching and
    rendering the cards, and a save still makes a new one."""
    from blog import related

    article = ArticleFactory(slug="main")
    others = [
        ArticleFactory(title=f"Older {n}", published_at=dt.datetime(2026, 1, 1 + n, tzinfo=dt.UTC))
        for n in range(3)
    ]
    client.get("/about/")  # the clinic's facts made and cached, as on a running site
    client.cookies["sessionid"] = "x"  # past the page cache
    client.get(article.get_absolute_url())
    related._sections.clear()  # another worker: none of this one's copies
    with django_assert_num_queries(1):  # the article alone: no cards fetched
        assert related_titles(client, article) == ["Older 2", "Older 1", "Older 0"]
    others[2].title = "Renamed"
    others[2].save()
    related._sections.clear()
    assert related_titles(client, article) == ["Renamed", "Older 1", "Older 0"]


def test_a_shared_store_that_does_not_answer_costs_only_the_render(client, monkeypatch):
    from django.core.cache import caches

    from blog import related
    from mindscape.rediscache import CacheUnavailable

    def away(*args, **kwargs):
        raise CacheUnavailable

    article = ArticleFactory(slug="main")
    for n in range(3):
        ArticleFactory(title=f"Older {n}", published_at=dt.datetime(2026, 1, 1 + n, tzinfo=dt.UTC))
    monkeypatch.setattr(caches["pages"], "get", away)
    monkeypatch.setattr(caches["pages"], "set", away)
    client.cookies["sessionid"] = "x"  # past the page cache
    related._sections.clear()
    assert related_titles(client, article) == ["Older 2", "Older 1", "Older 0"]


def test_a_scheduled_article_joins_related_articles_on_time(client, time_machine):
    article = ArticleFactory(slug="main")
    for n in range(3):
        ArticleFactory(title=f"Older {n}", published_at=dt.datetime(2026, 1, 1 + n, tzinfo=dt.UTC))
    ArticleFactory(
        title="Scheduled", published_at=dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=5)
    )
    client.cookies["sessionid"] = "x"  # past the page cache
    assert related_titles(client, article) == ["Older 2", "Older 1", "Older 0"]
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=10))
    assert related_titles(client, article) == ["Scheduled", "Older 2", "Older 1"]


def test_categories_tags_and_references_show_in_their_order(client):
    """They come in the article's own query (one JSON column): each list keeps the order
    staff gave it — categories by position then name, tags by name, references by
    position — whatever order they were made in."""
    categories = [
        CategoryFactory(name="Zeta", slug="zeta", position=2),
        CategoryFactory(name="Beta", slug="beta", position=1),
        CategoryFactory(name="Alpha", slug="alpha", position=2),
    ]
    tags = [TagFactory(name=n, slug=n) for n in ("sleep", "anxiety", "pain")]
    article = ArticleFactory(slug="main", categories=categories, tags=tags)
    for position, citation in ((3, "Third C."), (1, "First A."), (2, "Second B.")):
        ReferenceFactory(article=article, position=position, citation=citation)

    soup = soup_of(client, article.get_absolute_url())
    header = soup.find("article").find("header")
    assert [a.get_text() for a in header.find("p").find_all("a")] == ["Beta", "Alpha", "Zeta"]
    topics = soup.find(string=lambda s: s and s.startswith("Topics:")).parent
    assert [a.get_text() for a in topics.find_all("a")] == ["anxiety", "pain", "sleep"]
    references = soup.find("ol", class_="references").find_all("li")
    assert [li.get_text().split(".")[0] for li in references] == ["First A", "Second B", "Third C"]


# --- Byline, CTA, canonical -----------------------------------------------------------------


def test_byline_names_the_reviewer_and_the_review_date(client):
    article = ArticleFactory(last_reviewed=dt.date(2026, 1, 5))
    soup = soup_of(client, article.get_absolute_url())
    byline = soup.find(class_="byline")
    text = " ".join(byline.get_text().split())
    assert f"Medically reviewed by {article.reviewer} on January 5, 2026." in text
    assert byline.find("time", datetime="2026-01-05")


def test_category_page_offers_the_consultation_for_its_topic(client):
    ArticleFactory(categories=[CategoryFactory(name="Chronic Pain", slug="chronic-pain")])
    soup = soup_of(client, "/blog/category/chronic-pain/")
    cta = soup.find("a", string="Request a free consultation")
    assert cta["href"] == "/consultation/?interest=chronic-pain"


def test_canonical_address_drops_tracking_parameters(client):
    article = ArticleFactory(slug="calm")
    soup = soup_of(client, "/blog/calm/?utm_source=newsletter&fbclid=abc")
    assert soup.find("link", rel="canonical")["href"] == "http://testserver/blog/calm/"
    og_url = soup.find("meta", property="og:url")["content"]
    assert og_url == "http://testserver/blog/calm/"
    assert article.slug in og_url


def test_canonical_address_of_a_list_keeps_only_the_page_number(client):
    for _ in range(12):
        ArticleFactory()
    first = soup_of(client, "/blog/?utm_campaign=spring")
    assert first.find("link", rel="canonical")["href"] == "http://testserver/blog/"
    second = soup_of(client, "/blog/?page=2&utm_campaign=spring")
    assert second.find("link", rel="canonical")["href"] == "http://testserver/blog/?page=2"


# --- Hero images ----------------------------------------------------------------------------


def test_article_hero_is_responsive_sized_and_loaded_first(client, media):
    article = with_hero(ArticleFactory(slug="with-hero"))
    soup = soup_of(client, article.get_absolute_url())
    picture = soup.find("article").find("picture")

    webp = picture.find("source", type="image/webp")
    widths = [entry.split()[-1] for entry in webp["srcset"].split(", ")]
    assert widths == [f"{w}w" for w in RENDITION_WIDTHS]
    assert webp["sizes"]
    img = picture.find("img")
    assert img["alt"] == "Calm teal waves"
    assert img["sizes"] == webp["sizes"]
    assert [e.split()[0].rsplit(".", 1)[1] for e in img["srcset"].split(", ")] == ["jpg"] * 4
    # Width and height reserve the space (16:9) before the image arrives.
    assert int(img["width"]) * 9 == int(img["height"]) * 16
    # The hero is above the fold: fetched at once, never lazily.
    assert img.get("loading") is None and img["fetchpriority"] == "high"
    for entry in [*webp["srcset"].split(", "), *img["srcset"].split(", ")]:
        url = entry.split()[0]
        assert url.startswith("/media/")
        assert (media / url.removeprefix("/media/")).is_file()


def test_images_below_the_fold_load_lazily(client, media):
    main = with_hero(ArticleFactory(slug="main"))
    for n in range(3):
        with_hero(ArticleFactory(slug=f"other-{n}"))

    related = soup_of(client, main.get_absolute_url()).find(
        "section", attrs={"aria-labelledby": "related-heading"}
    )
    images = related.find_all("img")
    assert len(images) == 3
    assert all(img["loading"] == "lazy" and img["width"] and img["height"] for img in images)

    listing = soup_of(client, "/blog/").find("main").find_all("img")
    assert len(listing) == 4
    assert listing[0].get("loading") is None  # the first card is in view on a phone
    assert all(img["loading"] == "lazy" for img in listing[1:])


def test_article_without_image_renders_no_picture(client):
    article = ArticleFactory()
    soup = soup_of(client, article.get_absolute_url())
    assert soup.find("picture") is None
    assert soup.find("meta", property="og:image") is None


def test_seo_title_and_description_are_used_when_given(client):
    article = ArticleFactory(
        title="What is Ketamine Treatment?",
        seo_title="Ketamine Treatment Explained",
        seo_description="A plain guide to ketamine infusions.",
    )
    soup = soup_of(client, article.get_absolute_url())
    assert soup.title.string.startswith("Ketamine Treatment Explained |")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description == "A plain guide to ketamine infusions."
    assert soup.find("meta", property="og:title")["content"] == "Ketamine Treatment Explained"
    assert soup.find("h1").get_text() == "What is Ketamine Treatment?"


def test_a_decorative_hero_has_an_empty_alt_and_needs_no_description(client, media):
    from django.core.exceptions import ValidationError

    article = ArticleFactory()
    article.hero_decorative = True
    article.hero_alt = ""
    image = generate_demo_image(article.slug, ("#0d5467", "#f3e9d2"))
    article.hero_image.save(f"{article.slug}.jpg", ContentFile(image), save=False)
    article.full_clean(exclude=["categories", "tags"])  # no description needed
    article.save()
    tasks.article_process_hero(article=article)
    article.refresh_from_db()
    soup = soup_of(client, article.get_absolute_url())
    assert soup.select_one("article header img")["alt"] == ""
    assert soup.find("meta", property="og:image:alt") is None
    article.hero_decorative = False
    with pytest.raises(ValidationError):
        article.full_clean(exclude=["categories", "tags"])
