"""The second factor: an authenticator app (TOTP) and ten single-use recovery codes.

Services for the sign-in views and the admin: enrolment, verification, recovery codes and
an Administrator's reset.  Secrets never leave this module except to the enrolment page
(the QR code and the same secret as text, once, before the device is confirmed).
"""

from __future__ import annotations

import re
import time
from base64 import b32encode
from typing import NamedTuple

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import log as audit

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# Set when the password was accepted for an account without a device: only such a fresh
# sign-in may enrol one (a session whose device was reset is signed out instead).
ENROL_SESSION_KEY = "staff_may_enrol"
# The new recovery codes, shown once on the next page and then forgotten.
NEW_CODES_SESSION_KEY = "staff_new_recovery_codes"

_SIX_DIGITS = re.compile(r"^\d{6}$")


def required() -> bool:
    """Whether staff must pass the second factor.  STAFF_REQUIRE_2FA may relax it only
    where DEBUG is on: the staff.E001 check runs under manage.py, not gunicorn, so this is
    the guard that holds wherever the site is served."""
    return bool(settings.STAFF_REQUIRE_2FA) or not settings.DEBUG


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (made on the first visit, kept across reloads)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code, with an accessible name."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title="QR code for your authenticator app"
    )
    return svg.replace("<svg ", '<svg role="img" class="qr-code" ', 1)


def current_code(device: TOTPDevice) -> tuple[str, int]:
    """The code the app shows now, and for how many more seconds (demo_otp)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    left = device.step - int(generator.time - device.t0) % device.step
    return str(generator.token()).zfill(device.digits), left


def normalised_code(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").lower()


def looks_like_app_code(value: str) -> bool:
    return bool(_SIX_DIGITS.match(normalised_code(value)))


def _signed_in_with(request, device, method: str) -> None:
    """Mark the session as past the second factor, with a new session key."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(ENROL_SESSION_KEY, None)
    audit.record(request.user, "second_factor_passed", detail={"method": method})


def enrolment_confirm(*, request, device: TOTPDevice, code: str) -> bool:
    """Confirm the pending device with a code it produced; issue recovery codes."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed or not device.verify_token(normalised_code(code)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Any other half-made device of this person goes.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = recovery_codes_issue(user=user)
        audit.record(user, "two_factor_enrolled")
    request.session[NEW_CODES_SESSION_KEY] = codes
    _signed_in_with(request, device, "authenticator")
    return True


def recovery_codes_issue(*, user) -> list[str]:
    """Replace the person's recovery codes with ten new ones; return them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit.record(user, "recovery_codes_issued", detail={"count": len(codes)})
    return codes


class Verdict(NamedTuple):
    accepted: bool
    wait: int = 0  # seconds before another code is looked at (django-otp's throttle)
    reused: bool = False  # the app's code that was just accepted, typed again


def code_verify(*, request, code: str, recovery: bool) -> Verdict:
    """Check a code from the app (or a recovery code, used up on success).

    A throttled device refuses every code for a while (django-otp doubles the wait after
    each wrong code).  The code accepted moments ago (signing out and straight back in
    within its 30 seconds) is refused as ``reused``: not a wrong code, so neither the
    throttle nor the lockout counts it.
    """
    user = request.user
    model = StaticDevice if recovery else TOTPDevice
    method = "recovery_code" if recovery else "authenticator"
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return Verdict(False)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return Verdict(False, _seconds_to_wait(device, info))
        if not recovery and _just_used(device, normalised_code(code)):
            return Verdict(False, reused=True)
        accepted = device.verify_token(normalised_code(code))
    if accepted:
        _signed_in_with(request, device, method)
        return Verdict(True)
    audit.record(user, "second_factor_failed", detail={"method": method})
    return Verdict(False)


def _just_used(device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` is the one last accepted, and that was within the codes the
    device would still accept now (so at most a minute or so ago)."""
    if device.last_t < 0 or not _SIX_DIGITS.match(code):
        return False
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    if generator.t() - device.last_t > device.tolerance:
        return False
    generator.time = device.t0 + (device.last_t - device.drift) * device.step
    return generator.t() == device.last_t and generator.token() == int(code)


def _seconds_to_wait(device, info) -> int:
    from django.utils import timezone

    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def two_factor_reset(*, user, by) -> None:
    """Remove a person's app and recovery codes: they set up a new app at next sign-in.

    Their open sessions stop working at once (the device that verified them is gone, and
    only a fresh password sign-in may enrol).
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record(by, "two_factor_reset", user)


def remaining_recovery_codes(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0
