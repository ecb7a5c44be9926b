"""Configuration: the admin's path, production's refusal, and the demo second factors."""

import importlib
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import clear_url_caches, reverse

from mindscape.seed import DEMO_USERS
from tests.builders.mindscape import SETUP, run_prod

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_at(settings):
    import mindscape.urls

    def move(path):
        settings.ADMIN_URL = path
        importlib.reload(mindscape.urls)
        clear_url_caches()

    yield move
    settings.ADMIN_URL = "admin/"
    importlib.reload(mindscape.urls)
    clear_url_caches()


def test_the_admin_lives_at_a_configurable_path(client, admin_at):
    admin_at("staff-7f3c/")
    assert reverse("admin:index") == "/staff-7f3c/"
    assert reverse("admin:staff_verify").startswith("/staff-7f3c/")
    assert client.get("/staff-7f3c/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
    robots = client.get("/robots.txt").content.decode()
    assert "staff-7f3c" not in robots and "/admin/" not in robots  # not advertised


def test_the_gate_follows_the_admin_path(client, admin_at, staff_user):
    from mindscape import roles
    from tests.signin import force_login_unverified, give_device

    admin_at("back-office/")
    user = staff_user(roles.CLINICIAN)
    give_device(user)
    force_login_unverified(client, user)
    response = client.get("/back-office/")
    assert response["Location"].startswith("/back-office/sign-in/code/")


def test_production_refuses_to_run_without_the_second_factor():
    result = run_prod(SETUP, STAFF_REQUIRE_2FA="false")
    assert result.returncode != 0
    assert "STAFF_REQUIRE_2FA cannot be turned off in production" in result.stderr


def test_demo_logins_get_an_app_key_printed_once_and_demo_otp_gives_the_code(capsys, client):
    call_command("seed_demo")
    first = capsys.readouterr().out
    keys = dict(re.findall(r"^\s+(\w+)\s+key ([A-Z2-7]{32})$", first, re.MULTILINE))
    assert set(keys) == {name for name, _ in DEMO_USERS}
    assert "demo_otp" in first
    call_command("seed_demo")
    assert " key " not in capsys.readouterr().out


def test_demo_otp_prints_a_code_the_server_accepts(capsys, settings, client):
    from django.contrib.auth import get_user_model

    from staff import twofactor

    call_command("seed_demo")
    capsys.readouterr()
    settings.DEBUG = True
    call_command("demo_otp", "clinician", "--recovery-codes")
    out = capsys.readouterr().out
    code = re.match(r"(\d{6}) ", out).group(1)
    user = get_user_model().objects.get(username="clinician")
    assert twofactor.app_device(user).verify_token(code)
    assert len(re.findall(r"\b[a-z2-7]{8}\b", out.split(":", 1)[1])) == 10


def test_demo_otp_refuses_outside_development(settings):
    call_command("seed_demo")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_otp", "admin")
