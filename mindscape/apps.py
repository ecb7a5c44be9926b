from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MindscapeConfig(AppConfig):
    name = "mindscape"
    verbose_name = "Site"

    def ready(self) -> None:
        from . import (
            devreload,
            jobs,  # noqa: F401  (registers the project package's periodic jobs)
            pagecache,
            roles,
        )

        devreload.forget_on_change(pagecache.forget_all)

        # Groups are (re)built after every migrate and every test-database flush.
        post_migrate.connect(roles.sync_groups, dispatch_uid="mindscape.sync_groups")

    def seed_demo(self, *, reset_passwords: bool):
        """One demo login per staff role (manage.py seed_demo)."""
        from . import seed
        from .demo import Seeded

        logins = seed.seed_users(reset_passwords=reset_passwords)
        return Seeded(logins=tuple(logins))
