"""A reader on a phone: search from the header, open the article, follow the table of
contents, reach the consultation CTA.  axe on every page visited."""

import pytest
from playwright.sync_api import expect

from blog.search import rebuild_terms
from mindscape.seed import seed_clinic, seed_pages
from tests.conftest import PHONE
from tests.factories import ArticleFactory, ReferenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "\n\n".join(
    [
        "## What is ketamine?",
        "Ketamine is an anesthetic that has been studied for depression. " * 30,
        "## Low-dose and high-dose use",
        "The dose used for mood is far lower than for anesthesia. " * 30,
        "## Will it work for me?",
        "Only a conversation with a clinician can tell. " * 30,
    ]
)


@pytest.fixture
def library():
    seed_clinic()
    seed_pages()
    article = ArticleFactory(
        title="What is Ketamine Treatment?", slug="what-is-ketamine-treatment", body=BODY
    )
    ReferenceFactory(
        article=article, citation="Zarate CA Jr, et al. 2006.", doi="10.1001/archpsyc.63.8.856"
    )
    ArticleFactory(title="Ketamine for chronic pain", body="## Pain\n\nAbout pain relief.")
    rebuild_terms()
    return article


def test_reader_finds_reads_and_reaches_the_consultation(new_page, axe_check, library):
    page = new_page(PHONE)
    page.goto("/")
    axe_check(page)
    page.get_by_role("button", name="Menu").click()
    page.get_by_label("What would you like to find?").first.fill("ketamin treatment")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="What is Ketamine Treatment?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is Ketamine Treatment?")
    expect(page.get_by_text("Medically reviewed by")).to_be_visible()
    axe_check(page)

    page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Will it work for me?"
    ).click()
    assert page.url.endswith("#will-it-work-for-me")
    expect(page.get_by_role("heading", name="Will it work for me?")).to_be_in_viewport()

    page.get_by_role("link", name="Request a free consultation").first.click()
    assert page.url.endswith("/consultation/?interest=depression")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a free consultation")
    axe_check(page)


def test_article_list_and_category_pages_are_accessible(new_page, axe_check, library):
    page = new_page(PHONE)
    for url in ("/blog/", "/blog/category/depression/", "/search/?q=nothingmatcheszz"):
        page.goto(url)
        axe_check(page)
