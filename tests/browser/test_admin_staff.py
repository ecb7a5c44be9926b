"""Administrators in a real browser: the audit log read as sentences at 1280 px, who is
locked out (and unlocking them), a two-factor reset that asks first; and anyone signing
straight back in with the code they just used.  axe (the admin's bar) on every page."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from audit.models import AuditEntry
from booking import schedule, services
from clinic.seed import seed_clinic
from mindscape import roles
from tests import signin
from tests.axe import assert_admin_page_accessible as axe
from tests.conftest import DESKTOP, PHONE, STAFF_PASSWORD
from tests.factories import PATIENT, ConsultationTypeFactory, LocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots of the changed admin pages, to look at (Playwright makes the folder).
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/mindscape-screenshots")
USERS = reverse("admin:auth_user_changelist")


def fail_sign_in(page, username: str, times: int) -> None:
    page.goto(reverse("admin:login"))
    for _ in range(times):
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()


def test_the_audit_log_reads_as_sentences_and_fits(staff_page, staff_user):
    seed_clinic()
    location = LocationFactory(name="Portland clinic")
    phone_call = ConsultationTypeFactory(name="Phone call", locations=[location])
    desk = staff_user(roles.FRONT_DESK, username="dana")
    start = schedule.open_slots(location, phone_call)[20].start.replace(hour=23)  # 18:00 local
    consultation = services.consultation_book(
        location=location,
        consultation_type=phone_call,
        starts_at=start,
        details=PATIENT,
        by=desk,
        override_schedule=True,
    )
    page = staff_page(roles.ADMINISTRATOR, width=DESKTOP)
    page.goto(reverse("admin:audit_auditentry_changelist"))
    sentence = (
        f"dana (front desk) booked consultation {consultation.reference} outside opening hours"
    )
    expect(page.locator("#result_list")).to_contain_text(sentence)
    expect(page.locator("#result_list")).not_to_contain_text("{")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP
    types = page.locator('details[data-filter-title="record type"] li a')
    expect(types).to_have_text(["All", "Consultation"])
    axe(page)
    page.screenshot(path=f"{SHOTS}/audit-log-1280.png", full_page=True)

    # The record's History tab says the same.
    page.goto(reverse("admin:booking_consultation_history", args=[consultation.pk]))
    expect(page.locator("#change-history")).to_contain_text(sentence)
    axe(page)
    page.screenshot(path=f"{SHOTS}/history-1280.png", full_page=True)


def test_an_administrator_sees_a_lockout_and_unlocks_beside_it(new_page, staff_page, staff_user):
    locked = staff_user(roles.CLINICIAN, username="casey")
    fail_sign_in(new_page(PHONE), locked.username, 5)
    expect_locked = "Locked out (failed sign-ins from one device)"

    page = staff_page(roles.ADMINISTRATOR, width=DESKTOP)
    page.goto(USERS)
    row = page.locator("#result_list tbody tr", has_text="casey")
    expect(row).to_contain_text(expect_locked)
    unlock = row.get_by_role("link", name="Unlock sign-in for casey")
    box = unlock.bounding_box()
    assert box["x"] + box["width"] <= DESKTOP, "the unlock link is off-screen at 1280 px"
    axe(page)
    page.screenshot(path=f"{SHOTS}/users-locked-1280.png", full_page=True)
    row.get_by_role("link", name="Unlock sign-in for casey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unlock sign-in?")
    axe(page)
    page.get_by_role("button", name="Yes, unlock sign-in").click()
    expect(page.get_by_text("casey can sign in again")).to_be_visible()
    expect(page.locator("#result_list tbody tr", has_text="casey")).not_to_contain_text(
        "Locked out"
    )
    assert AuditEntry.objects.filter(action="sign_in_unlocked").count() == 1
    axe(page)


def test_a_two_factor_reset_asks_first_saying_what_it_does(staff_page, staff_user):
    colleague = staff_user(roles.FRONT_DESK, username="robin")
    signin.give_device(colleague)
    page = staff_page(roles.ADMINISTRATOR, width=DESKTOP)
    page.goto(USERS)
    page.locator("#result_list tbody tr", has_text="robin").get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(value="reset_two_factor")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset two-factor sign-in?")
    expect(page.locator(".confirm-intro")).to_contain_text(
        "Their app and recovery codes will stop working"
    )
    expect(page.locator(".confirm-intro")).to_contain_text(
        "they will set up a new app at the next sign-in"
    )
    expect(page.locator(".confirm-list")).to_contain_text("robin")
    assert TOTPDevice.objects.filter(user=colleague).exists()
    axe(page)
    page.screenshot(path=f"{SHOTS}/reset-2fa-confirm-1280.png", full_page=True)
    page.get_by_role("button", name="Yes, reset two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in reset for 1 account(s)")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    axe(page)


def test_signing_straight_back_in_with_the_same_code_is_not_a_failure(staff_page):
    from axes.models import AccessAttempt

    page = staff_page(roles.FRONT_DESK, width=PHONE)
    user = page.user
    device = TOTPDevice.objects.get(user=user)
    used = signin.code_for(device)  # the code just used (same 30 seconds, or the one before)
    device.refresh_from_db()
    page.get_by_role("button", name="Log out").click()
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    last_used = signin.TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    last_used.time = device.t0 + device.last_t * device.step
    code = str(last_used.token()).zfill(6)
    assert code in (used, signin.code_for(device, steps=-1))
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code was just used; wait for the next one.")).to_be_visible()
    assert not AccessAttempt.objects.exists()
    axe(page)


def test_the_changed_admin_pages_work_on_a_phone(staff_page, staff_user):
    """At 360 px: the consultation list, the audit log and the Users list (axe on each)."""
    seed_clinic()
    location = LocationFactory(name="Portland clinic")
    phone_call = ConsultationTypeFactory(name="Phone call", locations=[location])
    desk = staff_user(roles.FRONT_DESK, username="dana")
    services.consultation_book(
        location=location,
        consultation_type=phone_call,
        starts_at=schedule.open_slots(location, phone_call)[3].start,
        details=PATIENT,
        by=desk,
    )
    page = staff_page(roles.ADMINISTRATOR, width=PHONE)
    for name, url in [
        ("consultations", reverse("admin:booking_consultation_changelist")),
        ("audit-log", reverse("admin:audit_auditentry_changelist")),
        ("users", USERS),
    ]:
        page.goto(url)
        expect(page.locator("#result_list")).to_be_visible()
        axe(page)
        page.screenshot(path=f"{SHOTS}/{name}-360.png", full_page=True)
