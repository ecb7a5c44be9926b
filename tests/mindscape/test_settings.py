"""Settings fail closed, deploy checks pass, PostgreSQL is the only database."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.builders.mindscape import GOOD_ENV, ROOT, SETUP, run_prod


def test_production_starts_with_its_variables_and_debug_off():
    result = run_prod(SETUP)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("missing", sorted(GOOD_ENV))
def test_production_refuses_to_start_without(missing):
    result = run_prod(SETUP, **{missing: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_prod(SETUP, SECRET_KEY="short")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_refuses_a_database_that_is_not_postgresql():
    result = run_prod(SETUP, DATABASE_URL="sqlite:////tmp/clinic.db")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


@pytest.mark.parametrize(
    "keys",
    [
        "not-a-key",
        "wtmVUmHoBkGDKwfQdFNCVwIp_gk7C7yHnPe5tB0iC",
        "ebQqty9TW6iD8x0unpzQMfIQiHjOM5V8xfeJsL9-VNE=,not-a-key",  # a bad key after a good one
    ],
)
def test_production_refuses_an_invalid_encryption_key(keys):
    result = run_prod(SETUP, INTAKE_ENCRYPTION_KEYS=keys)
    assert result.returncode != 0
    assert "must be Fernet keys" in result.stderr


def test_production_turns_debug_off_even_when_asked_for():
    result = run_prod(SETUP, DJANGO_DEBUG="true")
    assert result.stdout.strip() == "False"


def test_check_deploy_prints_nothing_to_worry_about():
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'DEBUG'])"
    )
    # Set as a real deployment sets them: intake.checks refuses the .example alert lists
    # and a loopback SITE_URL (tests/intake/test_checks.py).
    result = run_prod(
        code,
        SITE_URL="https://www.mindscape-clinic.com",
        INTAKE_ALERT_EMAILS="clinical@mindscape-clinic.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr.strip() == ""


def test_base_settings_default_to_debug_off():
    from mindscape.settings import base

    assert base.DEBUG is False or os.environ.get("DJANGO_DEBUG")


def test_tests_run_on_postgresql_with_debug_off():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.DEBUG is False


def test_every_settings_module_names_postgresql_only():
    for path in (ROOT / "mindscape" / "settings").glob("*.py"):
        assert "sqlite" not in path.read_text().lower().replace("sqlite:////tmp", ""), path


def test_no_migrations_are_missing():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mindscape.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


RETRIES = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.MESSAGE_MAX_ATTEMPTS, settings.MESSAGE_RETRY_SECONDS)"
)


def test_message_retries_are_read_under_their_names_without_a_warning():
    result = run_prod(RETRIES, MESSAGE_MAX_ATTEMPTS="7", MESSAGE_RETRY_SECONDS="30")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["7", "30"]
    assert "deprecated" not in result.stderr


def test_the_former_message_retry_names_still_work_and_warn():
    result = run_prod(RETRIES, BOOKING_MESSAGE_MAX_ATTEMPTS="7", BOOKING_MESSAGE_RETRY_SECONDS="30")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["7", "30"]
    for old, new in [
        ("BOOKING_MESSAGE_MAX_ATTEMPTS", "MESSAGE_MAX_ATTEMPTS"),
        ("BOOKING_MESSAGE_RETRY_SECONDS", "MESSAGE_RETRY_SECONDS"),
    ]:
        assert f"FutureWarning: The environment variable {old} is deprecated: set {new}" in (
            result.stderr
        )


def test_a_former_name_set_beside_the_new_one_is_ignored_with_a_warning(monkeypatch):
    from mindscape.settings.base import env_int_renamed

    monkeypatch.setenv("OLD_TRIES", "3")
    with pytest.warns(FutureWarning, match="OLD_TRIES is deprecated: set NEW_TRIES"):
        assert env_int_renamed("NEW_TRIES", "OLD_TRIES", 5) == 3
    monkeypatch.setenv("NEW_TRIES", "9")
    with pytest.warns(FutureWarning, match="OLD_TRIES is deprecated"):
        assert env_int_renamed("NEW_TRIES", "OLD_TRIES", 5) == 9
    monkeypatch.delenv("OLD_TRIES")
    assert env_int_renamed("NEW_TRIES", "OLD_TRIES", 5) == 9  # no warning: errors here
    monkeypatch.delenv("NEW_TRIES")
    assert env_int_renamed("NEW_TRIES", "OLD_TRIES", 5) == 5
