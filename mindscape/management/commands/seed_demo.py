"""Load demo content for every app, idempotently (``make run`` calls it each time): each
app seeds itself (``mindscape/demo.py``); this command imports no app.

Development only: it makes a superuser ``admin`` and prints passwords and authenticator
keys, so it refuses to run unless one of these holds (production settings turn DEBUG off,
and a production database must not have "bench" in its name: seed_bench trusts that too):

* ``DEBUG`` is on (``make run``, development settings);
* the test settings (``mindscape.settings.test``) are in use;
* the database is the benchmark's own, with "bench" in its name (``make bench`` runs
  ``scripts/seed_bench.py`` under production settings against it; it refuses any other).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from mindscape.demo import seed_every_app

TEST_SETTINGS = "mindscape.settings.test"


def demo_data_allowed() -> bool:
    """Whether demo logins may be made here (see the module docstring)."""
    return (
        settings.DEBUG
        or settings.SETTINGS_MODULE == TEST_SETTINGS
        or "bench" in (connection.settings_dict.get("NAME") or "")
    )


class Command(BaseCommand):
    help = "Load demo content and one demo login per staff role. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo logins new passwords and print them.",
        )

    def handle(self, *args, reset_passwords: bool = False, **options):
        if not demo_data_allowed():
            raise CommandError(
                "seed_demo works in development only (DEBUG on): it makes a superuser "
                "'admin' and prints passwords and authenticator keys. Nothing was changed."
            )
        with transaction.atomic():
            seeded = list(seed_every_app(reset_passwords=reset_passwords))
        made = [what for each in seeded for what in each.made]
        logins = [login for each in seeded for login in each.logins]
        devices = [key for each in seeded for key in each.keys]
        self.stdout.write(f"Demo content ready ({', '.join(made)}).")
        if logins:
            self.stdout.write(self.style.WARNING("Demo staff logins (shown once; keep them):"))
            for username, role, password in logins:
                self.stdout.write(f"  {role:<17} username {username:<10} password {password}")
            self.stdout.write("Only 'admin' is a superuser. New passwords: make demo-passwords")
        else:
            self.stdout.write(
                "Demo logins already exist: admin, clinician, frontdesk, editor, reviewer "
                "(new passwords: make demo-passwords)."
            )
        if devices:
            self.stdout.write(
                self.style.WARNING("Second factor: add these keys to an authenticator app,")
            )
            self.stdout.write(
                "or get the current code with: python manage.py demo_otp <username> "
                "(--recovery-codes for recovery codes)."
            )
            for username, secret in devices:
                self.stdout.write(f"  {username:<10} key {secret}")
