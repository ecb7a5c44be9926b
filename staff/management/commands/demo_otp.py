"""Development only: the current sign-in code of a demo login (as its app would show)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mindscape.seed import DEMO_USERS
from staff import twofactor


class Command(BaseCommand):
    help = "Print a demo login's current two-factor code (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=[name for name, _ in DEMO_USERS])
        parser.add_argument(
            "--recovery-codes", action="store_true", help="Also issue and print new recovery codes."
        )

    def handle(self, *args, username: str, recovery_codes: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError("demo_otp works in development only (DEBUG on).")
        user = get_user_model().objects.filter(username=username).first()
        device = twofactor.app_device(user) if user else None
        if device is None:
            raise CommandError(f"{username} has no authenticator app yet: run seed_demo.")
        code, left = twofactor.current_code(device)
        self.stdout.write(f"{code}  (valid {left} s more)")
        if recovery_codes:
            codes = twofactor.recovery_codes_issue(user=user)
            self.stdout.write("Recovery codes (each works once): " + " ".join(codes))
