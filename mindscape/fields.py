"""Model fields shared by the apps."""

from django.db import models


class HttpsURLField(models.URLField):
    """A URL field whose forms assume https:// when staff type a bare domain.

    (Django 6 makes this the default; Django 5.2 warns when it is not chosen.)
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
