"""The editors' desk: the article list, search, slug, and hero uploads checked and processed."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from blog.images import generate_demo_image
from blog.models import Article
from mindscape import roles
from tests.factories import ArticleFactory, ContributorFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:blog_article_add")


@pytest.fixture
def editor(staff_client):
    return staff_client(roles.CONTENT_EDITOR)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form(**overrides):
    from tests.factories import CategoryFactory

    data = {
        "title": "Ketamine and sleep",
        "slug": "ketamine-and-sleep",
        "summary": "What we know.",
        "body": "## Sleep\n\nText.",
        "hero_alt": "Soft blue waves",
        "categories": [CategoryFactory(name="Depression", slug="depression").pk],
        "author": ContributorFactory(name="Editorial team", credentials="").pk,
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00:00",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def errors(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(" ".join(e.get_text(" ").split()) for e in soup.select(".errorlist"))


def png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", b"Dear staff, not a photo.", "This file is not an image we can read."),
        ("bomb.png", png((20000, 20000)), "the largest we accept is 8000 pixels on a side"),
        ("tiny.png", png((300, 200)), "only 300 pixels wide"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_save_nothing(editor, media, name, data, message):
    response = editor.post(ADD, form(hero_image=SimpleUploadedFile(name, data)))
    assert response.status_code == 200
    assert message in errors(response)
    assert not Article.objects.exists()
    assert not any(media.rglob("*.*"))


def test_an_image_needs_a_description(editor, media):
    image = SimpleUploadedFile("waves.jpg", generate_demo_image("w", ("#0d5467", "#f3e9d2")))
    response = editor.post(ADD, form(hero_image=image, hero_alt=""))
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in errors(response)


def test_article_list_shows_review_state_and_can_be_searched(editor):
    ArticleFactory(title="Esketamine basics", body="About the nasal spray.")
    ArticleFactory(title="Pain relief")
    changelist = reverse("admin:blog_article_changelist")
    soup = BeautifulSoup(editor.get(changelist).content, "html.parser")
    headers = [th.get_text(strip=True).lower() for th in soup.select("#result_list thead th")]
    for column in ("status", "categories", "reviewer", "next review due"):
        assert column in headers
    filters = soup.find(id="changelist-filter").get_text(" ")
    assert "Overdue for review" in filters and "By status" in filters

    found = editor.get(changelist, {"q": "nasal spray"}).content.decode()
    assert "Esketamine basics" in found and "Pain relief" not in found


def test_slug_is_filled_from_the_title(editor):
    html = editor.get(ADD).content.decode()
    assert "prepopulated" in html and "#id_slug" in html and "#id_title" in html


def test_editors_cannot_change_what_was_reviewed_on_a_live_article(staff_client):
    from blog.models import Article

    article = ArticleFactory()
    assert article.status == Article.Status.PUBLISHED
    client = staff_client("Content editor")
    page = client.get(reverse("admin:blog_article_change", args=[article.pk])).content.decode()
    for field in ("hero_image", "categories", "published_at"):
        assert f'name="{field}"' not in page
