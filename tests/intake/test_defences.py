"""The screening form against scripts and forged requests: the resume link is built from
SITE_URL; honeypot and start time on the gate and "about you"; drafts per IP and per email;
one resume email per draft per ten minutes; a cap on "form left" alerts."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake import escalation, tasks
from intake.models import Screening, StaffAlert
from mindscape import antispam
from tests.builders.intake import ABOUT

pytestmark = pytest.mark.django_db
START = reverse("intake:start")
ABOUT_URL = reverse("intake:step", kwargs={"code": "about"})
SITE = "https://www.mindscape-clinic.example"
NOW = dt.datetime(2026, 12, 1, 15, tzinfo=dt.UTC)
RETRY = antispam.RETRY_MESSAGE.replace("'", "&#x27;")
IP_MESSAGE = "We&#x27;ve had several requests from this connection in a short time."
EMAIL_MESSAGE = "We&#x27;ve had several requests for this email address in a short time."


def begin(client, **extra) -> None:
    response = client.post(START, {"adult": "yes"}, **extra)
    assert response.status_code == 302, response.content.decode()[:500]


def started(html: str) -> str:
    return re.search(r'name="form_started" value="([^"]+)"', html).group(1)


def resume_opens(path: str) -> bool:
    """Whether a resume link still asks for the date of birth (another browser)."""
    return Client().get(path).status_code == 200


def test_the_resume_link_is_built_from_site_url_not_the_host_header(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]  # even if a proxy let any Host through
    client.post(START, {"adult": "yes"}, HTTP_HOST="evil.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ABOUT_URL, ABOUT, HTTP_HOST="evil.example")
    (sent,) = mail.outbox
    assert f"{SITE}/intake/resume/" in sent.body
    assert "evil.example" not in sent.body
    shown = client.get(reverse("intake:step", kwargs={"code": "history"}), HTTP_HOST="evil.example")
    assert shown.context["resume_url"].startswith(f"{SITE}/intake/resume/")


# --- Honeypot and start time on the gate and "about you" -----------------------------------


def trap(html: str) -> str:
    found = re.search(r'<div class="form-extra" aria-hidden="true">.*?</div>', html, re.S)
    assert found, "no honeypot"
    return found.group()


def test_the_gate_and_about_you_carry_the_honeypot_and_a_signed_start(client):
    for page in (client.get(START), begin(client) or client.get(ABOUT_URL)):
        html = page.content.decode()
        assert 'for="id_website">Leave this field empty</label>' in trap(html)
        assert 'tabindex="-1"' in trap(html)
        assert antispam.started_at(started(html)) is not None
        assert html.count('name="website"') == 1  # not also among the visible fields


def test_a_filled_honeypot_on_the_gate_makes_no_draft(client):
    response = client.post(START, {"adult": "yes", "website": "https://spam.example"})
    assert response.status_code == 200
    assert RETRY in response.content.decode()
    assert not Screening.objects.exists()


def test_a_gate_sent_too_fast_or_without_a_start_makes_no_draft(client, settings):
    settings.ANTISPAM_MIN_FILL_SECONDS = 3
    token = started(client.get(START).content.decode())
    assert client.post(START, {"adult": "yes", "form_started": token}).status_code == 200
    assert client.post(START, {"adult": "yes"}).status_code == 200
    assert not Screening.objects.exists()


def test_a_filled_honeypot_on_about_you_saves_nothing_and_keeps_what_was_typed(client):
    begin(client)
    response = client.post(ABOUT_URL, {**ABOUT, "website": "https://spam.example"})
    html = response.content.decode()
    assert response.status_code == 200
    assert RETRY in html and "spam.example" not in html
    for kept in ("Ada", "Lovelace", "ada@example.com", "Charles Babbage"):
        assert kept in html
    assert Screening.objects.get().identity == {}
    assert mail.outbox == []


# --- Drafts per IP and per email -------------------------------------------------------------


def test_twenty_gates_from_one_address_make_ten_drafts(client):
    answers = [client.post(START, {"adult": "yes"}).status_code for _ in range(20)]
    assert answers == [302] * 10 + [429] * 10
    assert Screening.objects.count() == 10
    refused = client.post(START, {"adult": "yes"})
    assert IP_MESSAGE in refused.content.decode()
    other = client.post(START, {"adult": "yes"}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302  # another connection is not held back
    assert client.post(START, {"adult": "no"}).status_code == 200  # the kind page, always


def test_one_email_address_gets_three_drafts_an_hour(client, django_capture_on_commit_callbacks):
    for n in range(3):
        begin(client, REMOTE_ADDR=f"198.51.100.{n + 1}")
        with django_capture_on_commit_callbacks(execute=True):
            saved = client.post(ABOUT_URL, {**ABOUT, "email": "Ada+x@Example.com"})
        assert saved.status_code == 302
    begin(client, REMOTE_ADDR="198.51.100.9")
    refused = client.post(ABOUT_URL, {**ABOUT, "email": "ada@example.com"})
    html = refused.content.decode()
    assert refused.status_code == 429
    assert EMAIL_MESSAGE in html
    for kept in ("Ada", "Lovelace", "ada@example.com", "Charles Babbage", "415.555.2671"):
        assert kept in html  # everything typed is still there
    assert Screening.objects.order_by("pk").last().identity == {}  # nothing saved
    assert len(mail.outbox) == 3


def test_saving_about_you_again_with_the_same_address_is_not_a_new_draft(client, settings):
    settings.INTAKE_RATE_LIMITS = {"ip": (0, 0), "email": (1, 3600)}
    begin(client)
    for _ in range(5):
        assert client.post(ABOUT_URL, ABOUT).status_code == 302


# --- One resume email per draft per ten minutes ----------------------------------------------


def test_fifteen_saves_of_about_you_send_one_resume_email(
    client, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False) as clock:
        begin(client)
        for _ in range(15):
            with django_capture_on_commit_callbacks(execute=True):
                assert client.post(ABOUT_URL, ABOUT).status_code == 302
        assert len(mail.outbox) == 1
        link = re.search(r"(/intake/resume/\S+)", mail.outbox[0].body).group(1)
        assert resume_opens(link)  # the link sent still works: no new link replaced it

        clock.shift(dt.timedelta(minutes=9, seconds=59))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(ABOUT_URL, ABOUT)
        assert len(mail.outbox) == 1
        clock.shift(dt.timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(ABOUT_URL, ABOUT)
        assert len(mail.outbox) == 2


def test_a_corrected_address_gets_a_new_link_on_screen_but_no_second_email_at_once(
    client, django_capture_on_commit_callbacks
):
    begin(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ABOUT_URL, {**ABOUT, "email": "ada@exampel.com"})
    first = re.search(r"(/intake/resume/\S+)", mail.outbox[0].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ABOUT_URL, ABOUT)
    assert len(mail.outbox) == 1
    shown = client.get(reverse("intake:step", kwargs={"code": "history"}))
    assert "/intake/resume/" in shown.context["resume_url"]
    assert not resume_opens(first)  # the link sent to the mistyped address is dead


# --- At most ten left-form alerts an hour, then one summary ----------------------------------


def left_form() -> Screening:
    return Screening.objects.create(
        identity={"first_name": "Solveig"}, answers={"phq9": {"q9": 2}}, draft_urgency=2
    )


def test_a_flood_of_left_forms_sends_ten_alerts_and_one_summary(settings):
    settings.INTAKE_ABANDONED_RISK_MINUTES = 60
    with time_machine.travel(NOW, tick=False) as clock:
        real = Screening.objects.create(
            identity={"first_name": "Solveig"}, answers={"cssrs": {"q4": 1}}, draft_urgency=1
        )
        fake = [left_form() for _ in range(24)]
        clock.shift(dt.timedelta(minutes=61))
        assert escalation.alert_abandoned_drafts() == 11  # ten alone, and one summary
        alone = StaffAlert.objects.filter(
            kind=StaffAlert.Kind.ABANDONED_RISK_DRAFT, status=StaffAlert.Status.QUEUED
        )
        assert alone.count() == 10
        assert alone.filter(screening=real).exists()  # the most urgent is alerted alone
        (summary,) = StaffAlert.objects.filter(kind=StaffAlert.Kind.LEFT_FORMS_SUMMARY)
        # Nothing is removed from the queue: every left form awaits an acknowledgement.
        waiting = Screening.objects.in_triage()
        assert set(waiting) == {real, *fake}

        tasks.send(summary.pk)
        (message,) = mail.outbox
        assert message.subject == "Forms left after a risk answer need review"
        assert message.body.startswith("15 more forms were left after a risk answer")
        assert "/admin/intake/screening/\n" in message.body
        assert "Solveig" not in message.body

        # Three more left within the hour: held, and no second summary yet.
        later = [left_form() for _ in range(3)]
        Screening.objects.filter(pk__in=[s.pk for s in later]).update(
            updated_at=timezone.now() - dt.timedelta(hours=2)
        )
        clock.shift(dt.timedelta(minutes=5))
        assert escalation.alert_abandoned_drafts() == 0
        assert StaffAlert.objects.filter(status=StaffAlert.Status.SUMMARISED).count() == 18
        assert set(Screening.objects.in_triage()) == {real, *fake, *later}
        # An hour after the first summary, the next one counts only those three.
        clock.shift(dt.timedelta(minutes=56))
        assert escalation.alert_abandoned_drafts() == 1
        second = StaffAlert.objects.filter(kind=StaffAlert.Kind.LEFT_FORMS_SUMMARY).latest("pk")
        tasks.send(second.pk)
        assert mail.outbox[-1].body.startswith("3 more forms were left after a risk answer")
