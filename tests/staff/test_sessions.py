"""Staff sessions end when idle, at a time limit, and when the browser closes; no
"remember me"; strong passwords."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from mindscape import roles
from staff.forms import StaffAuthenticationForm
from tests.signin import code_for, give_device, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_clocks(settings):
    """The defaults of production (the test settings stretch them for time travel)."""
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 15 * 60
    settings.STAFF_SESSION_MAX_SECONDS = 12 * 3600


def signed_in_at(client, staff_user, sign_in, start):
    user = staff_user(roles.FRONT_DESK)
    device = give_device(user)
    sign_in(user)
    client.post(reverse("admin:staff_verify"), {"code": code_for(device)})
    assert client.get(reverse("admin:index")).status_code == 200
    return user


def test_an_idle_session_is_signed_out_with_a_message(client, staff_user, sign_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        user = signed_in_at(client, staff_user, sign_in, start)
        clock.move_to(start + dt.timedelta(minutes=14))
        assert client.get(reverse("admin:index")).status_code == 200  # activity: clock restarts
        clock.move_to(start + dt.timedelta(minutes=28))
        assert client.get(reverse("admin:index")).status_code == 200
        clock.move_to(start + dt.timedelta(minutes=44))  # 16 idle minutes
        response = client.get(reverse("admin:index"), follow=True)
    assert response.request["PATH_INFO"] == reverse("admin:login")
    assert b"signed out after 15 minutes without activity" in response.content
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.filter(action="signed_out", actor=user).get()
    assert entry.detail == {"reason": "idle_timeout"}


def test_the_idle_time_is_a_setting(client, staff_user, sign_in, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        signed_in_at(client, staff_user, sign_in, start)
        clock.move_to(start + dt.timedelta(seconds=61))
        assert client.get(reverse("admin:index")).status_code == 302


def test_a_busy_session_still_ends_at_the_time_limit(client, staff_user, sign_in, settings):
    settings.STAFF_SESSION_MAX_SECONDS = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        user = signed_in_at(client, staff_user, sign_in, start)
        for minutes in range(10, 61, 10):
            clock.move_to(start + dt.timedelta(minutes=minutes))
            assert client.get(reverse("admin:index")).status_code == 200
        clock.move_to(start + dt.timedelta(minutes=61))
        assert client.get(reverse("admin:index")).status_code == 302
    assert AuditEntry.objects.get(action="signed_out", actor=user).detail == {
        "reason": "session_limit"
    }


def test_a_session_without_the_sign_in_stamps_is_not_accepted(client, staff_user):
    verified_login(client, staff_user(roles.CLINICIAN))
    session = client.session
    del session["staff_last_seen"]
    session.save()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_session_cookie_ends_with_the_browser(client, staff_user, sign_in):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    sign_in(staff_user(roles.CLINICIAN))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]


def test_no_remember_me():
    assert set(StaffAuthenticationForm().fields) == {"username", "password"}


@pytest.mark.parametrize("weak", ["short-pw1", "password1234", "12345678901234", "staffmember1"])
def test_weak_passwords_are_refused(weak, staff_user):
    user = staff_user(roles.CLINICIAN, username="staffmember1")
    with pytest.raises(ValidationError):
        validate_password(weak, user)
    validate_password("correct-horse-battery-staple-7", user)
