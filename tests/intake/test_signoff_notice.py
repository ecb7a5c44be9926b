"""The notice of wording awaiting the medical director's sign-off: on the screening pages
(the queue and a screening's summary), once each, and nowhere else."""

import pytest
from django.urls import reverse

from intake.instruments import INSTRUMENTS
from intake.models import Screening
from mindscape import roles

pytestmark = pytest.mark.django_db

NOTICE = "Awaiting the medical director&#x27;s sign-off"


def test_the_notice_shows_once_on_screening_pages_and_nowhere_else(staff_client):
    assert any(i.awaiting_signoff for i in INSTRUMENTS.values())  # else nothing to show
    client = staff_client(roles.ADMINISTRATOR)
    screening = Screening.objects.create()
    queue = reverse("admin:intake_screening_changelist")
    summary = reverse("admin:intake_screening_change", args=[screening.pk])
    for url in (queue, summary, queue, queue):
        html = client.get(url).content.decode()
        assert html.count(NOTICE) == 1, url
    # Not carried to the next page (as a message would be, after a page that did not
    # show it, such as a redirect), nor on other pages.
    client.get(queue, {"bad-filter": "x"})  # the admin redirects a bad filter
    for url in (
        reverse("admin:booking_consultation_changelist"),
        reverse("admin:index"),
        reverse("admin:intake_screening_history", args=[screening.pk]),
    ):
        assert NOTICE not in client.get(url).content.decode(), url
