"""The screening form against scripts and forged requests: the resume link is built from
SITE_URL; honeypot and start time on the gate and "about you"; drafts per IP and per email;
one resume email per draft per ten minutes; a cap on "form left" alerts."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.intake.test_steps import ABOUT

pytestmark = pytest.mark.django_db
START = reverse("intake:start")
ABOUT_URL = reverse("intake:step", kwargs={"code": "about"})
SITE = "https://www.mindscape-clinic.example"


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
