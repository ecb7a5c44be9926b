from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Screenings"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the checks)
