"""Every admin page a role can open passes axe, as that role (the admin's bar: WCAG 2.2 AA,
each landmark unique, all content inside landmarks).

The pages are found as staff find them: the index's links (each list and "Add" page), and
on each list the first record's own page, with the demo content loaded so lists have
records and forms have inline rows (opening hours, references, closures...).
"""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from blog.seed import seed_blog
from booking.seed import seed_booking
from clinic.seed import seed_clinic, seed_pages
from intake.seed import seed_screenings
from mindscape import roles
from tests.axe import ADMIN_RULES, ADMIN_TAGS, describe, violations
from tests.axe import assert_admin_page_accessible as axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/mindscape-screenshots")


@pytest.fixture
def demo_content():
    seed_clinic()
    seed_pages()
    seed_blog()
    seed_booking()
    seed_screenings()


def admin_pages(page) -> list[str]:
    """The index's links to lists and add pages, and each list's first record."""
    index = reverse("admin:index")
    page.goto(index)
    links = page.locator("#content-main a").evaluate_all("links => links.map(a => a.href)")
    found = []
    for href in dict.fromkeys(links):
        found.append(href)
        if href.endswith("/add/"):
            continue
        page.goto(href)
        first = page.locator("#result_list tbody tr th a, #result_list tbody tr td a").first
        if first.count():
            found.append(first.get_attribute("href"))
    return found


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_admin_page_a_role_opens_passes_axe(staff_page, demo_content, role):
    page = staff_page(role)
    axe(page)
    problems = []
    for n, url in enumerate(admin_pages(page)):
        page.goto(url)
        if "/change/" in url and "/blog/article/" in url:
            page.screenshot(path=f"{SHOTS}/crawl-{role.split()[0]}-article-{n}.png", full_page=True)
        found = violations(page, tags=ADMIN_TAGS, rules=ADMIN_RULES)
        if found:
            problems.append(f"{page.url}\n{describe(found)}")
    assert not problems, "\n\n".join(problems)
