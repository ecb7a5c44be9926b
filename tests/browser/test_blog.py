"""A reader on a phone: search from the header, open the article, follow the table of
contents, reach the consultation CTA.  axe on every page visited."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from blog.models import Article
from blog.seed import seed_blog
from clinic.seed import seed_clinic, seed_pages
from tests.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(settings, tmp_path):
    """The demo articles, as `make run` shows them (the live server does not serve media:
    the images' alt text stands in)."""
    settings.MEDIA_ROOT = tmp_path
    seed_clinic()
    seed_pages()
    seed_blog()


def test_reader_finds_reads_and_reaches_the_consultation(new_page, axe_check, library):
    page = new_page(PHONE)
    page.goto("/")
    axe_check(page)
    page.locator("header summary", has_text="Menu").click()
    page.get_by_label("What would you like to find?").first.fill("ketamin treatment")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    first_result = page.locator(".search-results li").first
    expect(first_result.get_by_role("heading")).to_have_text("What is Ketamine Treatment?")
    axe_check(page)

    page.get_by_role("link", name="What is Ketamine Treatment?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is Ketamine Treatment?")
    # The demo reviewer is a stand-in: the page claims no review that did not happen.
    expect(page.get_by_text("Not yet reviewed by our medical director.")).to_be_visible()
    expect(page.get_by_text("Medically reviewed by")).to_have_count(0)
    axe_check(page)

    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Will ketamine treatment work for me?"
    ).click()
    assert page.url.endswith("#will-ketamine-treatment-work-for-me")
    heading = page.get_by_role("heading", name="Will ketamine treatment work for me?")
    expect(heading).to_be_in_viewport()

    cta = page.get_by_role("link", name="Request a free consultation").first
    cta.scroll_into_view_if_needed()
    expect(cta).to_be_in_viewport()
    cta.click()
    assert "/consultation/?interest=depression&from=" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a free consultation")
    axe_check(page)


def test_article_list_category_and_search_pages_are_accessible(new_page, axe_check, library):
    page = new_page(PHONE)
    for url in (
        "/blog/",
        "/blog/category/chronic-pain/",
        "/blog/tag/ketamine/",
        "/search/?q=nothingmatcheszz",
        "/search/?q=ketamin+xylophone",  # "Did you mean"
        "/search/?q=i+want+to+die",  # the crisis block above the results
    ):
        page.goto(url)
        axe_check(page)


def test_search_results_are_a_compact_list(new_page, axe_check, library):
    """Title, categories, date reviewed (only when a real reviewer signed it off) and whole
    sentences: several results to a phone's first screen, no pictures."""
    page = new_page(PHONE)
    page.goto("/search/?q=ketamine+depression")
    results = page.locator(".search-results > li")
    assert results.count() >= 4
    expect(page.locator(".search-results img")).to_have_count(0)
    height = page.viewport_size["height"]
    seen = [i for i in range(results.count()) if results.nth(i).bounding_box()["y"] < height]
    assert len(seen) >= 3, f"only {len(seen)} results start on the first screen"
    for i in range(results.count()):
        result = results.nth(i)
        expect(result.get_by_role("heading", level=2)).to_have_count(1)
        # The demo's reviewer is a stand-in: no date of a review that did not happen.
        expect(result).not_to_contain_text("Reviewed")
        text = result.locator("p").last.inner_text()
        assert text[0].isupper(), f"the text under result {i + 1} begins mid-sentence: {text!r}"
    expect(page.locator(".search-results mark").first).to_be_visible()
    axe_check(page)


def serve_media(page, settings) -> None:
    """The live server does not serve media: the browser is given the stored files."""

    def fulfil(route):
        name = route.request.url.split(settings.MEDIA_URL, 1)[1]
        route.fulfill(path=Path(settings.MEDIA_ROOT) / name)

    page.route(f"**{settings.MEDIA_URL}**", fulfil)


@pytest.mark.parametrize("screen", [(PHONE, 640), (740, 360)], ids=["upright", "sideways"])
def test_an_article_on_a_phone_puts_its_words_first(new_page, axe_check, library, settings, screen):
    """The picture takes at most a third of the first screen, after the introduction; the
    demo pictures are decorative, so their alt text is empty."""
    width, height = screen
    page = new_page(width)
    page.set_viewport_size({"width": width, "height": height})
    serve_media(page, settings)
    page.goto("/blog/what-is-ketamine-treatment/")
    picture = page.locator("article header img")
    expect(picture).to_have_attribute("alt", "")
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0")
    box = picture.bounding_box()
    assert box["height"] <= page.viewport_size["height"] / 3 + 1, box
    lead = page.locator("article header .lead").bounding_box()
    assert box["width"] >= lead["width"] - 1  # the column's width: cropped, not shrunk
    assert lead["y"] + lead["height"] <= box["y"]
    axe_check(page)


def test_a_described_picture_keeps_its_alt_text(new_page, library):
    article = Article.objects.get(slug="what-is-ketamine-treatment")
    Article.objects.filter(pk=article.pk).update(hero_decorative=False)
    page = new_page(PHONE)
    page.goto(article.get_absolute_url())
    expect(page.locator("article header img")).to_have_attribute("alt", article.hero_alt)
