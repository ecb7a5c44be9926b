"""Lockout after repeated failed sign-ins (django-axes): per device, per address, per account.

Axes counts failures for each lockout parameter (``AXES_LOCKOUT_PARAMETERS``: the pair
account + address, the address alone, the account alone) and compares the largest count
with one limit.  Each gets its own limit here, scaled to the pair's before the comparison:

* the pair (account, address), STAFF_LOCKOUT_ATTEMPTS (5): someone guessing one account
  from one place is stopped quickly, and nobody else is;
* the address, STAFF_LOCKOUT_ADDRESS_ATTEMPTS (20): a whole office may share one;
* the account, STAFF_LOCKOUT_ACCOUNT_ATTEMPTS (50) from any addresses within the lockout
  window: a distributed guess at one account.  Five wrong passwords from anywhere used to
  lock a named clinician out; now that takes fifty.

Every lock that begins is audited (``sign_in_locked``, with which limit was reached).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum

from mindscape import audit

# The order of AXES_LOCKOUT_PARAMETERS (settings), and the audit code of each lock.
SCOPES = ("device", "address", "account")


def limits() -> dict[str, int]:
    return {
        "device": max(settings.STAFF_LOCKOUT_ATTEMPTS, 1),
        "address": max(settings.STAFF_LOCKOUT_ADDRESS_ATTEMPTS, 1),
        "account": max(settings.STAFF_LOCKOUT_ACCOUNT_ATTEMPTS, 1),
    }


class LockoutHandler(AxesDatabaseHandler):
    def failures_by_scope(self, request, credentials=None) -> dict[str, int]:
        """Failures within the lockout window, for each of SCOPES."""
        return {
            scope: attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for scope, attempts in zip(
                SCOPES, self.get_user_attempts(request, credentials), strict=True
            )
        }

    def locked_scope(self, request, credentials=None) -> str | None:
        """The first of SCOPES whose limit is reached, or None."""
        failures, limit = self.failures_by_scope(request, credentials), limits()
        return next((scope for scope in SCOPES if failures[scope] >= limit[scope]), None)

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this with AXES_FAILURE_LIMIT (the pair's limit): each count is
        # scaled to it, so each reaches it exactly when it reaches its own limit.
        failures, limit = self.failures_by_scope(request, credentials), limits()
        return max(failures[scope] * limit["device"] // limit[scope] for scope in SCOPES)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        was_locked = request is not None and self.locked_scope(request, credentials) is not None
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or was_locked or not getattr(request, "axes_locked_out", False):
            return
        scope = self.locked_scope(request, credentials)
        account = _account_for((credentials or {}).get("username"))
        audit.record(
            None,
            "sign_in_locked",
            account,
            {"scope": scope or "unknown", "account": "known" if account else "unknown_user"},
        )


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What axes writes in the log about a client: nothing that identifies anyone (the
    address and the typed username stay in axes' table, for the lockout itself)."""
    return "a staff sign-in"


def _account_for(username: str | None):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def attempts_unlock(*, attempts, by) -> int:
    """Clear the selected failed-sign-in records (an Administrator's unlock), audited per
    account (or as an address when no account matches)."""
    count = 0
    for attempt in attempts:
        account = _account_for(attempt.username)
        audit.record(
            by,
            "sign_in_unlocked",
            account,
            {
                "account": "known" if account else "unknown_user",
                "failures": attempt.failures_since_start,
            },
        )
        count += 1
    AccessAttempt.objects.filter(pk__in=[a.pk for a in attempts]).delete()
    return count


def account_unlock(*, user, by) -> int:
    """Clear the failed sign-ins counted against one account."""
    attempts = list(AccessAttempt.objects.filter(username=user.get_username()))
    AccessAttempt.objects.filter(pk__in=[a.pk for a in attempts]).delete()
    audit.record(by, "sign_in_unlocked", user, {"account": "known", "records": len(attempts)})
    return len(attempts)


def success_clear(*, request, user) -> int:
    """A full sign-in (password and second factor): that account's failures from that
    address stop counting (others' failures, and its own from elsewhere, still do)."""
    from axes.helpers import get_client_ip_address

    address = get_client_ip_address(request)
    deleted, _ = AccessAttempt.objects.filter(
        username=user.get_username(), ip_address=address
    ).delete()
    return deleted


def lock_state(user) -> str:
    """ "" when the account can sign in; else which lock holds it now ("device": from
    one or more addresses; "account": from everywhere)."""
    from datetime import timedelta

    from django.utils import timezone

    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    limit = limits()
    attempts = AccessAttempt.objects.filter(username=user.get_username(), attempt_time__gte=since)
    by_address: dict[str, int] = {}
    for address, failures in attempts.values_list("ip_address", "failures_since_start"):
        by_address[address] = by_address.get(address, 0) + failures
    if sum(by_address.values()) >= limit["account"]:
        return "account"
    if any(failures >= limit["device"] for failures in by_address.values()):
        return "device"
    addresses = (
        AccessAttempt.objects.filter(ip_address__in=list(by_address), attempt_time__gte=since)
        .values("ip_address")
        .annotate(total=Sum("failures_since_start"))
    )
    if any(row["total"] >= limit["address"] for row in addresses):
        return "address"
    return ""
