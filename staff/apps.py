from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StaffConfig(AppConfig):
    """Staff sign-in: two factors, lockout, idle timeout, and their audit entries."""

    name = "staff"
    verbose_name = "Staff sign-in"
    default = True

    def ready(self) -> None:
        from . import checks, role_audit, signals  # noqa: F401  (registers the checks)

        signals.connect()
        role_audit.connect()

    def seed_demo(self, *, reset_passwords: bool):
        """An authenticator key for each demo login that has none (manage.py seed_demo)."""
        from mindscape.demo import Seeded
        from mindscape.seed import DEMO_USERS

        from .seed import seed_devices

        return Seeded(keys=tuple(seed_devices([name for name, _ in DEMO_USERS])))


class StaffAdminConfig(admin_apps.AdminConfig):
    """The admin, on our own site class (``admin.site`` everywhere is a StaffAdminSite)."""

    default = False
    default_site = "staff.site.StaffAdminSite"
