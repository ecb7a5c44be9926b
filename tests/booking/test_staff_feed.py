"""The staff calendar feed: a token is required, revocation works, and no names appear."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from booking import services, staff_feed
from booking.models import StaffCalendarFeed
from tests.booking.conftest import at
from tests.factories import book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
FEED_PAGE = reverse("admin:booking_consultation_feed")


def feed_url(token):
    return reverse("booking:staff-calendar", kwargs={"token": token})


@pytest.fixture
def consultations(location, phone_call):
    kept = book(location, phone_call, at(3, 10))
    gone = book(location, phone_call, at(3, 14), details={"email": "b@example.org"})
    services.consultation_cancel(consultation=gone)
    return kept, gone


def test_the_feed_shows_consultations_without_names(client, staff_user, consultations):
    kept, gone = consultations
    token = staff_feed.feed_create(user=staff_user("Front desk"))
    response = client.get(feed_url(token))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Consultation" in body
    assert f"Reference {kept.reference}" in body
    assert "DTSTART;TZID=America/New_York:20261203T100000" in body
    assert gone.reference not in body  # cancelled
    for private in ("Avery", "Quinn", "avery.quinn", "+1207", "depression"):
        assert private not in body
    assert StaffCalendarFeed.objects.get().last_used_at is not None


@pytest.mark.parametrize("token", ["", "x", "not-the-token-but-long-enough-to-look-real-1234"])
def test_a_token_is_required(client, staff_user, token):
    staff_feed.feed_create(user=staff_user("Front desk"))
    url = feed_url(token) if token else "/consultation/staff-calendar/.ics"
    assert client.get(url).status_code == 404


def test_a_new_address_or_revoking_stops_the_old_one(client, staff_user):
    user = staff_user("Front desk")
    first = staff_feed.feed_create(user=user)
    second = staff_feed.feed_create(user=user)
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(second)).status_code == 200
    staff_feed.feed_revoke(user=user, by=user)
    assert client.get(feed_url(second)).status_code == 404
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("at", "pk"))
    assert actions == ["calendar_feed_created", "calendar_feed_created", "calendar_feed_revoked"]


def test_the_feed_dies_with_the_account_or_its_permission(client, staff_user):
    user = staff_user("Front desk")
    token = staff_feed.feed_create(user=user)
    user.is_active = False
    user.save()
    assert client.get(feed_url(token)).status_code == 404
    editor = staff_user("Content editor")
    assert client.get(feed_url(staff_feed.feed_create(user=editor))).status_code == 404


def test_staff_make_and_revoke_their_address_in_the_admin(staff_client):
    client = staff_client("Front desk")
    page = client.get(FEED_PAGE)
    assert "You have no calendar address yet" in page.content.decode()
    assert not StaffCalendarFeed.objects.exists()  # nothing changes on GET
    made = client.post(FEED_PAGE, {"do": "create"}).content.decode()
    url = made.split("<code>")[1].split("</code>")[0]
    assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert "not shown again" in client.get(FEED_PAGE).content.decode()
    client.post(FEED_PAGE, {"do": "revoke"})
    assert client.get(url.removeprefix("http://testserver")).status_code == 404


def test_an_administrator_can_revoke_a_colleagues_feed(staff_client, staff_user, client):
    colleague = staff_user("Front desk")
    token = staff_feed.feed_create(user=colleague)
    admin = staff_client("Administrator")
    feed = StaffCalendarFeed.objects.get()
    admin.post(reverse("admin:booking_staffcalendarfeed_delete", args=[feed.pk]), {"post": "yes"})
    assert not StaffCalendarFeed.objects.exists()
    assert admin.get(feed_url(token)).status_code == 404
