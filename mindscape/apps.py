from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MindscapeConfig(AppConfig):
    name = "mindscape"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from . import (
            clinic,
            jobs,  # noqa: F401  (registers the project package's periodic jobs)
            pagecache,
            roles,
        )
        from .models import Clinic, ClinicClosure, OfficeHours, Page

        # Groups are (re)built after every migrate and every test-database flush.
        post_migrate.connect(roles.sync_groups, dispatch_uid="mindscape.sync_groups")
        clinic.connect_cache_invalidation()
        pagecache.watch(Clinic, OfficeHours, ClinicClosure, Page)

    def seed_demo(self, *, reset_passwords: bool):
        """The clinic, its pages and one demo login per staff role (manage.py seed_demo)."""
        from . import seed
        from .demo import Seeded

        seed.seed_clinic()
        pages = seed.seed_pages()
        logins = seed.seed_users(reset_passwords=reset_passwords)
        return Seeded(made=(f"{pages} new pages",), logins=tuple(logins))
