"""Demo second factors: each demo login gets an authenticator-app secret (printed once by
``seed_demo``); ``manage.py demo_otp <username>`` prints its current code."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor


def seed_devices(usernames: list[str]) -> list[tuple[str, str]]:
    """Give each named account without an app a confirmed one; return (username, secret)
    for the new ones."""
    made = []
    for user in get_user_model().objects.filter(username__in=usernames).order_by("pk"):
        if twofactor.has_device(user):
            continue
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name=twofactor.APP_DEVICE_NAME, confirmed=True
        )
        twofactor.recovery_codes_issue(user=user)
        made.append((user.get_username(), twofactor.secret_text(device).replace(" ", "")))
    return made
