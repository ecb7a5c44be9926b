"""Demo content, app by app: what ``manage.py seed_demo`` asks of each app.

An app with demo content gives its ``AppConfig`` a method
``seed_demo(self, *, reset_passwords: bool) -> Seeded``.  The command calls each in the
order of ``INSTALLED_APPS``, all in one transaction, and prints what they return; it
imports no app.  A seeder is idempotent: run twice, it makes nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Seeded:
    made: tuple[str, ...] = ()  # for the summary line: "3 new pages"
    logins: tuple[tuple[str, str, str], ...] = ()  # (username, role, password), shown once
    keys: tuple[tuple[str, str], ...] = ()  # (username, authenticator key), shown once


def seed_every_app(*, reset_passwords: bool = False) -> Iterator[Seeded]:
    """Ask each installed app that has demo content to seed itself, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        seed_demo = getattr(config, "seed_demo", None)
        if seed_demo is not None:
            yield seed_demo(reset_passwords=reset_passwords)
