"""Lockout after repeated failed sign-ins (django-axes), per account and per address.

Axes counts failures for each lockout parameter (username, then client address) and
compares the largest with one limit.  A whole office may share one address, so the address
gets its own, higher limit (STAFF_LOCKOUT_ADDRESS_ATTEMPTS): its count is scaled to the
account limit before the comparison.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum

from mindscape import audit


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = settings.STAFF_LOCKOUT_ATTEMPTS
        address_limit = max(settings.STAFF_LOCKOUT_ADDRESS_ATTEMPTS, 1)
        return max(by_account, by_address * account_limit // address_limit)


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
