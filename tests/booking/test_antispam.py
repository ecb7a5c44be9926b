"""Spam defences on the patient forms: honeypot, minimum fill time, rate limits per IP and
per email (behind trusted proxies or not), and a blocked attempt that keeps what was typed."""

import re

import pytest
from django.urls import reverse

from booking.models import CallbackRequest, Consultation
from mindscape.antispam import RETRY_MESSAGE
from tests.booking.conftest import at
from tests.builders.booking import book_url, form_data

pytestmark = [pytest.mark.django_db]
CALLBACK = reverse("booking:callback")
IP_MESSAGE = "We&#x27;ve had several requests from this connection in a short time."
EMAIL_MESSAGE = "We&#x27;ve had several requests for this email address in a short time."


def started(html: str) -> str:
    return re.search(r'name="form_started" value="([^"]+)"', html).group(1)


def callback_data(n: int = 0, **overrides):
    return form_data(at(2, 10), **{"email": f"person{n}@example.org", **overrides})


# --- Honeypot --------------------------------------------------------------------------------


def test_the_trap_is_on_both_forms_hidden_labelled_and_out_of_the_tab_order(
    client, location, phone_call
):
    for url in (book_url(location, phone_call), CALLBACK):
        html = client.get(url).content.decode()
        trap = re.search(r'<div class="form-extra" aria-hidden="true">.*?</div>', html, re.S)
        assert trap, url
        assert 'for="id_website">Leave this field empty</label>' in trap.group()
        assert 'name="website"' in trap.group() and 'tabindex="-1"' in trap.group()
        assert 'autocomplete="off"' in trap.group()
        assert 'name="form_started"' in html


@pytest.mark.usefixtures("frozen")
def test_a_filled_honeypot_asks_to_send_again_without_an_error(client, location, phone_call):
    data = form_data(at(2, 10), website="https://cheap-pills.example", message="Hello there")
    response = client.post(book_url(location, phone_call), data)
    html = response.content.decode()
    assert response.status_code == 200
    # Nothing typed is wrong: no error summary, a notice that asks to check and send again.
    assert "Please check your details and send the form again" in html
    assert 'id="send-again"' in html
    assert "There is a problem" not in html and 'id="error-summary"' not in html
    assert RETRY_MESSAGE.replace("'", "&#x27;") in html
    assert "is-invalid" not in html
    assert "cheap-pills" not in html  # not echoed, so a person can simply send again
    for kept in ("Avery", "Quinn", "avery.quinn@example.org", "Hello there"):
        assert kept in html
    assert not Consultation.objects.exists()
    response = client.post(CALLBACK, {**data, "website": "x"})
    assert response.status_code == 200 and not CallbackRequest.objects.exists()


# --- Fill time -------------------------------------------------------------------------------


def test_a_fast_send_is_refused_and_a_patient_one_accepted(
    client, settings, frozen, location, phone_call
):
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    url = book_url(location, phone_call)
    token = started(client.get(url).content.decode())
    frozen.shift(1)
    fast = client.post(url, form_data(at(2, 10), form_started=token))
    assert fast.status_code == 200
    assert RETRY_MESSAGE.replace("'", "&#x27;") in fast.content.decode()
    renewed = started(fast.content.decode())
    assert renewed != token  # shown again with a fresh start time
    assert not Consultation.objects.exists()
    frozen.shift(3)
    assert client.post(url, form_data(at(2, 10), form_started=renewed)).status_code == 302
    assert Consultation.objects.count() == 1


def test_a_form_older_than_four_hours_keeps_everything_and_can_be_sent_again(
    client, settings, frozen, location, phone_call
):
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    url = book_url(location, phone_call)
    token = started(client.get(url).content.decode())
    frozen.shift(4 * 3600 + 1)
    data = form_data(at(2, 10), form_started=token, message="Hello there")
    refused = client.post(url, data)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "This page was open for a long time" in html
    for kept in ("Avery", "Quinn", "avery.quinn@example.org", "Hello there"):
        assert kept in html
    assert not Consultation.objects.exists()
    frozen.shift(20)
    again = client.post(url, {**data, "form_started": started(html)})
    assert again.status_code == 302
    assert Consultation.objects.count() == 1


@pytest.mark.parametrize("token", ["", "1700000000.0", "tampered"])
def test_a_missing_or_tampered_start_is_refused(client, settings, frozen, location, token):
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    real = started(client.get(CALLBACK).content.decode())
    frozen.shift(60)
    forged = {"": "", "1700000000.0": "1700000000.0", "tampered": real[:-1] + "x"}[token]
    data = callback_data()
    if forged:
        data["form_started"] = forged
    response = client.post(CALLBACK, data)
    assert response.status_code == 200
    assert RETRY_MESSAGE.replace("'", "&#x27;") in response.content.decode()
    assert not CallbackRequest.objects.exists()


# --- Rate limits -----------------------------------------------------------------------------


@pytest.mark.usefixtures("frozen")
def test_per_ip_exactly_the_limit_is_allowed(client, settings, location):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (3, 3600), "email": (0, 0)}
    for n in range(3):
        assert client.post(CALLBACK, callback_data(n)).status_code == 302
    refused = client.post(CALLBACK, callback_data(3))
    assert refused.status_code == 429
    assert IP_MESSAGE in refused.content.decode()
    assert CallbackRequest.objects.count() == 3
    other = client.post(CALLBACK, callback_data(4), REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302


@pytest.mark.usefixtures("frozen")
def test_per_email_exactly_the_limit_is_allowed(client, settings, location):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (0, 0), "email": (2, 3600)}
    for n, email in enumerate(["avery@example.org", "Avery+again@Example.org"]):
        response = client.post(
            CALLBACK, callback_data(email=email), REMOTE_ADDR=f"198.51.100.{n + 1}"
        )
        assert response.status_code == 302
    refused = client.post(
        CALLBACK, callback_data(email="avery@example.org"), REMOTE_ADDR="198.51.100.9"
    )
    assert refused.status_code == 429
    assert EMAIL_MESSAGE in refused.content.decode()
    assert CallbackRequest.objects.count() == 2


@pytest.mark.usefixtures("frozen")
def test_only_valid_submissions_count(client, settings, location):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (1, 3600), "email": (1, 3600)}
    for _ in range(5):
        assert client.post(CALLBACK, callback_data(phone="12345")).status_code == 200
    assert client.post(CALLBACK, callback_data()).status_code == 302


@pytest.mark.usefixtures("frozen")
def test_a_spoofed_forwarded_for_is_ignored_without_trusted_proxies(client, settings, location):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.ANTISPAM_RATE_LIMITS = {"ip": (2, 3600), "email": (0, 0)}
    for n in range(2):
        response = client.post(CALLBACK, callback_data(n), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert response.status_code == 302
    refused = client.post(CALLBACK, callback_data(2), HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert refused.status_code == 429


@pytest.mark.usefixtures("frozen")
def test_behind_a_trusted_proxy_each_client_is_counted(client, settings, location):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ANTISPAM_RATE_LIMITS = {"ip": (1, 3600), "email": (0, 0)}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = client.post(CALLBACK, callback_data(0), HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    second = client.post(CALLBACK, callback_data(1), HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy)
    assert first.status_code == second.status_code == 302
    # The same client putting a made-up address in front is still the same client.
    spoof = client.post(
        CALLBACK, callback_data(2), HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5", **proxy
    )
    assert spoof.status_code == 429


@pytest.mark.usefixtures("frozen")
def test_a_blocked_booking_keeps_everything_typed(client, settings, location, phone_call):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (1, 3600), "email": (1, 3600)}
    url = book_url(location, phone_call)
    assert client.post(url, form_data(at(2, 10))).status_code == 302
    data = form_data(at(2, 11), message="Evenings are best", contact_method="text")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 429
    assert 'id="error-summary"' in html
    assert f"{IP_MESSAGE} Please try again in an hour, or call us on (555) 010-0199." in html
    for kept in ("Avery", "Quinn", "avery.quinn@example.org", "(207) 555-0123"):
        assert f'value="{kept}"' in html
    assert "Evenings are best</textarea>" in html
    assert f'value="{data["slot"]}" data-utc="{data["slot"]}" checked' in html
    assert re.search(r'name="contact_method" value="text"[^>]*checked', html)
    assert re.search(r'name="consent"[^>]*checked', html)
    assert Consultation.objects.count() == 1


@pytest.mark.usefixtures("frozen")
def test_a_blocked_call_back_keeps_everything_typed(client, settings, location):
    settings.ANTISPAM_RATE_LIMITS = {"ip": (0, 0), "email": (1, 3600)}
    assert client.post(CALLBACK, callback_data()).status_code == 302
    data = callback_data(preferred_days=["2"], preferred_times=["evening"], message="After 5pm")
    response = client.post(CALLBACK, data)
    html = response.content.decode()
    assert response.status_code == 429
    assert EMAIL_MESSAGE in html
    for kept in ('value="Avery"', 'value="person0@example.org"', "After 5pm</textarea>"):
        assert kept in html
    assert re.search(r'value="2"[^>]*checked', html)
    assert re.search(r'value="evening"[^>]*checked', html)
