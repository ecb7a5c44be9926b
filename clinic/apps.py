from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from mindscape import devreload, pagecache

        from . import facts
        from .models import Clinic, ClinicClosure, OfficeHours, Page
        from .templatetags import layout

        facts.connect_cache_invalidation()
        pagecache.watch(Clinic, OfficeHours, ClinicClosure, Page)
        devreload.forget_on_change(layout.forget)

    def seed_demo(self, *, reset_passwords: bool):
        """The clinic's office hours and its static pages (manage.py seed_demo)."""
        from mindscape.demo import Seeded

        from . import seed

        seed.seed_clinic()
        pages = seed.seed_pages()
        return Seeded(made=(f"{pages} new pages",))
