"""The article workflow: editors write, only medical reviewers publish or mark reviewed.

Every function checks the current status (under a row lock), saves with
``update_fields``, writes an audit entry and leaves side effects (search terms, page
cache) to run after the transaction commits.

    draft ──submit──▶ in_review ──publish──▶ published ──mark_reviewed──▶ published
      ▲                  │                       │
      └────return────────┘◀────unpublish─────────┘
    published + revision_propose ──▶ pending revision ──approve──▶ replaces the live text
                                                      └─reject──▶ returned to the editor
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit import log as audit

from . import tasks
from .models import Article, ArticleRevision, Contributor

PUBLISH_PERMISSION = "blog.publish_article"
APPROVE_PERMISSION = "blog.approve_articlerevision"
REVISION_FIELDS = ("title", "summary", "body", "seo_title", "seo_description")


class WorkflowError(Exception):
    """The action does not fit the article's current state; the message is for staff."""


def review_interval() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "BLOG_REVIEW_INTERVAL_DAYS", 365))


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied("Only a medical reviewer can do this.")


def _reviewer_profile(user) -> Contributor:
    profile = Contributor.objects.filter(user=user).first()
    if profile is None or not profile.credentials:
        raise WorkflowError(
            "Your account has no reviewer profile with credentials yet. An administrator can "
            "add one under Articles › Contributors."
        )
    return profile


def _after_commit() -> None:
    from .search import rebuild_terms

    transaction.on_commit(rebuild_terms)


def _mark_reviewed(article: Article, by) -> list[str]:
    article.reviewer = _reviewer_profile(by)
    article.last_reviewed = timezone.localdate()
    article.next_review_due = article.last_reviewed + review_interval()
    return ["reviewer", "last_reviewed", "next_review_due"]


def article_hero_changed(*, article: Article) -> None:
    """A new hero image (or none): the old renditions are forgotten at once, so the article
    shows no hero image until the task worker has made the new ones (its task commits with
    this change, or neither does)."""
    article.hero_renditions, article.hero_width, article.hero_height = [], None, None
    article.save(update_fields=["hero_renditions", "hero_width", "hero_height", "updated_at"])
    if article.hero_image:
        tasks.make_hero_renditions.enqueue(article.pk, article.hero_image.name)


def article_hero_clean(*, article: Article) -> str:
    """Bring a hero image stored before uploads were cleaned up to today's rules: re-encoded
    without metadata under a server-made name (renditions queued again), or removed when it
    is no image we accept (``poly.html``).  The old file is deleted.  Returns what was done.
    """
    from django.core.exceptions import ValidationError

    from .images import SERVER_MADE_NAME, sanitised_original, validate_hero_image

    if not article.hero_image or SERVER_MADE_NAME.fullmatch(article.hero_image.name):
        return "unchanged"
    old_name, storage = article.hero_image.name, article.hero_image.storage
    try:
        with article.hero_image.open("rb") as stored:
            validate_hero_image(stored)
            clean = sanitised_original(stored)
    except (ValidationError, OSError):
        clean = None
    with transaction.atomic():
        if clean is None:
            article.hero_image = ""
            action = "hero_image_removed"
        else:
            article.hero_image.save(clean.name, clean, save=False)
            action = "hero_image_cleaned"
        article.save(update_fields=["hero_image", "updated_at"])
        article_hero_changed(article=article)
        audit.record(None, action, article)
        transaction.on_commit(lambda: storage.delete(old_name))
    return action


@transaction.atomic
def article_submit(*, article: Article, by) -> Article:
    """An editor hands a draft to the medical reviewers."""
    article = _locked(article)
    if article.status != Article.Status.DRAFT:
        raise WorkflowError("Only a draft can be sent for medical review.")
    article.status = Article.Status.IN_REVIEW
    article.save(update_fields=["status", "updated_at"])
    audit.record(by, "article_submitted", article)
    return article


@transaction.atomic
def article_return_to_draft(*, article: Article, by) -> Article:
    article = _locked(article)
    if article.status != Article.Status.IN_REVIEW:
        raise WorkflowError("Only an article in review can be returned to draft.")
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    audit.record(by, "article_returned", article)
    return article


@transaction.atomic
def article_publish(*, article: Article, by) -> Article:
    """A medical reviewer publishes (on its publish date) and signs off the review."""
    _require(by, PUBLISH_PERMISSION)
    article = _locked(article)
    if article.status == Article.Status.PUBLISHED:
        raise WorkflowError("This article is already published.")
    fields = _mark_reviewed(article, by)
    article.status = Article.Status.PUBLISHED
    article.save(update_fields=[*fields, "status", "updated_at"])
    audit.record(by, "article_published", article)
    _after_commit()
    return article


@transaction.atomic
def article_mark_reviewed(*, article: Article, by) -> Article:
    """A medical reviewer confirms a published article is still accurate today."""
    _require(by, PUBLISH_PERMISSION)
    article = _locked(article)
    if article.status != Article.Status.PUBLISHED:
        raise WorkflowError("Only a published article can be marked reviewed; publish it instead.")
    fields = _mark_reviewed(article, by)
    article.save(update_fields=[*fields, "updated_at"])
    audit.record(by, "article_reviewed", article)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by) -> Article:
    _require(by, PUBLISH_PERMISSION)
    article = _locked(article)
    if article.status != Article.Status.PUBLISHED:
        raise WorkflowError("This article is not published.")
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    audit.record(by, "article_unpublished", article)
    _after_commit()
    return article


@transaction.atomic
def revision_approve(*, revision: ArticleRevision, by) -> Article:
    """The revision's text replaces the live text, reviewed today by ``by``."""
    _require(by, APPROVE_PERMISSION)
    revision = ArticleRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != ArticleRevision.Status.PENDING:
        raise WorkflowError("This revision has already been decided.")
    article = _locked(revision.article)
    if article.status != Article.Status.PUBLISHED:
        raise WorkflowError("The article is no longer published; edit it directly instead.")
    for field in REVISION_FIELDS:
        setattr(article, field, getattr(revision, field))
    fields = _mark_reviewed(article, by)
    article.save(update_fields=[*REVISION_FIELDS, *fields, "updated_at"])
    revision.status = ArticleRevision.Status.APPROVED
    revision.decided_by = by
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(by, "revision_approved", revision, {"article": article.pk})
    _after_commit()
    return article


@transaction.atomic
def revision_reject(*, revision: ArticleRevision, by) -> ArticleRevision:
    _require(by, APPROVE_PERMISSION)
    revision = ArticleRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != ArticleRevision.Status.PENDING:
        raise WorkflowError("This revision has already been decided.")
    revision.status = ArticleRevision.Status.REJECTED
    revision.decided_by = by
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(by, "revision_rejected", revision, {"article": revision.article_id})
    return revision
