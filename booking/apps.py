from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Consultations"

    def ready(self) -> None:
        from . import periodic  # noqa: F401  (registers the periodic jobs)
