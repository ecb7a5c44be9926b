"""Feeds, sitemap, robots.txt, canonical links, Open Graph and JSON-LD."""

import json
import xml.etree.ElementTree as ET
from urllib.robotparser import RobotFileParser

import pytest
from bs4 import BeautifulSoup

from blog.models import Contributor
from clinic.seed import seed_pages
from tests.factories import ArticleFactory, ReferenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    article = ArticleFactory(title="What is Ketamine Treatment?", slug="what-is-ketamine-treatment")
    ReferenceFactory(
        article=article, citation="Zarate CA Jr, et al. 2006.", doi="10.1001/archpsyc.63.8.856"
    )
    return article


def test_rss_and_atom_feeds(client, article):
    rss = ET.fromstring(client.get("/blog/feed/rss/").content)
    assert rss.find("channel/item/title").text == "What is Ketamine Treatment?"
    atom = ET.fromstring(client.get("/blog/feed/atom/").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.find("a:entry/a:title", ns).text == "What is Ketamine Treatment?"
    assert atom.find("a:entry/a:updated", ns).text


def test_sitemap_lists_articles_categories_and_pages_with_lastmod(client, article):
    seed_pages()
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.find("s:loc", ns).text: u.find("s:lastmod", ns) for u in root.findall("s:url", ns)}
    assert "http://testserver/blog/what-is-ketamine-treatment/" in urls
    assert "http://testserver/blog/category/depression/" in urls
    assert "http://testserver/about/" in urls
    assert "http://testserver/" in urls
    for loc in ("http://testserver/blog/what-is-ketamine-treatment/", "http://testserver/about/"):
        assert urls[loc] is not None and urls[loc].text


def test_robots_lets_the_consultation_page_be_found_but_not_a_booking(client):
    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())
    for path in (
        "/",
        "/consultation/",
        "/consultation/call-me-back/",
        "/blog/x/",
        "/about/",
        "/intake/",
    ):
        assert robots.can_fetch("*", f"http://testserver{path}"), path
    for path in (
        "/consultation/booked/",
        "/consultation/manage/abc/",
        "/consultation/manage/abc/calendar.ics",
        "/consultation/call-me-back/thanks/",
        "/consultation/staff-calendar/abc.ics",
        "/search/?q=x",
        "/blog/preview/1/",
        "/intake/step/about/",
        "/intake/resume/abc/",
        "/intake/thank-you/",
    ):
        assert not robots.can_fetch("*", f"http://testserver{path}"), path


def test_robots_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_article_head_has_canonical_and_open_graph(client, article):
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert (
        soup.find("link", rel="canonical")["href"]
        == "http://testserver/blog/what-is-ketamine-treatment/"
    )
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:type"] == "article"
    assert og["og:title"] == "What is Ketamine Treatment?"
    assert og["og:url"].endswith("/blog/what-is-ketamine-treatment/")


def json_ld(client, article):
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_json_ld_is_a_reviewed_medical_web_page(client, article):
    data = json_ld(client, article)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["headline"] == "What is Ketamine Treatment?"
    assert data["lastReviewed"] == article.last_reviewed.isoformat()
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": article.reviewer.name,
        "jobTitle": "MD, psychiatrist",
    }
    assert data["publisher"]["@type"] == "MedicalClinic"
    assert data["author"]["name"] == "Editorial team"


def test_a_placeholder_reviewer_claims_no_review(client, article):
    Contributor.objects.filter(pk=article.reviewer_id).update(
        name="Medical reviewer (demo)", is_placeholder=True
    )
    data = json_ld(client, article)
    assert "reviewedBy" not in data and "lastReviewed" not in data
    assert "demo" not in json.dumps(data)
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    byline = " ".join(soup.find(class_="byline").get_text().split())
    assert "Not yet reviewed by our medical director." in byline
    assert "Medically reviewed" not in byline


def test_json_ld_cannot_break_out_of_its_script(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    block = html.split('type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


def test_article_page_shows_byline_references_disclaimer_crisis_and_cta(client, article):
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    text = " ".join(soup.get_text(" ").split())
    assert f"Medically reviewed by {article.reviewer}" in text
    assert soup.find("a", href="https://doi.org/10.1001/archpsyc.63.8.856")
    assert "For education only." in text
    # The article's own "If you need help right now" section (its body) and the compact
    # footer block: never a second full block (axe's landmark-unique).
    assert soup.find(class_="crisis-block") is None
    assert soup.find("footer").find(class_="crisis-compact") is not None
    cta = soup.find("a", string="Request a free consultation")
    assert cta["href"] == f"/consultation/?interest=depression&from={article.slug}"


def test_table_of_contents_links_to_headings(client, article):
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    links = [a["href"] for a in soup.select("nav.toc a")]
    assert links == ["#introduction", "#more"]
    for href in links:
        assert soup.find(id=href[1:]).name == "h2"


@pytest.mark.django_db
def test_the_screening_gate_may_be_found_but_no_step_of_a_form(client, settings):
    settings.INTAKE_FORM_ENABLED = True
    gate = client.get("/intake/")
    assert gate.status_code == 200
    assert 'name="robots"' not in gate.content.decode()
    client.post("/intake/", {"adult": "yes"})
    step = client.get("/intake/step/about/")
    assert step.status_code == 200
    assert 'name="robots" content="noindex, nofollow"' in step.content.decode()
