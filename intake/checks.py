"""System checks: somebody hears of an urgent screening, and the triage timings make sense.

* ``manage.py check --deploy`` with DEBUG off: the alert lists are set and every address is
  a mailbox that can exist (not a reserved test domain such as the ``.example`` defaults),
  and SITE_URL, the link in every alert, is an https address that is not this machine.
* Always: ``INTAKE_ESCALATION_MINUTES`` is two ascending positive numbers of minutes, and a
  form left after a risk answer alerts after a positive number of minutes, sooner than its
  resume link expires (after that it is never alerted: ``escalation.alert_abandoned_drafts``).
"""

from __future__ import annotations

import ipaddress
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# RFC 2606 / 6761: names that never deliver mail or serve a site.
RESERVED_TOP_LEVEL = {"example", "invalid", "test", "localhost"}
RESERVED_DOMAINS = {"example.com", "example.net", "example.org"}
ALERT_LISTS = ("INTAKE_ALERT_EMAILS", "INTAKE_ESCALATION_EMAILS")


def _reserved(host: str) -> bool:
    labels = host.lower().rstrip(".").split(".")
    return labels[-1] in RESERVED_TOP_LEVEL or ".".join(labels[-2:]) in RESERVED_DOMAINS


def _this_machine(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.lower().rstrip(".") == "localhost"
    return address.is_loopback or address.is_unspecified


def _deliverable(address: str) -> bool:
    _, mailbox = parseaddr(address)
    local, at, domain = mailbox.rpartition("@")
    return bool(local and at and "." in domain) and not _reserved(domain)


@checks.register("intake", deploy=True)
def alerts_reach_someone(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    problems = []
    for name in ALERT_LISTS:
        addresses = list(getattr(settings, name, []) or [])
        if not addresses or not all(_deliverable(a) for a in addresses):
            problems.append(
                checks.Error(
                    f"{name} is empty or has an address that cannot receive mail.",
                    hint="Urgent screenings alert these addresses: set real clinical "
                    "mailboxes (the .example defaults, .invalid, .test and localhost "
                    "deliver nowhere).",
                    id="intake.E001",
                )
            )
    url = urlsplit(settings.SITE_URL)
    host = url.hostname or ""
    if not host or _this_machine(host) or _reserved(host):
        problems.append(
            checks.Error(
                "SITE_URL is not the site's public address.",
                hint="Alerts link to the screening in the admin at SITE_URL: set the address "
                "staff open the site at, e.g. https://www.mindscape-clinic.com.",
                id="intake.E002",
            )
        )
    elif url.scheme != "https":
        problems.append(
            checks.Warning(
                "SITE_URL does not start with https://.",
                hint="Links in alerts and patients' emails should not go over plain HTTP.",
                id="intake.W001",
            )
        )
    return problems


def _whole_minutes(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@checks.register("intake")
def triage_timings(app_configs=None, **kwargs):
    from .models import StaffAlert

    problems = []
    thresholds = settings.INTAKE_ESCALATION_MINUTES
    wanted = len(StaffAlert.ESCALATIONS)
    if not (
        isinstance(thresholds, list | tuple)
        and len(thresholds) == wanted
        and all(_whole_minutes(t) for t in thresholds)
        and list(thresholds) == sorted(set(thresholds))
    ):
        problems.append(
            checks.Error(
                f"INTAKE_ESCALATION_MINUTES must be {wanted} whole numbers of minutes, "
                "above zero, the first smaller than the second.",
                hint="For example INTAKE_ESCALATION_MINUTES=60,180 (the default).",
                id="intake.E003",
            )
        )
    minutes = settings.INTAKE_ABANDONED_RISK_MINUTES
    hours = settings.INTAKE_RESUME_HOURS
    if not (_whole_minutes(minutes) and _whole_minutes(hours) and minutes < hours * 60):
        problems.append(
            checks.Error(
                "INTAKE_ABANDONED_RISK_MINUTES must be a whole number of minutes above zero "
                "and shorter than INTAKE_RESUME_HOURS.",
                hint="A form left after a risk answer is alerted after this many minutes, "
                "and only while its resume link works (INTAKE_RESUME_HOURS).",
                id="intake.E004",
            )
        )
    return problems
