"""System checks: ``check --deploy`` refuses alert lists that reach nobody and a SITE_URL that
is not the public https address; every ``check`` refuses triage timings that make no sense."""

import pytest
from django.core.checks import run_checks

from intake import checks

GOOD = {
    "DEBUG": False,
    "INTAKE_ALERT_EMAILS": ["clinical@mindscape-clinic.com"],
    "INTAKE_ESCALATION_EMAILS": ["Medical Director <director@mindscape-clinic.com>"],
    "SITE_URL": "https://www.mindscape-clinic.com",
}


def ids(problems) -> list[str]:
    return [problem.id for problem in problems]


@pytest.fixture
def good(settings):
    for name, value in GOOD.items():
        setattr(settings, name, value)
    return settings


def test_real_mailboxes_and_a_public_https_address_pass(good):
    assert checks.alerts_reach_someone() == []


def test_the_defaults_are_reported_by_check_deploy_only(settings):
    # The settings' own defaults: clinical@mindscape.example and http://127.0.0.1:8000.
    assert settings.INTAKE_ALERT_EMAILS == ["clinical@mindscape.example"]
    assert settings.SITE_URL == "http://127.0.0.1:8000"
    settings.INTAKE_ESCALATION_EMAILS = settings.INTAKE_ALERT_EMAILS
    deploy = run_checks(tags=["intake"], include_deployment_checks=True)
    assert ids(deploy) == ["intake.E001", "intake.E001", "intake.E002"]
    assert "INTAKE_ALERT_EMAILS" in deploy[0].msg
    assert "INTAKE_ESCALATION_EMAILS" in deploy[1].msg
    assert run_checks(tags=["intake"]) == []


def test_development_is_not_asked_for_real_addresses(settings):
    settings.DEBUG = True
    assert checks.alerts_reach_someone() == []


@pytest.mark.parametrize(
    "addresses",
    [
        [],
        ["clinical@mindscape.example"],
        ["clinical@clinic.invalid"],
        ["clinical@clinic.test"],
        ["clinical@localhost"],
        ["clinical@example.com"],
        ["clinical@mail.example.org"],
        ["not an address"],
        ["clinical@mindscape-clinic"],
        ["clinical@mindscape-clinic.com", "on.call@mindscape.example"],
    ],
)
@pytest.mark.parametrize("setting", checks.ALERT_LISTS)
def test_an_alert_list_that_reaches_nobody_is_an_error(good, setting, addresses):
    setattr(good, setting, addresses)
    problems = checks.alerts_reach_someone()
    assert ids(problems) == ["intake.E001"]
    assert setting in problems[0].msg


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "https://localhost",
        "https://[::1]:8443",
        "https://0.0.0.0",
        "https://www.mindscape.example",
        "https://clinic.test",
        "www.mindscape-clinic.com",  # no scheme: no host either
        "",
    ],
)
def test_a_site_url_that_is_not_the_public_address_is_an_error(good, url):
    good.SITE_URL = url
    assert ids(checks.alerts_reach_someone()) == ["intake.E002"]


def test_a_public_site_url_over_plain_http_is_a_warning(good):
    good.SITE_URL = "http://www.mindscape-clinic.com"
    assert ids(checks.alerts_reach_someone()) == ["intake.W001"]


# --- Triage timings (every check, not only --deploy) ------------------------------------------


@pytest.mark.parametrize("thresholds", [[60, 180], [30, 90], (15, 45), [1, 2]])
def test_two_ascending_escalation_thresholds_pass(settings, thresholds):
    settings.INTAKE_ESCALATION_MINUTES = thresholds
    assert checks.triage_timings() == []


@pytest.mark.parametrize(
    "thresholds",
    [[90, 30], [60, 60], [0, 60], [-5, 60], [60], [60, 120, 180], [], [60.5, 90], [True, 90]],
)
def test_escalation_thresholds_that_make_no_sense_are_an_error(settings, thresholds):
    settings.INTAKE_ESCALATION_MINUTES = thresholds
    problems = run_checks(tags=["intake"])
    assert ids(problems) == ["intake.E003"]


@pytest.mark.parametrize(("minutes", "hours"), [(60, 72), (15, 72), (59, 1), (30, 24)])
def test_a_left_form_alert_before_the_resume_link_expires_passes(settings, minutes, hours):
    settings.INTAKE_ABANDONED_RISK_MINUTES = minutes
    settings.INTAKE_RESUME_HOURS = hours
    assert checks.triage_timings() == []


@pytest.mark.parametrize(("minutes", "hours"), [(0, 72), (-1, 72), (60, 1), (72 * 60, 72), (5, 0)])
def test_a_left_form_alert_that_could_never_fire_is_an_error(settings, minutes, hours):
    settings.INTAKE_ABANDONED_RISK_MINUTES = minutes
    settings.INTAKE_RESUME_HOURS = hours
    assert ids(checks.triage_timings()) == ["intake.E004"]
