from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Screenings"

    def ready(self) -> None:
        from . import checks, periodic  # noqa: F401  (registers the checks, the periodic jobs)

    def seed_demo(self, *, reset_passwords: bool):
        """Demo screenings (manage.py seed_demo)."""
        from mindscape.demo import Seeded

        from .seed import seed_screenings

        return Seeded(made=(f"{seed_screenings()} new demo screenings",))
