"""Two doors every staff request passes: the idle timeout and the second-factor gate.

Both keep their state in the session only (a last-activity stamp, the verified device's
id), so they work the same with sessions in the database or in Redis.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from . import twofactor

LAST_SEEN_KEY = "staff_last_seen"
SIGNED_IN_KEY = "staff_signed_in_at"


STAMP_EVERY_SECONDS = 30


def stamp_sign_in(request) -> None:
    """Called on every sign-in (``user_logged_in``): the clocks start now."""
    now = int(time.time())
    request.session[SIGNED_IN_KEY] = now
    request.session[LAST_SEEN_KEY] = now


def idle_timeout(get_response):
    """Sign out a session idle for STAFF_IDLE_TIMEOUT_SECONDS, or older than
    STAFF_SESSION_MAX_SECONDS; the sign-in page then says why."""

    def middleware(request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            signed_in = request.session.get(SIGNED_IN_KEY)
            # A session without stamps was not made by our sign-in: treat it as expired.
            unstamped = last_seen is None or signed_in is None
            if unstamped or now - last_seen > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                reason = "idle_timeout"
            elif now - signed_in > settings.STAFF_SESSION_MAX_SECONDS:
                reason = "session_limit"
            else:
                reason = None
            if reason:
                request.signout_reason = reason
                logout(request)
                minutes = round(settings.STAFF_IDLE_TIMEOUT_SECONDS / 60)
                messages.warning(
                    request,
                    f"You were signed out after {minutes} minutes without activity. "
                    "Sign in again to continue."
                    if reason == "idle_timeout"
                    else "You were signed out because your session reached its time limit. "
                    "Sign in again to continue.",
                )
            elif now - last_seen >= STAMP_EVERY_SECONDS:
                # Not on every request: a session write per click per second is needless
                # load, and the timeout need not be exact to the second.
                request.session[LAST_SEEN_KEY] = now
        return get_response(request)

    return middleware


def _open_paths() -> set[str]:
    """The pages a signed-in but unverified person may use."""
    return {
        reverse(name)
        for name in (
            "admin:login",
            "admin:logout",
            "admin:staff_verify",
            "admin:staff_verify_recovery",
            "admin:staff_enrol",
        )
    }


def two_factor_gate(get_response):
    """A session that has passed the password but not the second factor is signed in for
    the second-factor pages only: admin pages send it there, every other page treats it
    as anonymous (so staff-only previews and the like need the second factor too)."""

    def middleware(request):
        user = request.user
        if (
            user.is_authenticated
            and not twofactor.is_verified(user)
            and (twofactor.required() or twofactor.has_device(user))
            and request.path_info not in _open_paths()
        ):
            if request.path_info.startswith(reverse("admin:index")):
                from .views import next_step

                return next_step(request, request.get_full_path())
            request.user = AnonymousUser()
        return get_response(request)

    return middleware
