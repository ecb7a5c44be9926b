"""Static pages: staff-written Markdown, safely rendered, found by slug, cheap to serve."""

import pytest
from bs4 import BeautifulSoup

from clinic.seed import PAGES, seed_clinic, seed_pages
from mindscape.markup import render
from tests.factories import PageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_clinic()
    seed_pages()


@pytest.mark.parametrize("slug", [spec["slug"] for spec in PAGES])
def test_every_demo_page_renders_with_one_h1(client, seeded, slug):
    response = client.get(f"/{slug}/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.find_all("h1")) == 1
    assert soup.find("meta", attrs={"name": "description"})["content"]
    assert soup.find("main").find("h2") is not None


def test_contact_page_shows_the_clinics_details(client, seeded):
    html = client.get("/contact/").content.decode()
    assert "200 Harbor View Drive" in html and "tel:5550100199" in html
    assert "Mon–Fri" in html and "9 am–5 pm" in html


def test_unpublished_page_is_not_found(client):
    PageFactory(slug="draft", is_published=False)
    assert client.get("/draft/").status_code == 404


def test_seeding_twice_keeps_staff_edits(seeded):
    from clinic.models import Page

    Page.objects.filter(slug="about").update(title="About our team")
    seed_pages()
    assert Page.objects.get(slug="about").title == "About our team"
    assert Page.objects.count() == len(PAGES)


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<p style="position:fixed">x</p>',
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)>",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<form action="https://evil.example"><input name="q"></form>',
    ],
)
def test_markdown_is_sanitised(payload):
    html = render(payload).lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "javascript:",
        "style=",
        "<iframe",
        "<form",
        "<svg",
    ):
        assert bad not in html


def test_markdown_keeps_headings_links_and_lists():
    html = render("## Costs\n\n- one\n- two\n\n[call us](tel:5550100199)")
    assert '<h2 id="costs">Costs</h2>' in html
    assert "<li>one</li>" in html
    assert 'href="tel:5550100199"' in html


# Search and booking pages are never cached: their bounds, with many articles or bookings,
# are in tests/blog/test_queries.py and tests/booking/test_queries.py.
@pytest.mark.parametrize("url", ["/", "/about/", "/contact/", "/blog/"])
def test_public_pages_run_a_small_bounded_number_of_queries(
    client, seeded, url, django_assert_max_num_queries
):
    client.get(url)  # warm the clinic-facts cache
    with django_assert_max_num_queries(2):
        client.get(url)
