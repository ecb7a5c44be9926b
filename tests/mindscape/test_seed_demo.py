"""seed_demo makes a superuser and prints secrets: it runs in development (and in tests and
on the bench database), never against production."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from mindscape.seed import DEMO_USERS

pytestmark = pytest.mark.django_db

DEMO_NAMES = [name for name, _ in DEMO_USERS]


@pytest.fixture
def production(settings):
    """Settings as production has them: DEBUG off, the production settings module."""
    settings.DEBUG = False
    settings.SETTINGS_MODULE = "mindscape.settings.prod"
    return settings


@pytest.mark.parametrize("reset_passwords", [False, True])
def test_refuses_outside_development_and_changes_nothing(production, capsys, reset_passwords):
    with pytest.raises(CommandError, match="development only"):
        call_command("seed_demo", reset_passwords=reset_passwords)
    assert not get_user_model().objects.filter(username__in=DEMO_NAMES).exists()
    out = capsys.readouterr().out
    assert "password" not in out and " key " not in out


def test_runs_in_development(production, capsys):
    production.DEBUG = True  # make run: development settings
    call_command("seed_demo")
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()
    assert "password" in capsys.readouterr().out


def test_runs_on_the_bench_database_for_make_bench(production, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "mindscape_bench")
    call_command("seed_demo", verbosity=0)
    assert get_user_model().objects.filter(username__in=DEMO_NAMES).count() == len(DEMO_NAMES)


def test_the_demo_pages_make_no_efficacy_claim_the_reference_does_not_support():
    from clinic.seed import PAGES

    text = " ".join(" ".join(page["body"].split()) for page in PAGES).lower()
    for claim in ("helps many", "promising", "report relief"):
        assert claim not in text, claim


def test_each_app_seeds_itself_in_the_order_of_installed_apps(capsys):
    from mindscape.demo import seed_every_app

    seeders = [config.label for config in apps.get_app_configs() if hasattr(config, "seed_demo")]
    assert seeders == [
        "mindscape",
        "clinic",
        "blog",
        "booking",
        "intake",
        "staff",  # after mindscape: the demo logins get their authenticator keys
    ]
    call_command("seed_demo")
    first = capsys.readouterr().out.splitlines()[0]
    assert re.fullmatch(
        r"Demo content ready \(\d+ new pages, \d+ new articles, \d+ new consultation "
        r"locations, \d+ new demo screenings\)\.",
        first,
    )
    again = list(seed_every_app())  # idempotent: nothing new the second time
    assert [what.split()[0] for each in again for what in each.made] == ["0"] * 4
    assert not [login for each in again for login in each.logins]
    assert not [key for each in again for key in each.keys]
