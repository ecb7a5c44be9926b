"""The booking's pages and emails link to the screening form with intake's own token; the
link starts a new form linked to the consultation by number and never opens health data."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from booking import links as booking_links
from intake import links
from intake.models import Screening
from tests.booking.conftest import at
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    location = LocationFactory()
    with time_machine.travel(at(1, 8), tick=False):
        return book(location, ConsultationTypeFactory(locations=[location]), at(3, 10))


def test_the_manage_page_links_to_the_form_and_the_form_links_the_consultation(
    client, consultation
):
    with time_machine.travel(at(1, 9), tick=False):
        html = client.get(booking_links.manage_path(consultation)).content.decode()
    path = html.split('href="/intake/?c=')[1].split('"')[0]
    assert links.consultation_id_from(path) == consultation.pk
    start = client.post(f"/intake/?c={path}", {"adult": "yes"})
    assert start["Location"] == reverse("intake:step", kwargs={"code": "about"})
    assert Screening.objects.get().consultation == consultation


def test_a_tampered_link_starts_an_unlinked_form(client, consultation):
    path = links.booking_path(consultation.pk)
    client.post(path[:-2] + "xx", {"adult": "yes"})
    assert Screening.objects.get().consultation_id is None


def test_no_link_while_the_form_is_switched_off(client, consultation, settings):
    settings.INTAKE_FORM_ENABLED = False
    with time_machine.travel(at(1, 9), tick=False):
        html = client.get(booking_links.manage_path(consultation)).content.decode()
    assert "/intake/" not in html


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_email_carries_the_screening_link():
    from django.core.management import call_command

    location = LocationFactory()
    with time_machine.travel(at(1, 8), tick=False):
        consultation = book(location, ConsultationTypeFactory(locations=[location]), at(3, 10))
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    patient = next(m for m in mail.outbox if m.to == [consultation.email])
    assert "/intake/?c=" in patient.body


def test_a_link_whose_consultation_was_deleted_starts_an_unlinked_form(client, consultation):
    path = links.booking_path(consultation.pk)
    consultation.delete()
    start = client.post(path, {"adult": "yes"})
    assert start["Location"] == reverse("intake:step", kwargs={"code": "about"})
    assert Screening.objects.get().consultation is None


def test_a_deleted_consultation_leaves_its_screening_unlinked(consultation):
    screening = Screening.objects.create(consultation=consultation)
    assert list(consultation.screenings.all()) == [screening]
    consultation.delete()
    screening.refresh_from_db()
    assert screening.consultation_id is None


def test_the_emails_carry_the_whole_link_except_the_cancellation(consultation, settings):
    from booking import messaging
    from booking.models import MessageDelivery

    def email(kind):
        delivery = MessageDelivery(consultation=consultation, kind=kind)
        message = messaging.build(delivery)
        return message.body, message.alternatives[0][0]

    for text in email(MessageDelivery.Kind.CONFIRMATION):
        assert f"{settings.SITE_URL}/intake/?c=" in text
    for text in email(MessageDelivery.Kind.CANCELLED):
        assert "/intake/" not in text


def test_a_cancelled_consultation_offers_no_form(client, consultation):
    from booking import services as booking_services

    with time_machine.travel(at(1, 9), tick=False):
        booking_services.consultation_cancel(consultation=consultation)
        html = client.get(booking_links.manage_path(consultation)).content.decode()
    assert "/intake/" not in html
