"""How tests sign staff in with both factors (the one place that knows).

* ``verified_login(client, user)``: sign a test client in past the second factor, as a
  real sign-in with a code would (``staff_client(role)`` uses it).  Every test that needs
  a staff session in the admin signs in this way, not with ``client.force_login``.
* ``force_login_unverified(client, user)``: the password-only state, for tests of the gate
  itself (and for users with no second factor, who are not staff).
* ``give_device(user)``: a confirmed TOTP device (the authenticator app), made once.
* ``code_for(device, steps=0)``: the code the app shows now (``steps=1``: the next one,
  which the server also accepts; use it when this step's code was already used).
* ``verify_session(client, user)``: mark a test client's signed-in session as past the
  second factor, exactly as django-otp does (the device's id in the session).

A test sign-in is a shortcut, not an event: it writes no "signed_in" audit entry (tests of
that entry sign in through the real pages).
"""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.signals import SIGNED_IN_AUDIT, on_signed_in


def give_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def code_for(device: TOTPDevice, steps: int = 0) -> str:
    device.refresh_from_db()
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + steps * device.step
    return str(generator.token()).zfill(device.digits)


def verify_session(client: Client, user) -> None:
    device = give_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _force_login_unaudited(client: Client, user, backend=None) -> None:
    user_logged_in.disconnect(dispatch_uid=SIGNED_IN_AUDIT)
    try:
        client.force_login(user, backend)
    finally:
        user_logged_in.connect(on_signed_in, dispatch_uid=SIGNED_IN_AUDIT)


def verified_login(client: Client, user) -> None:
    _force_login_unaudited(client, user)
    verify_session(client, user)


def force_login_unverified(client: Client, user) -> None:
    _force_login_unaudited(client, user)
