"""Model fields and validators shared by the apps."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models


class HttpsURLField(models.URLField):
    """A URL field whose forms assume https:// when staff type a bare domain.

    (Django 6 makes this the default; Django 5.2 warns when it is not chosen.)
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


def validate_time_zone(value: str) -> None:
    """A zone name the server knows, such as America/New_York (the clinic's, a location's)."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "Enter a time zone name such as America/New_York.", code="invalid_time_zone"
        )
