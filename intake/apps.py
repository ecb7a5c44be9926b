from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Screenings"

    def ready(self) -> None:
        from . import checks, periodic  # noqa: F401  (registers the checks, the periodic jobs)
