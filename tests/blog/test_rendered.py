"""An article's <article> element is kept (blog/rendered.py), and used only while everything
it was rendered from is unchanged: the article, its related rows, the code, the settings."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from blog import rendered
from blog.models import Article, ArticleRevision, Category, Contributor, Reference, RenderedArticle
from mindscape import pagecache, roles
from tests.factories import ArticleFactory, ReferenceFactory, TagFactory

pytestmark = pytest.mark.django_db

# Put in place of a kept element (its key left as it is): a page that shows it used the
# kept element; one that does not rendered its own.
MARK = '<article class="article"><h1 id="article-title">The kept element</h1></article>'


@pytest.fixture
def article():
    article = ArticleFactory(
        title="What is ketamine treatment?", tags=[TagFactory(name="Infusions", slug="infusions")]
    )
    ReferenceFactory(article=article, citation="Berman RM, et al. Biol Psychiatry. 2000.")
    return article


def page(client, article) -> str:
    pagecache.bump()  # out of the page cache: the article's page rendered again
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def mark_kept(article) -> None:
    assert RenderedArticle.objects.filter(article=article).update(html=MARK) == 1


def test_the_page_keeps_its_element_and_shows_it_again_unchanged(client, article):
    first = page(client, article)
    kept = RenderedArticle.objects.get(article=article)
    assert "What is ketamine treatment?" in kept.html and "Berman RM" in kept.html
    assert kept.html.strip() in first
    assert page(client, article) == first  # the kept element: the same page
    mark_kept(article)
    assert "The kept element" in page(client, article)  # …and it was the kept one


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        # A change that no save announces (no new page generation, no signal).
        (
            lambda a: Article.objects.filter(pk=a.pk).update(title="Ketamine, explained"),
            "Ketamine, explained",
        ),
        (lambda a: Category.objects.filter(articles=a).update(name="Mood"), "Mood"),
        (lambda a: a.tags.update(name="Nasal spray"), "Nasal spray"),
        (lambda a: Reference.objects.filter(article=a).update(citation="Zarate CA."), "Zarate CA."),
        (
            lambda a: Contributor.objects.filter(pk=a.reviewer_id).update(name="Dr. Ana Reyes"),
            "Dr. Ana Reyes",
        ),
        (
            lambda a: Contributor.objects.filter(pk=a.reviewer_id).update(is_placeholder=True),
            "Not yet reviewed by our medical director.",
        ),
        (lambda a: a.references.all().delete(), ""),
    ],
    ids=[
        "title",
        "category",
        "tag",
        "reference",
        "reviewer",
        "placeholder reviewer",
        "no references",
    ],
)
def test_a_kept_element_is_not_used_once_anything_it_shows_changed(client, article, change, shown):
    page(client, article)
    mark_kept(article)
    change(article)
    html = page(client, article)
    assert "The kept element" not in html
    assert shown in html
    assert "The kept element" not in RenderedArticle.objects.get(article=article).html  # kept anew


def test_a_kept_element_is_not_used_after_the_code_changed(client, article, monkeypatch):
    page(client, article)
    mark_kept(article)
    monkeypatch.setattr(rendered, "code_version", lambda: "a release later")
    assert "The kept element" not in page(client, article)


def test_the_code_version_reads_every_template_and_source_file_of_the_project():
    base = Path(settings.BASE_DIR).resolve()
    read = {path.relative_to(base).as_posix() for path in rendered.source_files()}
    for name in (
        "templates/blog/_article.html",
        "templates/includes/hero_picture.html",
        "blog/models.py",
        "blog/templatetags/blog_extras.py",
        "mindscape/urls.py",
        "booking/urls.py",
    ):
        assert name in read
    assert not [name for name in read if name.startswith(".") or "site-packages" in name]


def test_a_template_edited_under_the_development_server_is_rendered_at_once(
    client, article, tmp_path, monkeypatch, settings
):
    """runserver reads an edited template again without restarting (Django's own receiver
    of file_changed says so): the code's digest is made again too, so no element kept
    from the old template is shown."""
    from django.utils.autoreload import file_changed

    template = tmp_path / "templates" / "_article.html"  # stands in for the sources
    template.parent.mkdir()
    template.write_text("as it was")
    settings.BASE_DIR = tmp_path
    monkeypatch.setattr(rendered, "source_files", lambda: [template])
    rendered.code_version.cache_clear()
    try:
        page(client, article)
        mark_kept(article)
        template.write_text("as edited")
        assert "The kept element" in page(client, article)  # the digest of before, kept
        file_changed.send(sender=None, file_path=template)
        assert "The kept element" not in page(client, article)
    finally:
        rendered.code_version.cache_clear()


def test_the_key_changes_with_the_time_zone_and_the_language(article):
    fetched = rendered.with_kept(Article.objects.filter(pk=article.pk)).get()
    key = rendered.key(fetched)
    assert rendered.key(fetched) == key
    with timezone.override("Asia/Tokyo"):
        assert rendered.key(fetched) != key
    from django.utils import translation

    with translation.override("fr"):
        assert rendered.key(fetched) != key


def test_render_missing_keeps_what_the_page_then_uses(client, article):
    draft = ArticleFactory(status="draft", reviewer=None, last_reviewed=None)
    assert rendered.render_missing() == 1  # the published article, not the draft
    assert not RenderedArticle.objects.filter(article=draft).exists()
    assert rendered.render_missing() == 0  # nothing changed since
    mark_kept(article)
    assert "The kept element" in page(client, article)  # the page's key is the command's
    Article.objects.filter(pk=article.pk).update(status="draft")  # withdrawn
    assert rendered.render_missing() == 0
    assert not RenderedArticle.objects.exists()  # its element is not kept past it


def test_a_preview_is_rendered_never_kept_nor_taken_from_a_kept_element(
    client, article, staff_client
):
    page(client, article)
    mark_kept(article)
    editor = staff_client(roles.CONTENT_EDITOR)
    preview = editor.get(reverse("blog:preview", args=[article.pk])).content.decode()
    assert "What is ketamine treatment?" in preview and "The kept element" not in preview
    revision = ArticleRevision.objects.create(
        article=article, title=article.title, summary=article.summary, body="Revised text."
    )
    reviewer = staff_client(roles.MEDICAL_REVIEWER)
    shown = reviewer.get(reverse("blog:revision_preview", args=[revision.pk])).content.decode()
    assert "Revised text." in shown and "The kept element" not in shown
    assert RenderedArticle.objects.get(article=article).html == MARK  # nothing kept


def test_an_element_that_cannot_be_kept_costs_only_a_later_render(
    client, article, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise DatabaseError("read-only")

    monkeypatch.setattr(rendered, "write_unsynced", refuse)
    with caplog.at_level(logging.WARNING, logger="blog.rendered"):
        html = page(client, article)
    assert "What is ketamine treatment?" in html
    assert not RenderedArticle.objects.exists()
    assert [r.getMessage() for r in caplog.records] == [
        "An article's rendered element was not kept (DatabaseError)"
    ]


def test_the_release_command_renders_what_is_missing_and_says_how_many(article):
    from io import StringIO

    from django.core.management import call_command

    said = StringIO()
    call_command("render_articles", stdout=said)
    assert said.getvalue() == "Articles rendered: 1.\n"
    call_command("render_articles", verbosity=0, stdout=said)
    assert said.getvalue() == "Articles rendered: 1.\n"  # quiet, and nothing left to do
    assert RenderedArticle.objects.filter(article=article).exists()
