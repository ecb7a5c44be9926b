"""Hero uploads through the admin: only images are stored, cleaned and under a name the
server makes; their renditions are made by the task worker (run here in this process),
and until then the article shows no hero image."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import ExifTags, Image, PngImagePlugin

from blog.images import generate_demo_image
from blog.models import Article
from mindscape import roles
from tests.factories import CategoryFactory, ContributorFactory

ADD = reverse("admin:blog_article_add")
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
SERVER_NAME = re.compile(r"articles/[0-9a-f]{32}\.(jpg|png|webp)")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor(staff_client):
    return staff_client(roles.CONTENT_EDITOR)


@pytest.fixture
def article_form(db):
    category = CategoryFactory(name="Depression", slug="depression").pk
    author = ContributorFactory(name="Editorial team", credentials="").pk

    def make(**overrides):
        return {
            "title": "Ketamine and sleep",
            "slug": "ketamine-and-sleep",
            "summary": "What we know.",
            "body": "## Sleep\n\nText.",
            "hero_alt": "Soft blue waves",
            "categories": [category],
            "author": author,
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
            "references-TOTAL_FORMS": "0",
            "references-INITIAL_FORMS": "0",
            **overrides,
        }

    return make


def errors(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(" ".join(e.get_text(" ").split()) for e in soup.select(".errorlist"))


def photo_with_gps(fmt="JPEG", size=(1200, 800)) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    options = {"exif": exif}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Jane Roe, 12 Elm Street")
        options["pnginfo"] = text
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    data = buffer.getvalue()
    assert b"SecretCam" in data
    return data


def stored_files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


# --- Finding: a script stored through an image upload ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["poly.html", "poly.htm", "poly.js", "poly.svg", "poly.xhtml", "poly.jpg.html", "poly"]
)
def test_an_image_under_another_extension_is_refused(editor, media, article_form, name):
    polyglot = generate_demo_image("p", ("#0d5467", "#f3e9d2")) + SCRIPT  # a valid JPEG
    response = editor.post(ADD, article_form(hero_image=SimpleUploadedFile(name, polyglot)))
    assert response.status_code == 200
    assert "Only files ending in .jpg, .jpeg, .png or .webp are accepted." in errors(response)
    assert not Article.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_script_named_as_an_image_is_refused(editor, media, article_form):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = editor.post(ADD, article_form(hero_image=SimpleUploadedFile("hero.png", svg)))
    assert "This file is not an image we can read." in errors(response)
    assert stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "stored_as"),
    [
        ("poly.jpg", photo_with_gps("JPEG") + SCRIPT, "JPEG"),
        ("family photo.PNG", photo_with_gps("PNG"), "PNG"),
        ("hero.jpeg", photo_with_gps("WEBP"), "WEBP"),  # named as one format, is another
    ],
)
def test_the_stored_original_is_re_encoded_under_a_server_made_name(
    editor, media, article_form, name, data, stored_as
):
    response = editor.post(ADD, article_form(hero_image=SimpleUploadedFile(name, data)))
    assert response.status_code == 302, errors(response)
    stored = Article.objects.get().hero_image.name
    assert SERVER_NAME.fullmatch(stored), stored
    assert [f for f in stored_files(media) if "/renditions/" not in f] == [stored]
    raw = (media / stored).read_bytes()
    for secret in (b"<script", b"SecretCam", b"Jane Roe", b"Exif"):
        assert secret not in raw
    with Image.open(io.BytesIO(raw)) as image:
        assert (image.format, image.size) == (stored_as, (1200, 800))
        assert not image.getexif()
        assert set(image.info) <= {
            "icc_profile",
            "dpi",
            "jfif",
            "jfif_version",
            "jfif_unit",
            "jfif_density",
            "progressive",
            "progression",
            "loop",
            "background",
            "duration",
            "timestamp",
        }
    assert stored.endswith({"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[stored_as])


# --- Finding: image processing in the request -----------------------------------------------


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def hero_on_preview(client, article) -> BeautifulSoup | None:
    html = client.get(reverse("blog:preview", args=[article.pk])).content
    return BeautifulSoup(html, "html.parser").select_one("picture img.hero-image")


@pytest.mark.django_db(transaction=True)
def test_renditions_are_made_by_the_task_worker_not_the_request(editor, media, article_form):
    image = SimpleUploadedFile("waves.jpg", generate_demo_image("w", ("#0d5467", "#f3e9d2")))
    response = editor.post(ADD, article_form(hero_image=image))
    assert response.status_code == 302, errors(response)
    article = Article.objects.get()
    # The request stored the cleaned original and queued the work; no rendition yet, and
    # the article shows no hero image (rather than a broken or half-made one).
    assert article.hero_renditions == [] and article.hero_width is None
    assert stored_files(media) == [article.hero_image.name]
    task = DBTaskResult.objects.get()
    assert task.task_path == "blog.tasks.make_hero_renditions"
    assert task.args_kwargs["args"] == [article.pk, article.hero_image.name]
    assert hero_on_preview(editor, article) is None

    run_worker()
    article.refresh_from_db()
    assert [r.width for r in article.renditions] == [480, 800, 1200, 1600]
    assert (article.hero_width, article.hero_height) == (1600, 900)
    for rendition in article.renditions:
        assert (media / rendition.webp).is_file() and (media / rendition.fallback).is_file()
    shown = hero_on_preview(editor, article)
    assert shown is not None and shown["width"] == "480"

    # A new image: the old renditions go at once; the new ones come from the worker.
    change = reverse("admin:blog_article_change", args=[article.pk])
    other = SimpleUploadedFile("dawn.png", photo_with_gps("PNG", size=(1000, 500)))
    response = editor.post(change, article_form(hero_image=other))
    assert response.status_code == 302, errors(response)
    article.refresh_from_db()
    assert article.renditions == [] and hero_on_preview(editor, article) is None
    run_worker()
    article.refresh_from_db()
    assert [r.width for r in article.renditions] == [480, 800]
    assert hero_on_preview(editor, article) is not None


@pytest.mark.django_db(transaction=True)
def test_a_task_for_a_replaced_image_makes_nothing(editor, media, article_form):
    first = SimpleUploadedFile("a.jpg", generate_demo_image("a", ("#0d5467", "#f3e9d2")))
    editor.post(ADD, article_form(hero_image=first))
    article = Article.objects.get()
    second = SimpleUploadedFile("b.jpg", generate_demo_image("b", ("#3b4a7a", "#f2c6b4")))
    change = reverse("admin:blog_article_change", args=[article.pk])
    assert editor.post(change, article_form(hero_image=second)).status_code == 302
    run_worker()
    article.refresh_from_db()
    results = sorted(DBTaskResult.objects.values_list("return_value", flat=True))
    assert results == ["image replaced", "made"]
    prefix = f"articles/renditions/{article.pk}-"
    assert all(r.webp.startswith(prefix) for r in article.renditions)
    made = [name for name in stored_files(media) if name.startswith(prefix)]
    assert len(made) == 2 * len(article.renditions)  # only the second image's


# --- Images stored before these rules -----------------------------------------------------


@pytest.mark.django_db
def test_images_stored_before_are_cleaned_or_removed_by_a_command(
    media, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from audit.models import AuditEntry
    from tests.factories import ArticleFactory

    old_photo = ArticleFactory(hero_alt="Waves")
    old_photo.hero_image.save("home.jpg", ContentFile(photo_with_gps("JPEG")))
    polyglot = ArticleFactory(hero_alt="Waves")
    data = generate_demo_image("p", ("#0d5467", "#f3e9d2")) + SCRIPT
    polyglot.hero_image.save("poly.html", ContentFile(data))
    assert stored_files(media) == ["articles/home.jpg", "articles/poly.html"]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_hero_images", stdout=io.StringIO())

    old_photo.refresh_from_db()
    polyglot.refresh_from_db()
    assert SERVER_NAME.fullmatch(old_photo.hero_image.name)
    assert not polyglot.hero_image
    assert stored_files(media) == [old_photo.hero_image.name]  # both old files deleted
    raw = (media / old_photo.hero_image.name).read_bytes()
    assert b"SecretCam" not in raw and b"Exif" not in raw
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [old_photo.pk, old_photo.hero_image.name]
    actions = dict(AuditEntry.objects.values_list("object_pk", "action"))
    assert actions[str(old_photo.pk)] == "hero_image_cleaned"
    assert actions[str(polyglot.pk)] == "hero_image_removed"

    out = io.StringIO()
    call_command("clean_hero_images", stdout=out)  # again: nothing left to do
    assert "0 re-encoded, 0 removed" in out.getvalue()
