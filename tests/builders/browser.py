"""Builders for the browser tests: shared data and helpers test modules import."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from tests.builders.intake import ABOUT, HISTORY


def booking_url(location, consultation_type, **extra) -> str:
    query = "&".join(
        f"{k}={v}"
        for k, v in {"type": consultation_type.pk, "location": location.pk, **extra}.items()
    )
    return f"{reverse('booking:consultation')}?{query}"


def fill_about(page):
    for name, value in ABOUT.items():
        page.locator(f'[name="{name}"]').fill(value.strip())


def to_questionnaires(page, axe_check):
    page.goto(reverse("intake:start"))
    axe_check(page)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Step 1 of 6")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Save and continue").click()  # empty: errors shown
    expect(page.locator(".error-summary")).to_be_visible()
    axe_check(page)
    fill_about(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Step 2 of 6")).to_be_visible()
    axe_check(page)
    for value in HISTORY["conditions"]:
        page.locator(f'[name="conditions"][value="{value}"]').check()
    page.locator(f'[name="duration"][value="{HISTORY["duration"]}"]').check()
    page.locator('[name="antidepressant_trials"][value="3+"]').check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Step 3 of 6")).to_be_visible()
