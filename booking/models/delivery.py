"""MessageDelivery: one email about a consultation, and what became of it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mindscape.delivery import OutboundMessage


class MessageDelivery(OutboundMessage):
    """One email to send about a consultation, and what became of it.

    The task queue carries only this row's id (its table is plain text); the worker builds
    the message from the database at send time, so a message about a booking that has
    since moved or been cancelled can be dropped instead of sent.  Status, tries and the
    retry rules: ``mindscape.delivery.OutboundMessage``.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation"
        RESCHEDULED = "rescheduled", "Moved"
        CANCELLED = "cancelled", "Cancelled"
        REMINDER_24H = "reminder_24h", "Reminder, 24 hours before"
        REMINDER_2H = "reminder_2h", "Reminder, 2 hours before"
        STAFF_BOOKED = "staff_booked", "Staff alert: booked"
        STAFF_MOVED = "staff_moved", "Staff alert: moved"
        STAFF_CANCELLED = "staff_cancelled", "Staff alert: cancelled"

    REMINDERS = (Kind.REMINDER_24H, Kind.REMINDER_2H)

    consultation = models.ForeignKey(
        "booking.Consultation", on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(help_text="The consultation's time when this was queued.")
    sequence = models.PositiveIntegerField(
        help_text="The consultation's calendar sequence when this was queued."
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "message"
        verbose_name_plural = "messages"
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "kind", "starts_at"],
                condition=Q(kind__in=["reminder_24h", "reminder_2h"]),
                name="one_reminder_per_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for consultation {self.consultation_id}"

    @property
    def to_staff(self) -> bool:
        return self.kind.startswith("staff_")
