"""The audit log reads like sentences: the person and their role, the record by its own
reference, the detail in words; the same words on each record's History page."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit import log as audit
from audit.models import AuditEntry
from audit.words import sentence
from booking import services
from intake.models import Screening
from mindscape import roles
from tests.factories import (
    ArticleFactory,
    ConsultationTypeFactory,
    LocationFactory,
    PageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditentry_changelist")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def desk(staff_user):
    return staff_user(roles.FRONT_DESK, username="dana")


@pytest.fixture
def out_of_hours(desk):
    location = LocationFactory()
    phone_call = ConsultationTypeFactory(locations=[location])
    start = dt.datetime.combine(
        dt.date.today() + dt.timedelta(days=3), dt.time(20), tzinfo=location.zone
    )
    from booking.forms import CONSENT_VERSION

    return services.consultation_book(
        location=location,
        consultation_type=phone_call,
        starts_at=start,
        details={
            "first_name": "Robin",
            "last_name": "Okafor",
            "email": "robin@example.org",
            "phone": "+12075550188",
            "contact_method": "phone",
            "topic": "other",
            "message": "",
            "consent_version": CONSENT_VERSION,
            "crisis_flag": False,
            "source_article": "",
        },
        by=desk,
        override_schedule=True,
    )


def test_a_booking_reads_as_a_sentence_with_role_and_reference(out_of_hours):
    entry = AuditEntry.objects.get(action="consultation_booked")
    assert sentence(entry) == (
        f"dana (front desk) booked consultation {out_of_hours.reference} outside opening hours"
    )
    assert "Robin" not in sentence(entry) and "Okafor" not in sentence(entry)


def test_records_are_named_by_their_own_reference():
    article = ArticleFactory(title="Ketamine and depression")
    colleague = UserFactory(username="sam")
    screening = Screening.objects.create()
    actor = UserFactory(username="root", is_superuser=True)
    assert sentence(audit.record(actor, "article_published", article)) == (
        "root (administrator) published article “Ketamine and depression”"
    )
    assert sentence(audit.record(actor, "two_factor_reset", colleague)) == (
        "root (administrator) reset two-factor sign-in for staff account sam"
    )
    assert sentence(audit.record(actor, "screening_viewed", screening)) == (
        f"root (administrator) opened screening #{screening.pk}"
    )


def test_details_are_words_not_a_dict(staff_user):
    actor = staff_user(roles.ADMINISTRATOR, username="ada")
    page = PageFactory()
    changed = sentence(audit.record(actor, "changed", page, {"fields": ["title", "body"]}))
    assert changed == f"ada (administrator) changed page “{page.title}” (title, body)"
    locked = sentence(
        audit.record(None, "sign_in_locked", actor, {"scope": "device", "account": "known"})
    )
    assert locked == (
        "Someone was locked out of signing in to staff account ada after too many failed "
        "sign-ins from one device"
    )
    exported = sentence(audit.record(actor, "audit_log_exported", detail={"rows": 12}))
    assert exported == "ada (administrator) exported the audit log (12 rows)"
    for words in (changed, locked, exported):
        assert "{" not in words and "'" not in words


def test_the_list_shows_sentences_and_filters_by_staff_record_types(staff_client, out_of_hours):
    client = staff_client(roles.ADMINISTRATOR)
    page = BeautifulSoup(client.get(CHANGELIST).content, "html.parser")
    headers = [text(th) for th in page.select("#result_list thead th")]
    assert headers == ["When", "Entry"]
    rows = [text(td) for td in page.select("#result_list td.field-entry")]
    assert (
        f"dana (front desk) booked consultation {out_of_hours.reference} outside opening hours"
        in rows
    )
    record_types = [text(a) for a in page.select('details[data-filter-title="record type"] li a')]
    # Only kinds with entries (no articles, pages, screenings... yet), by staff names.
    assert record_types == ["All", "Consultation"]
    audit.record(client.user, "two_factor_reset", client.user)
    page = BeautifulSoup(client.get(CHANGELIST).content, "html.parser")
    record_types = [text(a) for a in page.select('details[data-filter-title="record type"] li a')]
    assert record_types == ["All", "Consultation", "Staff account"]
    consultation_type = ContentType.objects.get_for_model(out_of_hours)
    filtered = client.get(CHANGELIST, {"record_type": consultation_type.pk})
    assert [e.action for e in filtered.context["cl"].result_list] == ["consultation_booked"]


def test_a_records_history_uses_the_same_words(staff_client, out_of_hours):
    client = staff_client(roles.FRONT_DESK)
    expected = (
        f"dana (front desk) booked consultation {out_of_hours.reference} outside opening hours"
    )
    change = BeautifulSoup(
        client.get(reverse("admin:booking_consultation_change", args=[out_of_hours.pk])).content,
        "html.parser",
    )
    assert expected in text(change.select_one(".audit-trail"))
    history = BeautifulSoup(
        client.get(reverse("admin:booking_consultation_history", args=[out_of_hours.pk])).content,
        "html.parser",
    )
    assert expected in text(history.select_one("#change-history"))


def test_a_page_history_tab_reads_the_audit_log(staff_client):
    client = staff_client(roles.CONTENT_EDITOR, username="eli")
    page = PageFactory(title="Our team")
    audit.record(client.user, "changed", page, {"fields": ["title"]})
    history = BeautifulSoup(
        client.get(reverse("admin:clinic_page_history", args=[page.pk])).content,
        "html.parser",
    )
    assert "eli (content editor) changed page “Our team” (title)" in text(
        history.select_one("#change-history")
    )
