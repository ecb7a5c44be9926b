from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from mindscape import pagecache

        from . import facts
        from .models import Clinic, ClinicClosure, OfficeHours, Page

        facts.connect_cache_invalidation()
        pagecache.watch(Clinic, OfficeHours, ClinicClosure, Page)
