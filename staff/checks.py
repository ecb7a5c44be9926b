"""Refuse to run production without the second factor."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def second_factor_required(app_configs=None, **kwargs):
    if settings.DEBUG or settings.STAFF_REQUIRE_2FA:
        return []
    return [
        Error(
            "STAFF_REQUIRE_2FA is off outside development.",
            hint="Staff sign-in must ask for a second factor wherever DEBUG is off.",
            id="staff.E001",
        )
    ]
