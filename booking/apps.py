from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Consultations"

    def ready(self) -> None:
        from mindscape import devreload

        from . import (
            periodic,  # noqa: F401  (registers the periodic jobs)
            slots,
            views,
        )

        devreload.forget_on_change(views.forget_details)
        devreload.forget_on_change(slots.forget_days)

    def seed_demo(self, *, reset_passwords: bool):
        """Demo locations and consultation types (manage.py seed_demo)."""
        from mindscape.demo import Seeded

        from .seed import seed_booking

        return Seeded(made=(f"{seed_booking()} new consultation locations",))
