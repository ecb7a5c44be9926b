"""Load demo content for every app, idempotently (``make run`` calls it each time)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from blog.seed import seed_blog
from booking.seed import seed_booking
from intake.seed import seed_screenings
from mindscape import seed
from staff.seed import seed_devices


class Command(BaseCommand):
    help = "Load demo content and one demo login per staff role. Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo logins new passwords and print them.",
        )

    def handle(self, *args, reset_passwords: bool = False, **options):
        with transaction.atomic():
            seed.seed_clinic()
            pages = seed.seed_pages()
            logins = seed.seed_users(reset_passwords=reset_passwords)
            articles = seed_blog()
            locations = seed_booking()
            screenings = seed_screenings()
            devices = seed_devices([name for name, _ in seed.DEMO_USERS])
        self.stdout.write(
            f"Demo content ready ({pages} new pages, {articles} new articles, "
            f"{locations} new consultation locations, {screenings} new demo screenings)."
        )
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
