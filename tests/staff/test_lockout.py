"""Lockout after repeated failed sign-ins, per device, per address and per account; unlock;
audit; logs."""

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from mindscape import roles
from tests.conftest import STAFF_PASSWORD
from tests.signin import code_for, give_device, verified_login

pytestmark = pytest.mark.django_db

LIMIT = 5  # STAFF_LOCKOUT_ATTEMPTS: one account from one address
ADDRESS_LIMIT = 20  # STAFF_LOCKOUT_ADDRESS_ATTEMPTS
ACCOUNT_LIMIT = 50  # STAFF_LOCKOUT_ACCOUNT_ATTEMPTS: one account from anywhere
DEVICE_MESSAGE = (
    "Too many attempts from this device; try again in 30 minutes or ask an administrator"
)


def fail(sign_in, user, times, **extra):
    return [sign_in(user, password="not-the-password", **extra) for _ in range(times)]


def test_an_account_locks_after_repeated_failures_with_a_clear_message(staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    responses = fail(sign_in, user, LIMIT)
    assert [r.status_code for r in responses[:-1]] == [200] * (LIMIT - 1)
    assert b"did not match a staff account" in responses[0].content
    locked = sign_in(user)  # the right password now
    assert locked.status_code == 429
    html = BeautifulSoup(locked.content, "html.parser")
    assert DEVICE_MESSAGE in " ".join(html.find(id="form-error").get_text().split())
    assert html.find("form", id="login-form") is not None  # the sign-in page, not bare text
    entries = AuditEntry.objects.filter(action="sign_in_failed", object_pk=str(user.pk))
    assert entries.count() == LIMIT + 1
    assert entries.filter(detail__locked_out=True).count() == 2  # the fifth, and the refused one
    lock = AuditEntry.objects.get(action="sign_in_locked")  # one lock, one entry
    assert (lock.object_pk, lock.detail) == (str(user.pk), {"scope": "device", "account": "known"})


def test_a_stranger_cannot_lock_a_named_clinician_out(staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    fail(sign_in, user, LIMIT, **stranger)
    assert sign_in(user, **stranger).status_code == 429
    # The clinician, at the clinic, is not locked out by it.
    assert sign_in(user, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_an_account_locks_after_many_failures_from_anywhere(staff_user, sign_in):
    from django.test import Client

    user = staff_user(roles.CLINICIAN)
    addresses = [f"203.0.113.{n}" for n in range(1, ACCOUNT_LIMIT // (LIMIT - 1) + 2)]
    failures = 0
    for address in addresses:  # never enough from one address to lock it or the pair
        for _ in range(LIMIT - 1):
            if failures < ACCOUNT_LIMIT - 1:
                sign_in(user, password="nope", REMOTE_ADDR=address)
                failures += 1
    assert failures == ACCOUNT_LIMIT - 1
    elsewhere = {"REMOTE_ADDR": "198.51.100.7"}
    clinic = Client()
    assert (
        clinic.post(
            reverse("admin:login"),
            {"username": user.username, "password": STAFF_PASSWORD},
            **elsewhere,
        ).status_code
        == 302
    )
    assert not AuditEntry.objects.filter(action="sign_in_locked").exists()

    sign_in(user, password="nope", REMOTE_ADDR="192.0.2.1")  # the fiftieth
    locked = sign_in(user, **elsewhere)
    assert locked.status_code == 429
    text = " ".join(
        BeautifulSoup(locked.content, "html.parser").find(id="form-error").get_text().split()
    )
    assert "Too many attempts for this account from several places" in text
    lock = AuditEntry.objects.get(action="sign_in_locked")
    assert (lock.object_pk, lock.detail) == (str(user.pk), {"scope": "account", "account": "known"})
    # Other accounts, from those same addresses, are not locked.
    assert sign_in(staff_user(roles.CLINICIAN), REMOTE_ADDR=addresses[0]).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    fail(sign_in, user, LIMIT)
    assert sign_in(user).status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
        assert sign_in(user).status_code == 302


def test_other_accounts_are_not_locked_by_one_accounts_failures(staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    other = staff_user(roles.CLINICIAN)
    fail(sign_in, user, LIMIT)
    assert sign_in(other).status_code == 302


def test_one_address_locks_after_more_failures_across_accounts(client, staff_user, sign_in):
    users = [staff_user(roles.FRONT_DESK) for _ in range(ADDRESS_LIMIT // (LIMIT - 1) + 1)]
    address = {"REMOTE_ADDR": "203.0.113.9"}
    failures = 0
    for user in users:
        for _ in range(LIMIT - 1):  # never enough to lock any one account
            if failures < ADDRESS_LIMIT:
                sign_in(user, password="nope", **address)
                failures += 1
    fresh = staff_user(roles.FRONT_DESK)
    assert sign_in(fresh, **address).status_code == 429
    lock = AuditEntry.objects.get(action="sign_in_locked")
    assert lock.detail["scope"] == "address"
    assert sign_in(fresh, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_address_is_the_client_behind_our_own_proxies(staff_user, sign_in, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = staff_user(roles.CLINICIAN)
    sign_in(user, password="nope", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.50"


def test_wrong_second_factor_codes_count_towards_the_lockout(client, staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    device = give_device(user)
    right = code_for(device)
    wrong = f"{(int(right) + 5) % 1_000_000:06d}"
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert sign_in(user).status_code == 302
        response = None
        for n in range(LIMIT):
            clock.move_to(start + dt.timedelta(seconds=60 * (n + 1)))  # past django-otp's wait
            response = client.post(reverse("admin:staff_verify"), {"code": wrong})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session  # the half-signed-in session ends
        assert sign_in(user).status_code == 429


def test_an_administrator_unlocks_an_account(client, staff_user, sign_in):
    from django.test import Client

    user = staff_user(roles.CLINICIAN)
    fail(sign_in, user, LIMIT)
    administrator = Client()
    admin_user = staff_user(roles.ADMINISTRATOR)
    verified_login(administrator, admin_user)
    response = administrator.post(
        reverse("admin:auth_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="sign_in_unlocked")
    assert entry.actor == admin_user and entry.object_pk == str(user.pk)
    assert sign_in(user).status_code == 302


def test_the_users_list_shows_who_is_locked_out_with_an_unlock_beside_it(
    client, staff_user, sign_in
):
    from django.test import Client

    locked = staff_user(roles.CLINICIAN)
    almost = staff_user(roles.FRONT_DESK)
    fail(sign_in, locked, LIMIT)
    fail(sign_in, almost, LIMIT - 1)
    administrator = Client()
    verified_login(administrator, staff_user(roles.ADMINISTRATOR))
    page = BeautifulSoup(
        administrator.get(reverse("admin:auth_user_changelist")).content, "html.parser"
    )
    rows = {
        row.select_one("th").get_text(strip=True): row
        for row in page.select("#result_list tbody tr")
    }
    cell = rows[locked.username].select_one("td.field-sign_in_unlock")
    assert "Locked out (failed sign-ins from one device)" in cell.get_text()
    unlock = reverse("admin:auth_user_unlock", args=[locked.pk])
    assert cell.find("a")["href"] == unlock
    assert rows[almost.username].select_one("td.field-sign_in_unlock").get_text(strip=True) == ""

    # The link asks first; only the confirmed POST unlocks (audited).
    asked = administrator.get(unlock)
    assert asked.status_code == 200 and b"Yes, unlock sign-in" in asked.content
    assert administrator.post(unlock, {}).status_code == 200  # not confirmed: asked again
    assert sign_in(locked).status_code == 429
    response = administrator.post(unlock, {"confirmed": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="sign_in_unlocked").object_pk == str(locked.pk)
    assert sign_in(locked).status_code == 302


def test_the_users_list_shows_a_lock_from_many_places(staff_user, sign_in, settings):
    from django.test import Client

    settings.STAFF_LOCKOUT_ACCOUNT_ATTEMPTS = 6
    user = staff_user(roles.CLINICIAN)
    for n in range(6):
        sign_in(user, password="not-the-password", REMOTE_ADDR=f"198.51.100.{n}")
    administrator = Client()
    verified_login(administrator, staff_user(roles.ADMINISTRATOR))
    response = administrator.get(reverse("admin:auth_user_changelist"))
    assert b"Locked out (failed sign-ins from several places)" in response.content


def test_locked_sign_ins_are_listed_read_only_and_unlocked_by_action(
    staff_client, staff_user, sign_in
):
    from django.test import Client

    fail(sign_in, "no-such-person", LIMIT)
    attempt = AccessAttempt.objects.get()
    admin = Client()
    verified_login(admin, staff_user(roles.ADMINISTRATOR))
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert admin.get(changelist).status_code == 200
    change = reverse("admin:axes_accessattempt_change", args=[attempt.pk])
    assert admin.post(change, {"username": "x"}).status_code == 403
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    admin.post(changelist, {"action": "unlock", "_selected_action": [attempt.pk]})
    assert not AccessAttempt.objects.exists()
    entry = AuditEntry.objects.get(action="sign_in_unlocked")
    assert entry.detail["account"] == "unknown_user" and entry.object_pk == ""
    # Everyone else: no door.
    clinician = staff_client(roles.CLINICIAN)
    assert clinician.get(changelist).status_code == 403


def test_failed_sign_ins_store_no_typed_text_and_logs_no_address(staff_user, sign_in, caplog):
    caplog.set_level(logging.INFO)
    sign_in("jane.roe@example.com", password="Secret-Typed-123", REMOTE_ADDR="203.0.113.77")
    entry = AuditEntry.objects.get(action="sign_in_failed")
    assert entry.detail == {"account": "unknown_user", "locked_out": False}
    assert entry.content_type is None and entry.actor is None
    assert "jane" not in str(entry.__dict__) and "Secret" not in str(entry.__dict__)
    assert "203.0.113.77" not in caplog.text
    assert "jane" not in caplog.text and "Secret-Typed" not in caplog.text
    assert "Secret-Typed" not in AccessAttempt.objects.get().post_data


def test_the_locked_sign_ins_page_is_named_as_the_admin_shows_it(staff_client):
    """docs/roles.md and settings send an Administrator to the page by its label in the admin."""
    from pathlib import Path

    index = staff_client(roles.ADMINISTRATOR).get(reverse("admin:index"))
    apps = {app["name"]: app for app in index.context["app_list"]}
    models = {model["object_name"]: model["name"] for model in apps["Axes"]["models"]}
    assert models["AccessAttempt"] == "Access attempts"
    root = Path(__file__).resolve().parents[2]
    roles_doc = root.joinpath("docs", "roles.md").read_text()
    settings_text = root.joinpath("mindscape", "settings", "base.py").read_text()
    for text in (roles_doc, settings_text):
        assert "Axes › Access attempts" in text
        assert "Locked sign-ins" not in text
