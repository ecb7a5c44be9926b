"""Filling in and submitting a screening writes nothing personal to the logs, including
the warnings for a wrong resume link and a refused step."""

import pytest
from django.urls import reverse

from intake import links
from intake.models import Screening
from tests.builders.intake import ABOUT, through, url

pytestmark = pytest.mark.django_db


def test_a_whole_screening_logs_nothing_personal(client, captured_logs):  # noqa: F811
    through(client, upto="medical")
    token = links.resume_link_create(screening=Screening.objects.get())
    client.get(reverse("intake:resume", kwargs={"token": token + "x"}))  # 404: logged
    client.post(url("medical"), {"medication_names": "sertraline 100mg"})  # errors
    client.get(reverse("intake:resume", kwargs={"token": token}))
    text = captured_logs.getvalue()
    assert "Not Found" in text  # the handlers really were writing
    for secret in (*ABOUT.values(), "Ada", "Lovelace", "1990-02-03", "+12125550199", token):
        assert str(secret).strip() not in text, secret
    assert "sertraline" not in text
