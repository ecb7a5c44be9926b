"""Editors and reviewers on the article's and the revision's own pages: the workflow
buttons each may press, a revision's changes against the live text and its preview, the
reviewer's name in the list, the slug's real address."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from audit.models import AuditEntry
from blog.models import Article, ArticleRevision, Contributor
from mindscape import roles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def buttons(response) -> list[str]:
    return [b.get_text(strip=True) for b in soup(response).select(".workflow-tools button")]


def article_page(article):
    return reverse("admin:blog_article_change", args=[article.pk])


def step(article, name):
    return reverse("admin:blog_article_workflow", args=[article.pk, name])


@pytest.fixture
def editor(staff_client):
    return staff_client(roles.CONTENT_EDITOR)


@pytest.fixture
def draft():
    return ArticleFactory(status="draft", reviewer=None, last_reviewed=None, next_review_due=None)


def test_the_editor_sends_a_draft_for_review_from_its_page(editor, draft):
    assert buttons(editor.get(article_page(draft))) == ["Send for medical review"]
    assert editor.get(step(draft, "submit_for_review")).status_code == 405  # POST only
    response = editor.post(step(draft, "submit_for_review"))
    assert response.status_code == 302 and response["Location"] == article_page(draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert AuditEntry.objects.filter(action="article_submitted").count() == 1
    # In review: the editor may return it, not publish it.
    assert buttons(editor.get(article_page(draft))) == ["Return to draft"]
    assert editor.post(step(draft, "publish")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_the_reviewer_publishes_from_the_page(staff_client, draft):
    client = staff_client(roles.MEDICAL_REVIEWER)
    Contributor.objects.create(user=client.user, name="Dr. Ana Reyes", credentials="MD")
    draft.status = Article.Status.IN_REVIEW
    draft.save()
    assert buttons(client.get(article_page(draft))) == ["Return to draft", "Publish"]
    response = client.post(step(draft, "publish"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert buttons(client.get(article_page(draft))) == [
        "Mark medically reviewed today",
        "Unpublish",
    ]


@pytest.fixture
def revision(staff_user):
    article = ArticleFactory(title="Ketamine basics", body="Ketamine is used in clinics.")
    writer = staff_user(roles.CONTENT_EDITOR)
    return ArticleRevision.objects.create(
        article=article,
        title="Ketamine basics",
        summary=article.summary,
        body="Ketamine is used in specialised clinics.",
        seo_title=article.seo_title,
        seo_description=article.seo_description,
        note="Clarify",
        created_by=writer,
    )


def test_a_revision_page_shows_its_changes_and_a_preview(staff_client, revision):
    client = staff_client(roles.MEDICAL_REVIEWER)
    Contributor.objects.create(user=client.user, name="Dr. Ana Reyes", credentials="MD")
    page = soup(client.get(reverse("admin:blog_articlerevision_change", args=[revision.pk])))
    changes = page.select_one(".revision-diff")
    assert [h.get_text() for h in changes.select("h3")] == ["Body"]  # only what changed
    assert [i.get_text() for i in changes.select("ins")] == ["[added: specialised ]"]
    assert not changes.select("del")
    preview = reverse("blog:revision_preview", args=[revision.pk])
    assert page.find("a", href=preview) is not None
    shown = client.get(preview)
    assert shown.status_code == 200
    assert b"specialised clinics" in shown.content
    assert shown["X-Robots-Tag"] == "noindex, nofollow"
    revision.article.refresh_from_db()
    assert "specialised" not in revision.article.body  # a preview saves nothing
    # The reviewer approves from the page.
    assert [b.get_text(strip=True) for b in page.select(".workflow-tools button")] == [
        "Approve and publish",
        "Return to the editor",
    ]
    url = reverse("admin:blog_articlerevision_workflow", args=[revision.pk, "approve"])
    assert client.post(url).status_code == 302
    revision.refresh_from_db()
    assert revision.status == ArticleRevision.Status.APPROVED
    revision.article.refresh_from_db()
    assert revision.article.body == "Ketamine is used in specialised clinics."


def test_the_editor_sees_no_approve_button_and_cannot_post_it(editor, revision):
    page = editor.get(reverse("admin:blog_articlerevision_change", args=[revision.pk]))
    assert buttons(page) == []
    url = reverse("admin:blog_articlerevision_workflow", args=[revision.pk, "approve"])
    assert editor.post(url).status_code == 403
    revision.refresh_from_db()
    assert revision.status == ArticleRevision.Status.PENDING
    assert editor.get(reverse("blog:revision_preview", args=[revision.pk])).status_code == 200


def test_the_list_shows_the_reviewers_name_and_the_slug_its_address(editor):
    article = ArticleFactory(slug="ketamine-basics")
    article.reviewer.credentials = "MD, psychiatrist"
    article.reviewer.save()
    listing = soup(editor.get(reverse("admin:blog_article_changelist")))
    cell = listing.select_one("#result_list td.field-reviewer_name")
    assert cell.get_text(strip=True) == article.reviewer.name
    page = soup(editor.get(article_page(article)))
    assert "MD, psychiatrist" in page.get_text()  # the credentials stay on the article page
    # Live: the slug is fixed, shown as its address.
    assert page.select_one(".field-address a")["href"] == "/blog/ketamine-basics/"
    article.status = Article.Status.DRAFT
    article.save()
    page = soup(editor.get(article_page(article)))
    assert page.select_one("#id_slug_helptext").get_text(strip=True) == (
        "The article's address: /blog/ketamine-basics/"
    )
    new = soup(editor.get(reverse("admin:blog_article_add")))
    assert new.select_one("#id_slug_helptext").get_text(strip=True) == (
        "The article's address: /blog/<slug>/"
    )
