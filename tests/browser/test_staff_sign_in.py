"""A new staff member sets up an authenticator app and signs in with its code; every
sign-in page passes axe, on a phone and a desktop, and works without JavaScript."""

import base64
import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from mindscape import roles
from tests.conftest import DESKTOP, PHONE, STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from(secret_text: str) -> str:
    """What the person's app computes now from the secret shown on the set-up page."""
    generator = TOTP(base64.b32decode(secret_text.replace(" ", "")))
    generator.time = time.time()
    return f"{generator.token():06d}"


def sign_in_with_password(page, user):
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize(("width", "javascript"), [(PHONE, True), (DESKTOP, True), (PHONE, False)])
def test_a_new_staff_member_sets_up_an_app_and_signs_in_with_a_code(
    new_page, axe_check, staff_user, width, javascript
):
    check = axe_check if javascript else (lambda page: None)  # axe needs JavaScript
    user = staff_user(roles.CLINICIAN)
    page = new_page(width, java_script_enabled=javascript)

    page.goto(reverse("admin:login"))
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    check(page)
    sign_in_with_password(page, user)

    # First sign-in: set up the app.
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#secret").inner_text()
    check(page)
    page.get_by_label("6-digit code").fill("000000" if code_from(secret) != "000000" else "111111")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_text("That code did not match")).to_be_visible()
    code_field = page.get_by_label("6-digit code")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    check(page)
    page.wait_for_timeout(1100)  # django-otp makes one wait a second after a wrong code
    code_field.fill(code_from(secret))
    page.get_by_role("button", name="Confirm and continue").click()

    # Recovery codes, shown once.
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    check(page)
    page.get_by_role("link", name="I have saved them: continue").click()
    expect(page.get_by_role("heading", name="Front desk, content and screenings")).to_be_visible()

    # Sign out, then in again a minute later (a code works once) with password and code.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    with time_machine.travel(time.time() + 60, tick=True):
        sign_in_with_password(page, user)
        expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
        check(page)
        page.get_by_label("6-digit code").fill(code_from(secret))
        page.get_by_role("button", name="Verify").click()
        heading = page.get_by_role("heading", name="Front desk, content and screenings")
        expect(heading).to_be_visible()


def test_lockout_and_recovery_pages_are_accessible(new_page, axe_check, staff_user):
    from tests.signin import give_device

    user = staff_user(roles.FRONT_DESK)
    give_device(user)
    page = new_page(PHONE)
    sign_in_with_password(page, user)
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.get_by_role("heading", name="Enter a recovery code")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()
    for _ in range(5):
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Too many attempts from this device")).to_be_visible()
    axe_check(page)
