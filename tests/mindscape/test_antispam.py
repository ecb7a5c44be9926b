"""mindscape.antispam on its own: the honeypot and fill-time form, client IPs behind proxies,
fixed-window counters in the cache that never hold an address in plain text."""

import io
import re
import threading

import pytest
import time_machine
from django import forms
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from mindscape import antispam
from mindscape.models import RateLimitCount
from tests.builders.mindscape import run_prod

START = 1_800_000_000.0  # a fixed instant (January 2027)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


class ContactForm(antispam.AntiSpamForm):
    name = forms.CharField()


def request(remote="198.51.100.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **meta)


# --- Honeypot --------------------------------------------------------------------------------


def test_the_honeypot_is_out_of_the_tab_order_labelled_and_empty():
    html = str(ContactForm()["website"])
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert 'type="text"' in html and "value=" not in html
    assert ContactForm()["website"].label == "Leave this field empty"


def test_an_empty_honeypot_passes():
    assert ContactForm({"name": "Avery", "website": ""}).is_valid()


def test_a_filled_honeypot_fails_without_saying_why_and_is_not_echoed():
    form = ContactForm({"name": "Avery", "website": "https://spam.example"})
    assert not form.is_valid()
    assert form.non_field_errors() == [antispam.RETRY_MESSAGE]
    assert "honeypot" not in antispam.RETRY_MESSAGE.lower()
    assert "spam.example" not in str(form["website"])
    assert form["name"].value() == "Avery"


# --- Fill time -------------------------------------------------------------------------------


def test_a_token_carries_its_time_and_refuses_tampering(clock):
    token = antispam.started_token()
    assert antispam.started_at(token) == START
    payload, signature = token.rsplit(":", 1)
    assert antispam.started_at(payload + ":" + signature[::-1]) is None
    assert antispam.started_at("1800000000.0") is None
    assert antispam.started_at("") is None and antispam.started_at(None) is None
    assert antispam.started_at(token + "x" * 300) is None


@pytest.mark.parametrize(("waited", "too_fast"), [(0, True), (2.9, True), (3, False), (600, False)])
def test_the_minimum_fill_time(settings, clock, waited, too_fast):
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    token = antispam.started_token()
    clock.shift(waited)
    assert antispam.sent_too_fast(token) is too_fast


def test_a_missing_or_forged_time_counts_as_too_fast(settings, clock):
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    forged = antispam.started_token(START - 3600).replace(":", ":x", 1)
    clock.shift(3600)
    assert antispam.sent_too_fast(None)
    assert antispam.sent_too_fast(forged)


def test_a_minimum_of_zero_turns_the_check_off(settings):
    settings.ANTISPAM_MIN_FILL_SECONDS = 0
    assert not antispam.sent_too_fast(None)
    assert not antispam.sent_too_fast("forged")


def test_the_form_refuses_a_fast_send_and_shows_a_fresh_start(settings, clock):
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    token = str(ContactForm()["form_started"].value())
    clock.shift(1)
    form = ContactForm({"name": "Avery", "form_started": token})
    assert not form.is_valid()
    assert form.non_field_errors() == [antispam.RETRY_MESSAGE]
    fresh = form["form_started"].value()
    assert antispam.started_at(fresh) == START + 1  # renewed when shown again
    clock.shift(3)
    assert ContactForm({"name": "Avery", "form_started": fresh}).is_valid()


# --- Maximum age -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("waited", "refused"), [(3, False), (4 * 3600, False), (4 * 3600 + 1, True)]
)
def test_a_start_older_than_four_hours_is_refused(settings, clock, waited, refused):
    assert settings.ANTISPAM_MAX_FORM_AGE_SECONDS == 4 * 3600
    token = antispam.started_token()
    clock.shift(waited)
    form = ContactForm({"name": "Avery", "form_started": token})
    assert form.is_valid() is not refused
    if refused:
        assert form.non_field_errors() == [antispam.EXPIRED_MESSAGE]
        assert form["name"].value() == "Avery"  # everything typed is kept


def test_after_refusal_for_age_the_form_shown_again_can_be_sent(settings, clock):
    """The refused form gets a fresh start time: sending again succeeds, even with the
    minimum fill time on (a patient is never refused for ever)."""
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    token = antispam.started_token()
    clock.shift(5 * 3600)
    refused = ContactForm({"name": "Avery", "form_started": token})
    assert not refused.is_valid()
    fresh = refused["form_started"].value()
    assert fresh != token and antispam.started_at(fresh) == START + 5 * 3600
    clock.shift(30)  # the patient reads the message and sends again
    assert ContactForm({"name": "Avery", "form_started": fresh}).is_valid()


def test_after_any_refusal_the_form_shown_again_has_a_fresh_start(clock):
    token = antispam.started_token()
    clock.shift(3 * 3600)
    form = ContactForm({"name": "", "form_started": token})  # a field left empty
    assert not form.is_valid()
    assert antispam.started_at(form["form_started"].value()) == START + 3 * 3600


def test_a_maximum_age_of_zero_turns_the_check_off(settings, clock):
    settings.ANTISPAM_MAX_FORM_AGE_SECONDS = 0
    token = antispam.started_token()
    clock.shift(30 * 24 * 3600)
    assert ContactForm({"name": "Avery", "form_started": token}).is_valid()


def test_a_forged_start_is_replaced_so_a_person_is_never_stuck(settings, clock):
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    form = ContactForm({"name": "Avery", "form_started": "forged"})
    assert not form.is_valid()
    fresh = form["form_started"].value()
    assert antispam.started_at(fresh) == START
    clock.shift(5)
    assert ContactForm({"name": "Avery", "form_started": fresh}).is_valid()


# --- Client IP -------------------------------------------------------------------------------


def test_without_trusted_proxies_a_spoofed_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert antispam.client_ip(request(forwarded="203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client wrote 1.2.3.4
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies: the furthest
        (1, "", "198.51.100.7"),
        (1, "not-an-address", "198.51.100.7"),
        (1, "::ffff:203.0.113.9", "203.0.113.9"),
        (1, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ],
)
def test_trusted_proxies_are_counted_from_the_right(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    assert antispam.client_ip(request(forwarded=forwarded)) == expected


def test_emails_are_counted_per_mailbox():
    assert antispam.normalised_email(" Avery.Quinn+clinic@Example.ORG ") == (
        "avery.quinn@example.org"
    )


# --- Rate limits -----------------------------------------------------------------------------


def test_exactly_the_limit_is_allowed_per_ip(settings, clock):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (3, 3600), "email": (0, 0)}
    for n in range(3):
        antispam.check_rate_limits(request(), email=f"person{n}@example.org")
    with pytest.raises(antispam.RateLimited) as limited:
        antispam.check_rate_limits(request(), email="someone.else@example.org")
    assert limited.value.scope == "ip"
    antispam.check_rate_limits(request(remote="198.51.100.8"), email="x@example.org")


def test_exactly_the_limit_is_allowed_per_email(settings, clock):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (0, 0), "email": (2, 600)}
    antispam.check_rate_limits(request(remote="192.0.2.1"), email="avery@example.org")
    antispam.check_rate_limits(request(remote="192.0.2.2"), email="AVERY+2@example.org")
    with pytest.raises(antispam.RateLimited) as limited:
        antispam.check_rate_limits(request(remote="192.0.2.3"), email="avery@example.org")
    assert limited.value.scope == "email"
    antispam.check_rate_limits(request(remote="192.0.2.3"), email="quinn@example.org")


def test_the_window_ends(settings, clock):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (1, 3600), "email": (0, 0)}
    clock.move_to(3600 * 500_000)  # the start of a window
    antispam.check_rate_limits(request(), email="a@example.org")
    clock.shift(3599)
    with pytest.raises(antispam.RateLimited):
        antispam.check_rate_limits(request(), email="a@example.org")
    clock.shift(1)
    antispam.check_rate_limits(request(), email="a@example.org")


def test_cache_keys_hold_no_address_in_plain_text(settings, clock):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (5, 3600), "email": (5, 3600)}
    antispam.check_rate_limits(request(remote="203.0.113.77"), email="avery.quinn@example.org")
    keys = [key for key in cache._cache if "antispam" in key]  # LocMemCache in tests
    assert len(keys) == 2
    for key in keys:
        assert "203.0.113" not in key and "avery" not in key and "example" not in key
        assert re.search(r":[0-9a-f]{64}$", key)


@pytest.fixture
def database_cache(settings):
    """The cache used when no Redis is configured: a table."""
    settings.CACHES = {
        "default": {
            "BACKEND": "mindscape.dbcache.DatabaseCache",
            "LOCATION": "antispam_test_cache",
        }
    }
    call_command("createcachetable", verbosity=0)


@pytest.mark.django_db
def test_without_redis_the_counters_are_rows_of_their_own_table(settings, clock, database_cache):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (2, 3600), "email": (0, 0)}
    for _ in range(2):
        antispam.check_rate_limits(request(), email="a@example.org")
    with pytest.raises(antispam.RateLimited):
        antispam.check_rate_limits(request(), email="a@example.org")
    (counter,) = RateLimitCount.objects.all()
    assert counter.count == 3
    assert "198.51.100" not in counter.key and re.search(r":[0-9a-f]{64}$", counter.key)
    assert counter.expires_at.timestamp() == (START // 3600 + 1) * 3600 + 1


@pytest.mark.django_db(transaction=True)
def test_the_table_counts_parallel_submissions_exactly(settings, database_cache):
    """Twenty requests at once on their own connections: twenty counts, none lost (the
    database cache's incr, a read then a write, loses some)."""
    settings.ANTISPAM_RATE_LIMITS = {"ip": (100, 3600), "email": (0, 0)}
    barrier = threading.Barrier(20)
    errors = []

    def submit():
        try:
            barrier.wait(timeout=30)
            antispam.check_rate_limits(request(), email="a@example.org")
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert RateLimitCount.objects.get().count == 20


@pytest.mark.django_db
def test_once_per_period_holds_in_the_table_without_redis(clock, database_cache):
    """The resume email's "at most one per draft per 10 minutes" without Redis (and while
    it is away): one row per draft, refused while it lives, allowed again once it ended."""
    assert antispam.first_in("resume", "draft-1", 600) is True
    assert antispam.first_in("resume", "draft-1", 600) is False
    assert antispam.first_in("resume", "draft-2", 600) is True
    clock.shift(599)
    assert antispam.first_in("resume", "draft-1", 600) is False
    clock.shift(2)
    assert antispam.first_in("resume", "draft-1", 600) is True
    assert antispam.first_in("resume", "draft-1", 600) is False
    assert all("draft" not in row.key for row in RateLimitCount.objects.all())


@pytest.mark.django_db
def test_run_periodic_deletes_the_counters_whose_window_has_ended(settings, clock, database_cache):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (5, 600), "email": (5, 3600)}
    antispam.check_rate_limits(request(), email="a@example.org")
    clock.shift(3600)  # the ip window (10 minutes) has ended, the email one just too
    antispam.check_rate_limits(request(), email="a@example.org")
    assert RateLimitCount.objects.count() == 4
    clock.shift(2)
    call_command("run_periodic", stdout=io.StringIO())
    assert RateLimitCount.objects.count() == 2  # this window's two remain


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        (None, "mindscape.dbcache.DatabaseCache mindscape_cache"),
        (
            "redis://cache.internal:6379/0",
            "mindscape.rediscache.RedisCache redis://cache.internal:6379/0",
        ),
    ],
)
def test_the_shared_cache_is_redis_when_configured_else_the_database(redis_url, backend):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    )
    result = run_prod(code, REDIS_URL=redis_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


@pytest.mark.parametrize(("value", "expected"), [(None, 0.5), ("0.2", 0.2)])
def test_every_redis_call_has_a_short_timeout(value, expected):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(*(sorted(c['OPTIONS'].items()) for c in settings.CACHES.values()))"
    )
    result = run_prod(code, REDIS_URL="redis://cache.internal:6379/0", REDIS_TIMEOUT_SECONDS=value)
    assert result.returncode == 0, result.stderr
    options = f"[('socket_connect_timeout', {expected}), ('socket_timeout', {expected})]"
    assert result.stdout.strip() == f"{options} {options}"


def test_the_message_is_polite_specific_and_gives_the_phone():
    ip = antispam.RateLimited("ip", 3600).message(phone="(555) 010-0199")
    assert ip == (
        "We've had several requests from this connection in a short time. "
        "Please try again in an hour, or call us on (555) 010-0199."
    )
    email = antispam.RateLimited("email", 600).message()
    assert "for this email address" in email and "in 10 minutes." in email
