"""Audit entries for sign-in, sign-out and failed sign-in (Django's signals; axes marks a
failure that locked out), and the idle-timeout clocks started at every sign-in.

A failed sign-in never stores what was typed: the account it named is linked only when
it exists (``account: known``), otherwise the entry says ``unknown_user``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from audit import log as audit

from .middleware import stamp_sign_in

SIGNED_IN_AUDIT = "staff.signed_in"


def _account(username):
    if not isinstance(username, str) or not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def on_signed_in_stamp(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        stamp_sign_in(request)


def on_signed_in(sender, request, user, **kwargs):
    audit.record(user, "signed_in")


def on_signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "signout_reason", None) or "signed_out"
    audit.record(user, "signed_out", detail={"reason": reason})


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    if kwargs.get("second_factor"):
        return  # staff.twofactor already wrote "second_factor_failed"
    account = _account((credentials or {}).get("username"))
    detail = {"account": "known" if account else "unknown_user"}
    # Set by axes when this failure locked the account or address, or came while locked.
    detail["locked_out"] = bool(getattr(request, "axes_locked_out", False))
    audit.record(None, "sign_in_failed", account, detail)


def connect() -> None:
    user_logged_in.connect(on_signed_in_stamp, dispatch_uid="staff.signed_in_stamp")
    user_logged_in.connect(on_signed_in, dispatch_uid=SIGNED_IN_AUDIT)
    user_logged_out.connect(on_signed_out, dispatch_uid="staff.signed_out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="staff.sign_in_failed")
