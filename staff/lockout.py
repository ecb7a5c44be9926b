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

from audit import log as audit

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


def lock_states(usernames) -> dict[str, str]:
    """Which lock holds each account now: "device" (5 from one address), "address" (20
    from an address it used, across accounts), "account" (50 from anywhere); absent when
    none.  Two queries, however many accounts."""
    from datetime import timedelta

    from django.utils import timezone

    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    limit = limits()
    rows = AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
    per_pair: dict[str, dict[str, int]] = {}
    for username, address, failures in rows.values_list(
        "username", "ip_address", "failures_since_start"
    ):
        pairs = per_pair.setdefault(username, {})
        pairs[address] = pairs.get(address, 0) + failures
    addresses = {address for pairs in per_pair.values() for address in pairs}
    per_address = dict(
        AccessAttempt.objects.filter(ip_address__in=list(addresses), attempt_time__gte=since)
        .values("ip_address")
        .annotate(total=Sum("failures_since_start"))
        .values_list("ip_address", "total")
        .order_by()
    )
    states = {}
    for username, pairs in per_pair.items():
        if sum(pairs.values()) >= limit["account"]:
            states[username] = "account"
        elif any(failures >= limit["device"] for failures in pairs.values()):
            states[username] = "device"
        elif any(per_address.get(address, 0) >= limit["address"] for address in pairs):
            states[username] = "address"
    return states
