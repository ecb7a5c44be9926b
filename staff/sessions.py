"""A signed-in staff session made without a browser, for tools that drive the site from
outside: the benchmark (``scripts/bench.py``) and the multi-server test.

Outside the sign-in pages, only this module knows what a fully signed-in staff session
holds: the user, the second factor passed, and the idle-timeout clocks.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def signed_in_session(user) -> str:
    """Create a session signed in as ``user`` (as the admin login would) and return its key,
    the value of the ``settings.SESSION_COOKIE_NAME`` cookie."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    _passed_second_factor(session, user)
    session.save()
    return session.session_key


def _passed_second_factor(session, user) -> None:
    """What the sign-in pages leave in a session: the second factor passed with the user's
    authenticator (one is set up if they have none) and the idle-timeout clocks started."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .middleware import LAST_SEEN_KEY, SIGNED_IN_KEY
    from .twofactor import APP_DEVICE_NAME, app_device

    device = app_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = int(time.time())
    session[SIGNED_IN_KEY] = now
    session[LAST_SEEN_KEY] = now
