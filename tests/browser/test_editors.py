"""An editor and a medical reviewer in a real browser, on the article's and the revision's
own pages: send for review, publish, a revision's changes and preview, approve.  axe (the
admin's bar) on every page; screenshots of the changed pages at 1280 px."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blog.models import Article, ArticleRevision, Contributor
from clinic.seed import seed_clinic
from mindscape import roles
from tests.axe import assert_admin_page_accessible as axe
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots of the changed admin pages, to look at (Playwright makes the folder).
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/mindscape-screenshots")


def test_an_editor_sends_for_review_and_a_reviewer_publishes(staff_page):
    seed_clinic()
    draft = ArticleFactory(
        title="Ketamine basics",
        slug="ketamine-basics",
        status="draft",
        reviewer=None,
        last_reviewed=None,
        next_review_due=None,
    )
    editor = staff_page(roles.CONTENT_EDITOR)
    editor.goto(reverse("admin:blog_article_change", args=[draft.pk]))
    expect(editor.locator("#id_slug_helptext")).to_have_text(
        "The article's address: /blog/ketamine-basics/"
    )
    expect(editor.get_by_role("button", name="Publish")).to_have_count(0)
    axe(editor)
    editor.screenshot(path=f"{SHOTS}/article-draft-1280.png")
    editor.get_by_role("button", name="Send for medical review").click()
    expect(editor.get_by_text("1 sent for review.")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    axe(editor)

    reviewer = staff_page(roles.MEDICAL_REVIEWER)
    Contributor.objects.create(
        user=reviewer.user, name="Dr. Ana Reyes", credentials="MD, psychiatrist"
    )
    reviewer.goto(reverse("admin:blog_article_change", args=[draft.pk]))
    reviewer.get_by_role("button", name="Publish").click()
    expect(reviewer.get_by_text("1 published.")).to_be_visible()
    expect(reviewer.get_by_role("button", name="Unpublish")).to_be_visible()
    axe(reviewer)
    reviewer.goto(reverse("admin:blog_article_changelist"))
    row = reviewer.locator("#result_list tbody tr", has_text="Ketamine basics")
    expect(row.locator("td.field-reviewer_name")).to_have_text("Dr. Ana Reyes")
    axe(reviewer)


def test_a_reviewer_reads_a_revisions_changes_previews_and_approves(staff_page, staff_user):
    seed_clinic()
    article = ArticleFactory(title="Ketamine basics", body="Ketamine is used in clinics.")
    revision = ArticleRevision.objects.create(
        article=article,
        title="Ketamine basics",
        summary=article.summary,
        body="Ketamine is used in specialised clinics.",
        seo_title=article.seo_title,
        seo_description=article.seo_description,
        note="Clarify where",
        created_by=staff_user(roles.CONTENT_EDITOR),
    )
    page = staff_page(roles.MEDICAL_REVIEWER)
    Contributor.objects.create(user=page.user, name="Dr. Ana Reyes", credentials="MD")
    page.goto(reverse("admin:blog_articlerevision_change", args=[revision.pk]))
    changes = page.locator(".revision-diff")
    expect(changes.locator("ins")).to_have_text("[added: specialised ]")
    axe(page)
    page.screenshot(path=f"{SHOTS}/revision-1280.png", full_page=True)

    page.get_by_role("link", name="Preview the article with this revision").click()
    expect(page.get_by_text("specialised clinics")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("1 approved.")).to_be_visible()
    revision.refresh_from_db()
    assert revision.status == ArticleRevision.Status.APPROVED
    expect(page.get_by_role("button", name="Approve and publish")).to_have_count(0)
    axe(page)
