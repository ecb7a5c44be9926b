"""Editors write; only medical reviewers publish, mark reviewed or approve revisions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from blog import services
from blog.models import Article, ArticleRevision, Contributor
from mindscape import roles
from tests.factories import ArticleFactory
from tests.signin import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(staff_user):
    return staff_user(roles.CONTENT_EDITOR)


@pytest.fixture
def reviewer(staff_user):
    user = staff_user(roles.MEDICAL_REVIEWER)
    Contributor.objects.create(user=user, name="Dr. Ana Reyes", credentials="MD, psychiatrist")
    return user


@pytest.fixture
def draft():
    return ArticleFactory(status="draft", reviewer=None, last_reviewed=None, next_review_due=None)


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_editor_submits_and_reviewer_publishes(draft, editor, reviewer):
    services.article_submit(article=draft, by=editor)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=draft, by=editor)
    article = services.article_publish(article=draft, by=reviewer)
    assert article.status == Article.Status.PUBLISHED
    assert article.reviewer.name == "Dr. Ana Reyes"
    assert article.last_reviewed == timezone.localdate()
    assert article.next_review_due == timezone.localdate() + dt.timedelta(days=365)
    assert actions() == ["article_submitted", "article_published"]


def test_status_guards(draft, editor, reviewer):
    with pytest.raises(services.WorkflowError):
        services.article_return_to_draft(article=draft, by=editor)
    with pytest.raises(services.WorkflowError):
        services.article_mark_reviewed(article=draft, by=reviewer)
    services.article_publish(article=draft, by=reviewer)
    with pytest.raises(services.WorkflowError):
        services.article_publish(article=draft, by=reviewer)
    with pytest.raises(services.WorkflowError):
        services.article_submit(article=draft, by=editor)


def test_reviewer_without_credentials_cannot_sign_off(draft, staff_user):
    bare = staff_user(roles.MEDICAL_REVIEWER)
    with pytest.raises(services.WorkflowError, match="reviewer profile"):
        services.article_publish(article=draft, by=bare)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_mark_reviewed_moves_the_dates(reviewer):
    article = ArticleFactory(last_reviewed=dt.date(2024, 1, 1), next_review_due=dt.date(2025, 1, 1))
    services.article_mark_reviewed(article=article, by=reviewer)
    article.refresh_from_db()
    assert article.last_reviewed == timezone.localdate()
    assert actions() == ["article_reviewed"]


def test_admin_actions_for_each_role(client, draft, editor, reviewer):
    changelist = reverse("admin:blog_article_changelist")
    verified_login(client, editor)
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT  # editors are not offered "publish"
    client.post(changelist, {"action": "submit_for_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    verified_login(client, reviewer)
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_status_cannot_be_set_through_the_form(client, editor, draft):
    verified_login(client, editor)
    url = reverse("admin:blog_article_change", args=[draft.pk])
    form = {
        "title": draft.title,
        "slug": draft.slug,
        "summary": draft.summary,
        "body": draft.body,
        "hero_alt": "",
        "categories": [c.pk for c in draft.categories.all()],
        "author": draft.author_id,
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00:00",
        "status": "published",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
    }
    assert client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_editing_a_published_article_goes_through_a_revision(client, editor, reviewer):
    article = ArticleFactory(
        title="Ketamine basics", body="## Old\n\nOld text.", last_reviewed=dt.date(2026, 1, 5)
    )
    verified_login(client, editor)
    change_url = reverse("admin:blog_article_change", args=[article.pk])
    page = client.get(change_url).content.decode()
    assert "Propose changes" in page
    assert 'name="body"' not in page  # the live text is read-only

    add_url = reverse("admin:blog_articlerevision_add")
    prefill = client.get(add_url, {"article": article.pk}).content.decode()
    assert "Old text." in prefill
    response = client.post(
        add_url,
        {
            "article": article.pk,
            "title": "Ketamine basics",
            "summary": article.summary,
            "body": "## New\n\nNew text.",
            "note": "clarified wording",
        },
    )
    assert response.status_code == 302
    revision = ArticleRevision.objects.get()

    public = client.get(article.get_absolute_url()).content.decode()
    assert "Old text." in public and "New text." not in public
    assert "January 5, 2026" in public  # the last reviewed date stays

    with pytest.raises(PermissionDenied):
        services.revision_approve(revision=revision, by=editor)
    services.revision_approve(revision=revision, by=reviewer)
    public = client.get(article.get_absolute_url()).content.decode()
    assert "New text." in public and "Old text." not in public
    article.refresh_from_db()
    assert article.last_reviewed == timezone.localdate()
    assert "revision_approved" in actions()


def test_only_one_pending_revision_per_article(client, editor):
    article = ArticleFactory()
    ArticleRevision.objects.create(article=article, title="a", summary="b", body="c")
    verified_login(client, editor)
    response = client.post(
        reverse("admin:blog_articlerevision_add"),
        {"article": article.pk, "title": "x", "summary": "y", "body": "z"},
    )
    assert response.status_code == 200
    assert "already has a revision waiting" in response.content.decode()


def test_rejected_revision_leaves_the_article_alone(reviewer):
    article = ArticleFactory(body="Live text.")
    revision = ArticleRevision.objects.create(
        article=article, title="t", summary="s", body="Other."
    )
    services.revision_reject(revision=revision, by=reviewer)
    article.refresh_from_db()
    assert article.body == "Live text."
    with pytest.raises(services.WorkflowError):
        services.revision_approve(revision=revision, by=reviewer)


def test_staff_preview_shows_drafts_to_staff_only(client, draft, editor, staff_user):
    url = reverse("blog:preview", args=[draft.pk])
    assert client.get(url).status_code in (302, 403)
    verified_login(client, staff_user(roles.FRONT_DESK))
    assert client.get(url).status_code == 403
    verified_login(client, editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Preview." in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_overdue_filter_and_count(client, editor):
    ArticleFactory(title="Overdue one", next_review_due=dt.date(2020, 1, 1))
    ArticleFactory(title="Fresh one")
    verified_login(client, editor)
    response = client.get(reverse("admin:blog_article_changelist"), {"review": "overdue"})
    html = response.content.decode()
    assert "1 overdue for medical review" in html
    assert "Overdue one" in html and "Fresh one" not in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="jAvAsCrIpT:alert(1)">x</a>',
        '<p style="color:red">x</p>',
        '<iframe src="//evil.example"></iframe>',
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        "<details open ontoggle=alert(1)>",
    ],
)
def test_article_bodies_are_sanitised(client, payload):
    article = ArticleFactory(body=f"## Section\n\n{payload}\n\nSafe text.")
    html = client.get(article.get_absolute_url()).content.decode().lower()
    body = html.split('class="col-lg-8 order-lg-1 article-body">')[1].split("for education only")[0]
    for bad in ("<script", "onerror", "ontoggle", "javascript:", "style=", "<iframe", "data:text"):
        assert bad not in body, bad
