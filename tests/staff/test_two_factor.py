"""Two-factor sign-in: first set-up, codes, recovery codes, reset, and the gate."""

import datetime as dt
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from mindscape import roles
from staff import twofactor
from staff.site import StaffAdminSite
from tests.signin import code_for, force_login_unverified, give_device, verified_login

pytestmark = pytest.mark.django_db

INDEX = "admin:index"


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def field(response, name="code"):
    return BeautifulSoup(response.content, "html.parser").find("input", {"name": name})


def test_a_new_staff_member_is_sent_to_set_up_an_app(client, staff_user, sign_in):
    user = staff_user(roles.FRONT_DESK)
    response = sign_in(user)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:staff_enrol")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg role="img" class="qr-code"' in html and "<title>" in html  # inline, named
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = twofactor.secret_text(device)
    assert secret in html and re.fullmatch(r"([A-Z2-7]{4} ?)+", secret)
    code = field(page)
    assert code["autocomplete"] == "one-time-code" and code["inputmode"] == "numeric"
    # Not signed in to the admin yet:
    assert client.get(reverse(INDEX))["Location"] == reverse("admin:staff_enrol")


def test_set_up_confirms_with_a_code_and_shows_ten_recovery_codes_once(client, staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    sign_in(user)
    client.get(reverse("admin:staff_enrol"))
    device = TOTPDevice.objects.get(user=user)

    wrong = client.post(reverse("admin:staff_enrol"), {"code": "000000"})
    assert wrong.status_code == 200
    assert field(wrong)["aria-invalid"] == "true"
    assert "id_code_error" in field(wrong)["aria-describedby"]
    assert b'id="id_code_error"' in wrong.content

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=2)):  # past the throttle
        done = client.post(reverse("admin:staff_enrol"), {"code": code_for(device)})
    assert done["Location"] == reverse("admin:staff_recovery_codes")
    shown = client.get(done["Location"])
    codes = [
        li.get_text(strip=True)
        for li in BeautifulSoup(shown.content, "html.parser").select(".recovery-codes li")
    ]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert client.get(reverse("admin:staff_recovery_codes")).status_code == 302  # once only
    assert client.get(reverse(INDEX)).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert {
        "signed_in",
        "two_factor_enrolled",
        "recovery_codes_issued",
        "second_factor_passed",
    } <= set(actions())


def test_sign_in_with_a_device_asks_for_the_code(client, staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    device = give_device(user)
    next_url = reverse("admin:clinic_clinic_changelist")
    response = sign_in(user, next_url=next_url)
    assert response["Location"].startswith(reverse("admin:staff_verify"))
    # Password alone opens nothing:
    assert client.get(reverse(INDEX))["Location"].startswith(reverse("admin:staff_verify"))
    page = client.get(response["Location"])
    assert field(page)["inputmode"] == "numeric"

    wrong = client.post(response["Location"], {"code": "12345", "next": next_url})
    assert wrong.status_code == 200 and b"Enter the 6 digits" in wrong.content
    ok = client.post(response["Location"], {"code": code_for(device), "next": next_url})
    assert ok["Location"] == next_url
    assert client.get(reverse(INDEX)).status_code == 200
    assert actions()[-2:] == ["signed_in", "second_factor_passed"]


def test_a_wrong_code_is_refused_and_audited(client, staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    device = give_device(user)
    sign_in(user)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("admin:staff_verify"), {"code": wrong})
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert client.get(reverse(INDEX)).status_code == 302
    assert AuditEntry.objects.filter(action="second_factor_failed", actor=user).exists()


def test_a_used_code_cannot_be_replayed(client, staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    device = give_device(user)
    code = code_for(device)
    sign_in(user)
    assert client.post(reverse("admin:staff_verify"), {"code": code}).status_code == 302
    client.post(reverse("admin:logout"))
    sign_in(user)
    response = client.post(reverse("admin:staff_verify"), {"code": code})
    assert response.status_code == 200  # the same code, again: refused


def test_a_code_just_used_is_refused_kindly_and_counts_as_no_failure(client, staff_user, sign_in):
    from axes.models import AccessAttempt

    user = staff_user(roles.CLINICIAN)
    device = give_device(user)
    start = timezone.now().replace(second=1, microsecond=0)  # early in a 30-second step
    with time_machine.travel(start, tick=False) as clock:
        code = code_for(device)
        sign_in(user)
        assert client.post(reverse("admin:staff_verify"), {"code": code}).status_code == 302
        client.post(reverse("admin:logout"))
        clock.move_to(start + dt.timedelta(seconds=10))  # signed straight back in
        sign_in(user)
        for _ in range(6):  # more than the lockout's five
            response = client.post(reverse("admin:staff_verify"), {"code": code})
            assert response.status_code == 200
            assert b"That code was just used; wait for the next one." in response.content
        assert not AccessAttempt.objects.exists()
        assert not AuditEntry.objects.filter(action="second_factor_failed").exists()
        device.refresh_from_db()
        assert device.throttling_failure_count == 0
        clock.move_to(start + dt.timedelta(seconds=31))  # the next code
        response = client.post(reverse("admin:staff_verify"), {"code": code_for(device)})
        assert response.status_code == 302
        assert client.get(reverse(INDEX)).status_code == 200


def test_a_wrong_code_is_still_a_failure_right_after_a_sign_in(client, staff_user, sign_in):
    from axes.models import AccessAttempt

    user = staff_user(roles.CLINICIAN)
    device = give_device(user)
    start = timezone.now().replace(second=1, microsecond=0)
    with time_machine.travel(start, tick=False):
        code = code_for(device)
        sign_in(user)
        client.post(reverse("admin:staff_verify"), {"code": code})
        client.post(reverse("admin:logout"))
        sign_in(user)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        response = client.post(reverse("admin:staff_verify"), {"code": wrong})
        assert b"did not match" in response.content
        assert AccessAttempt.objects.get().failures_since_start == 1


def test_a_full_sign_in_clears_that_accounts_failures_from_that_address(
    client, staff_user, sign_in
):
    from axes.models import AccessAttempt

    user = staff_user(roles.CLINICIAN)
    other = staff_user(roles.FRONT_DESK)
    device = give_device(user)
    for _ in range(4):
        sign_in(user, password="not-the-password")
    sign_in(other, password="not-the-password")
    sign_in(user, password="not-the-password", REMOTE_ADDR="203.0.113.9")
    sign_in(user)
    assert AccessAttempt.objects.filter(username=user.username).count() == 2  # not yet
    assert client.post(reverse("admin:staff_verify"), {"code": code_for(device)}).status_code == 302
    left = AccessAttempt.objects.values_list("username", "ip_address")
    assert sorted(left) == sorted([(other.username, "127.0.0.1"), (user.username, "203.0.113.9")])
    client.post(reverse("admin:logout"))
    # Four more wrong passwords from here do not lock it: the earlier four no longer count.
    for _ in range(4):
        assert sign_in(user, password="not-the-password").status_code == 200
    assert sign_in(user).status_code == 302


def test_a_recovery_code_works_once(client, staff_user, sign_in):
    user = staff_user(roles.ADMINISTRATOR)
    give_device(user)
    codes = twofactor.recovery_codes_issue(user=user)
    sign_in(user)
    page = client.get(reverse("admin:staff_verify_recovery"))
    assert page.status_code == 200 and b"10 left" in page.content
    ok = client.post(reverse("admin:staff_verify_recovery"), {"code": codes[0].upper()})
    assert ok.status_code == 302
    assert client.get(reverse(INDEX)).status_code == 200
    assert AuditEntry.objects.filter(
        action="second_factor_passed", detail__method="recovery_code"
    ).exists()
    client.post(reverse("admin:logout"))
    sign_in(user)
    again = client.post(reverse("admin:staff_verify_recovery"), {"code": codes[0]})
    assert again.status_code == 200 and b"did not work" in again.content
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_new_recovery_codes_replace_the_old_ones(staff_client):
    client = staff_client(roles.CLINICIAN)
    old = twofactor.recovery_codes_issue(user=client.user)
    response = client.post(reverse("admin:staff_recovery_codes_new"))
    assert response["Location"] == reverse("admin:staff_recovery_codes")
    assert client.get(response["Location"]).status_code == 200
    assert not StaticToken.objects.filter(token__in=old).exists()
    assert StaticDevice.objects.get(user=client.user).token_set.count() == 10


def test_an_unverified_session_is_anonymous_outside_the_admin(client, staff_user):
    from tests.factories import ArticleFactory

    draft = ArticleFactory(status="draft", reviewer=None, last_reviewed=None, next_review_due=None)
    editor = staff_user(roles.CONTENT_EDITOR)
    give_device(editor)
    force_login_unverified(client, editor)
    preview = reverse("blog:preview", args=[draft.pk])
    assert client.get(preview).status_code == 403  # as for anyone not signed in
    client.logout()
    verified_login(client, editor)
    assert client.get(preview).status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_session(staff_user):
    user = staff_user(roles.ADMINISTRATOR, is_superuser=True)
    give_device(user)
    request = RequestFactory().get("/")
    user.is_verified = lambda: False
    request.user = user
    assert not StaffAdminSite().has_permission(request)
    user.is_verified = lambda: True
    assert StaffAdminSite().has_permission(request)
    request.user = AnonymousUser()
    assert not StaffAdminSite().has_permission(request)


def test_without_a_device_or_a_fresh_sign_in_there_is_no_set_up(client, staff_user):
    """A session whose device was reset cannot enrol a new one: it must sign in again."""
    user = staff_user(roles.CLINICIAN)
    force_login_unverified(client, user)
    response = client.get(reverse("admin:staff_enrol"))
    assert response["Location"] == reverse("admin:login")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session


def test_an_administrator_resets_a_colleagues_two_factors(client, staff_user, sign_in):
    colleague = staff_user(roles.FRONT_DESK)
    give_device(colleague)
    twofactor.recovery_codes_issue(user=colleague)
    verified_login(client, colleague)
    assert client.get(reverse(INDEX)).status_code == 200

    from django.test import Client

    admin_client = Client()
    administrator = staff_user(roles.ADMINISTRATOR)
    verified_login(admin_client, administrator)
    # First it asks, saying what a reset does; nothing changes yet.
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [colleague.pk]},
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("h1").get_text(strip=True) == "Reset two-factor sign-in?"
    intro = page.select_one(".confirm-intro").get_text(" ", strip=True)
    assert "Their app and recovery codes will stop working" in intro
    assert "they will set up a new app at the next sign-in" in intro
    assert colleague.username in page.select_one(".confirm-list").get_text()
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert not AuditEntry.objects.filter(action="two_factor_reset").exists()
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [colleague.pk], "confirmed": "yes"},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    entry = AuditEntry.objects.get(action="two_factor_reset")
    assert entry.actor == administrator and entry.object_pk == str(colleague.pk)

    # The colleague's open session ends; a fresh sign-in sets up a new app.
    after = client.get(reverse(INDEX))
    assert after.status_code == 302
    assert "_auth_user_id" not in client.session
    assert sign_in(colleague)["Location"] == reverse("admin:staff_enrol")


@pytest.mark.parametrize("role", [r for r in roles.ROLES if r != roles.ADMINISTRATOR])
def test_only_an_administrator_may_reset_or_unlock(staff_client, staff_user, role):
    colleague = staff_user(roles.FRONT_DESK)
    give_device(colleague)
    client = staff_client(role)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [colleague.pk], "confirmed": "yes"},
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:auth_user_unlock", args=[colleague.pk])).status_code == 403
    assert (
        client.post(
            reverse("admin:auth_user_unlock", args=[colleague.pk]), {"confirmed": "yes"}
        ).status_code
        == 403
    )
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_sign_out_works_before_the_second_factor(client, staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    give_device(user)
    sign_in(user)
    response = client.post(reverse("admin:logout"))
    assert response["Location"] == reverse("admin:login")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="signed_out", actor=user).exists()


def test_next_must_stay_on_this_site(client, staff_user, sign_in):
    user = staff_user(roles.CLINICIAN)
    device = give_device(user)
    sign_in(user, next_url="https://evil.example/")
    response = client.post(
        reverse("admin:staff_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse(INDEX)


def test_development_may_relax_the_second_factor(client, staff_user, sign_in, settings):
    settings.STAFF_REQUIRE_2FA = False
    settings.DEBUG = True
    without = staff_user(roles.CLINICIAN)
    assert sign_in(without)["Location"] == reverse(INDEX)
    assert client.get(reverse(INDEX)).status_code == 200
    client.post(reverse("admin:logout"))
    with_device = staff_user(roles.CLINICIAN)
    give_device(with_device)
    assert sign_in(with_device)["Location"] == reverse("admin:staff_verify")
    assert client.get(reverse(INDEX)).status_code == 302


def test_the_relaxation_is_ignored_where_debug_is_off(client, staff_user, sign_in, settings):
    """gunicorn never runs the staff.E001 check: the setting alone must not open the door."""
    settings.STAFF_REQUIRE_2FA = False
    settings.DEBUG = False
    user = staff_user(roles.CLINICIAN)
    assert sign_in(user)["Location"] == reverse("admin:staff_enrol")
    response = client.get(reverse(INDEX))
    assert response.status_code == 302 and response["Location"] == reverse("admin:staff_enrol")
    site = StaffAdminSite()
    request = RequestFactory().get("/")
    request.user = user
    assert not site.has_permission(request)
    assert twofactor.required()


def test_the_check_refuses_the_second_factor_off_outside_development(settings):
    from staff.checks import second_factor_required

    settings.STAFF_REQUIRE_2FA = False
    settings.DEBUG = False
    assert [e.id for e in second_factor_required()] == ["staff.E001"]
    settings.DEBUG = True
    assert second_factor_required() == []
