"""Staff pages of the admin pass axe too (with our fixes for the stock admin)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clinic.models import Clinic
from mindscape import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_is_accessible(new_page, axe_check):
    page = new_page(PHONE := 360)
    page.goto(reverse("admin:login"))
    axe_check(page)
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_be_visible()
    axe_check(page)
    assert PHONE


def test_administrator_pages_are_accessible(staff_page, axe_check):
    Clinic.load()
    page = staff_page(roles.ADMINISTRATOR, is_superuser=True)
    expect(page.get_by_role("heading", name="Front desk, content and screenings")).to_be_visible()
    axe_check(page)
    for name, args in [
        ("admin:clinic_clinic_change", [1]),
        ("admin:clinic_page_changelist", None),
        ("admin:clinic_page_add", None),
        ("admin:audit_auditentry_changelist", None),
        ("admin:auth_user_changelist", None),
    ]:
        page.goto(reverse(name, args=args))
        axe_check(page)


def test_forms_with_errors_and_new_inline_rows_are_accessible(staff_page, axe_check):
    Clinic.load()
    page = staff_page(roles.FRONT_DESK)
    page.goto(reverse("admin:clinic_clinic_change", args=[1]))
    page.get_by_text("Add another Office hours").click()
    row = page.locator("#hours-0")
    row.get_by_label("Weekday").select_option("Monday")
    row.get_by_label("Opens").fill("17:00")
    row.get_by_label("Closes").fill("09:00")
    axe_check(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Closing time must be after opening time.")).to_be_visible()
    expect(page.locator("#hours-0").get_by_label("Opens")).to_have_value("17:00")  # kept
    axe_check(page)


def test_content_editor_sees_errors_on_an_empty_page(staff_page, axe_check):
    page = staff_page(roles.CONTENT_EDITOR)
    page.goto(reverse("admin:clinic_page_add"))
    page.get_by_label("Title").fill("Our team")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Our team")
    axe_check(page)
