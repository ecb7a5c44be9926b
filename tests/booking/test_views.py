"""The patient's pages: booking, errors that keep what was typed, manage links, calendar files."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from booking import links, views
from booking.models import CallbackRequest, Consultation, Location
from mindscape.privacy import scrub
from tests.booking.conftest import at
from tests.builders.booking import URL, book_url, form_data
from tests.factories import LocationFactory, book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_the_choice_page_lists_types_and_keeps_the_topic(client, location, phone_call):
    response = client.get(f"{URL}?interest=anxiety&from=what-is-ketamine")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phone call (30 minutes)" in html
    assert 'name="interest" value="anxiety"' in html
    assert "not monitored in real time" in html
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")


def test_a_type_not_offered_at_the_location_is_explained(client, location, phone_call):
    from tests.factories import ConsultationTypeFactory, LocationFactory

    video = ConsultationTypeFactory(name="Video", locations=[LocationFactory()])
    response = client.get(book_url(location, video))
    assert "Video is not offered at" in response.content.decode()


def test_booking_redirects_to_a_confirmation_with_the_manage_link(client, location, phone_call):
    page = client.get(book_url(location, phone_call, interest="anxiety"))
    html = page.content.decode()
    assert 'value="anxiety" selected' in html
    # The links to change the choice or ask for a call keep what the patient came about.
    assert f'href="{reverse("booking:consultation")}?interest=anxiety">Change</a>' in html
    assert f'?location={location.pk}&amp;interest=anxiety">None of these times' in html
    assert "Wednesday, December 2" in html and ">10:00 AM<" in html
    assert "Times are in Eastern Time (New York)." in html
    assert "America/New_York" not in html.replace('data-zone="America/New_York"', "")
    response = client.post(
        book_url(location, phone_call, interest="anxiety", **{"from": "what-is-ketamine"}),
        form_data(at(2, 10)),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("booking:confirmed")
    consultation = Consultation.objects.get()
    assert consultation.phone == "+12075550123"
    assert consultation.source_article == "what-is-ketamine"
    assert consultation.consent_version == "2026-11-v1"
    confirmation = client.get(response["Location"])
    text = confirmation.content.decode()
    assert "Wednesday, December 2, 2026 at 10:00 AM Eastern Time (New York)" in text
    assert (
        f'<a href="{links.manage_path(consultation)}" class="btn btn-primary">Change or cancel</a>'
        in text
    )
    assert "http://testserver/consultation/manage/" not in text  # never the raw link as text
    assert confirmation["Cache-Control"].startswith("max-age=0, no-cache, no-store")


def test_errors_keep_everything_typed(client, location, phone_call):
    data = form_data(at(2, 10), phone="12345", message="Evenings are best")
    response = client.post(book_url(location, phone_call), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a phone number we can call or text" in html
    for kept in ("Avery", "Quinn", "avery.quinn@example.org", "12345", "Evenings are best"):
        assert kept in html
    assert f'value="{data["slot"]}" data-utc="{data["slot"]}" checked' in html
    assert not Consultation.objects.exists()


def test_a_slot_taken_meanwhile_says_so_and_offers_the_nearest(client, location, phone_call):
    book(location, phone_call, at(2, 11))
    response = client.post(book_url(location, phone_call), form_data(at(2, 11)))
    html = response.content.decode()
    assert "that time has just been taken" in html
    assert "Nearest free times" in html
    assert "Wednesday, December 2, 2026 at 10:00 AM Eastern Time (New York)" in html
    assert "Avery" in html


@pytest.mark.parametrize(
    "slot",
    [
        "not-a-time",
        "2026-12-02T15:00:00",  # no offset
        "2026-12-02T15:15:00+00:00",  # off the step
        "2026-11-30T15:00:00+00:00",  # in the past
        "2026-12-02T03:00:00+00:00",  # night
        "2027-03-01T15:00:00+00:00",  # beyond the horizon
    ],
)
def test_tampered_slots_are_refused_clearly(client, location, phone_call, slot):
    response = client.post(book_url(location, phone_call), form_data(at(2, 10), slot=slot))
    html = response.content.decode()
    assert response.status_code == 200
    assert "not one we offer" in html or "already passed" in html
    assert not Consultation.objects.exists()


def test_a_replayed_post_makes_one_booking(client, location, phone_call):
    data = form_data(at(2, 10))
    first = client.post(book_url(location, phone_call), data)
    second = client.post(book_url(location, phone_call), data)
    assert first.status_code == second.status_code == 302
    assert Consultation.objects.count() == 1


def test_crisis_wording_shows_the_crisis_panel_and_flags_the_booking(client, location, phone_call):
    data = form_data(at(2, 10), message="Honestly I want to end my life")
    # With an error still to fix, the panel shows at once.
    with_error = client.post(book_url(location, phone_call), {**data, "consent": ""})
    assert 'id="crisis-panel"' in with_error.content.decode()
    response = client.post(book_url(location, phone_call), data, follow=True)
    html = response.content.decode()
    assert 'id="crisis-panel"' in html
    assert 'Please call or text <a href="tel:988">988</a> now' in html
    # One full block on the page: the footer's is the compact one.
    assert html.count('<section class="crisis crisis-strong"') == 1
    assert 'id="footer-crisis-en"' not in html and "crisis-compact" in html
    assert Consultation.objects.get().crisis_flag


def test_an_ordinary_message_raises_no_flag(client, location, phone_call):
    client.post(book_url(location, phone_call), form_data(at(2, 10), message="Mornings please"))
    assert not Consultation.objects.get().crisis_flag


# --- Manage links ---------------------------------------------------------------------------


@pytest.fixture
def booked(location, phone_call):
    return book(location, phone_call, at(3, 10))


def test_the_manage_link_shows_the_booking_without_an_account(client, booked):
    response = client.get(links.manage_path(booked))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thursday, December 3, 2026 at 10:00 AM Eastern Time (New York)" in html
    assert (
        "You can move or cancel it online until 10:00 AM Eastern Time on Wednesday, December 2."
        in html
    )
    assert "Add to calendar" in html and "How to reach us" in html
    assert "Move to another time" in html and "Cancel the consultation" in html
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    assert 'name="robots" content="noindex' in html


@pytest.mark.parametrize("change", ["truncate", "flip", "other-salt"])
def test_altered_links_are_refused_with_a_clear_message(client, booked, change):
    from django.core import signing

    token = links.manage_token(booked)
    bad = {
        "truncate": token[:-3],
        "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "other-salt": signing.dumps({"r": booked.reference, "n": booked.manage_nonce}),
    }[change]
    response = client.get(reverse("booking:manage", kwargs={"token": bad}))
    assert response.status_code == 404
    assert "This link isn't valid" in response.content.decode()
    post = client.post(reverse("booking:cancel", kwargs={"token": bad}))
    assert post.status_code == 404
    booked.refresh_from_db()
    assert booked.status == Consultation.Status.BOOKED


def test_a_revoked_link_no_longer_opens(client, booked):
    path = links.manage_path(booked)
    Consultation.objects.filter(pk=booked.pk).update(manage_nonce="new-nonce")
    assert client.get(path).status_code == 404


def test_the_link_expires_after_the_consultation(client, booked, frozen):
    path = links.manage_path(booked)
    frozen.move_to(at(3, 10, 31))
    response = client.get(path)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_move_through_the_link(client, booked):
    token = links.manage_token(booked)
    move = reverse("booking:move", kwargs={"token": token})
    page = client.get(move)
    assert "Thursday, December 3" in page.content.decode()
    response = client.post(move, {"slot": at(3, 14).astimezone(dt.UTC).isoformat()})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.starts_at == at(3, 14)
    assert "has been moved" in client.get(response["Location"]).content.decode()


def test_cancel_through_the_link(client, booked):
    cancel = reverse("booking:cancel", kwargs={"token": links.manage_token(booked)})
    assert client.get(cancel).status_code == 200
    booked.refresh_from_db()
    assert booked.status == Consultation.Status.BOOKED  # nothing changes on GET
    response = client.post(cancel, {"reason": "Found a time closer to home"}, follow=True)
    booked.refresh_from_db()
    assert booked.status == Consultation.Status.CANCELLED
    assert booked.cancelled_by == Consultation.CancelledBy.PATIENT
    assert "has been cancelled" in response.content.decode()


def test_after_the_cut_off_the_page_gives_the_phone_number(client, location, phone_call):
    soon = book(location, phone_call, at(1, 16))
    token = links.manage_token(soon)
    html = client.get(reverse("booking:manage", kwargs={"token": token})).content.decode()
    assert "please call us on" in html and location.phone in html
    assert "Move to another time" not in html
    response = client.post(reverse("booking:cancel", kwargs={"token": token}))
    assert response.status_code == 302
    soon.refresh_from_db()
    assert soon.status == Consultation.Status.BOOKED


def test_the_calendar_file_keeps_its_uid_and_zone_and_nothing_clinical(
    client, location, phone_call
):
    consultation = book(
        location, phone_call, at(3, 10), details={"message": "private words", "topic": "ptsd"}
    )
    token = links.manage_token(consultation)
    first = client.get(reverse("booking:calendar", kwargs={"token": token}))
    assert first["Content-Type"].startswith("text/calendar")
    body = first.content.decode()
    assert f"UID:consultation-{consultation.reference}@mindscape" in body
    assert "DTSTART;TZID=America/New_York:20261203T100000" in body
    assert "BEGIN:VTIMEZONE" in body and "SEQUENCE:0" in body
    for secret in ("Avery", "Quinn", "private words", "PTSD", "ptsd", "avery.quinn"):
        assert secret not in body
    from booking import services

    services.consultation_reschedule(consultation=consultation, starts_at=at(3, 14))
    second = client.get(reverse("booking:calendar", kwargs={"token": token})).content.decode()
    assert f"UID:consultation-{consultation.reference}@mindscape" in second
    assert "SEQUENCE:1" in second and "T140000" in second


def test_manage_tokens_are_scrubbed_from_log_lines(booked):
    line = f'"GET {links.manage_path(booked)} HTTP/1.1" 200 5120'
    assert links.manage_token(booked) not in scrub(line)


# --- Call me back ---------------------------------------------------------------------------


def test_call_me_back(client, location):
    url = reverse("booking:callback") + f"?location={location.pk}&interest=ocd"
    assert 'value="ocd" selected' in client.get(url).content.decode()
    data = form_data(at(2, 10), preferred_days=["0", "2"], preferred_times=["morning"])
    response = client.post(url, data)
    assert response.status_code == 302
    callback = CallbackRequest.objects.get()
    assert callback.preferred_days == [0, 2]
    assert callback.location == location
    assert callback.status == CallbackRequest.Status.NEW
    thanks = client.get(response["Location"]).content.decode()
    assert "we will call you back" in thanks
    assert client.post(url, data).status_code == 302
    assert CallbackRequest.objects.count() == 1  # replay


# --- One rule for the change cut-off ------------------------------------------------------


def test_times_inside_the_change_cut_off_say_so_before_booking(client, location, phone_call):
    """Two hours' notice, a 24-hour cut-off, now Tuesday 08:00: Tuesday's times can be
    booked but not changed online; Wednesday's from 09:00 can."""
    html = client.get(book_url(location, phone_call)).content.decode()
    today = re.search(r'id="day-2026-12-01".*?</fieldset>', html, re.S).group()
    tomorrow = re.search(r'id="day-2026-12-02".*?</fieldset>', html, re.S).group()
    label = "can't be changed online — call us to change"
    assert today.count(label) == today.count('type="radio"') == 14  # 10:00 … 16:30
    assert label not in tomorrow


def test_the_booking_says_until_when_it_can_be_changed(client, location, phone_call):
    soon = book(location, phone_call, at(1, 16))
    later = book(location, phone_call, at(3, 9), details={"email": "b@example.org"})
    soon_page = client.get(links.manage_path(soon)).content.decode()
    later_page = client.get(links.manage_path(later)).content.decode()
    assert "This time can't be changed online." in soon_page
    assert "until" not in soon_page.split("How to reach us")[0].split("change-rule")[-1]
    assert (
        "You can move or cancel it online until 9:00 AM Eastern Time on Wednesday, December 2."
        in later_page
    )


def test_the_admin_help_texts_say_how_notice_and_cut_off_interact():
    notice = Location._meta.get_field("min_notice_hours").help_text
    cutoff = Location._meta.get_field("change_cutoff_hours").help_text
    assert "change cut-off" in notice and "can't be changed online" in notice
    assert "minimum notice" in cutoff and "can't be changed online" in cutoff


# --- Which location: asked only when there is a choice --------------------------------------


def test_a_call_offered_by_one_location_asks_no_location(client, location, phone_call):
    LocationFactory(name="Boston clinic")  # open, but offers no phone call
    first = client.get(URL).content.decode()
    assert "How would you like to talk?" in first
    assert "Which location" not in first and "teams" not in first
    times = client.get(f"{URL}?type={phone_call.pk}")
    assert times.status_code == 200
    assert "Choose a time for your free consultation" in times.content.decode()


def test_a_call_offered_by_several_locations_asks_which_team(client, location, phone_call):
    boston = LocationFactory(name="Boston clinic", locality="Boston", region="MA")
    phone_call.locations.add(boston)
    html = client.get(f"{URL}?type={phone_call.pk}").content.decode()
    assert "Which of our clinics&#x27; teams would you like to talk to?" in html
    assert "The Boston clinic team (Boston, MA)" in html
    assert "Which location" not in html and "There is a problem" not in html
    unanswered = client.get(f"{URL}?type={phone_call.pk}&location=").content.decode()
    assert "Choose which team you would like to talk to." in unanswered
    assert 'href="#id_location_0"' in unanswered
    chosen = client.get(f"{URL}?type={phone_call.pk}&location={boston.pk}").content.decode()
    assert "Phone call (30 minutes) with our Boston clinic team." in chosen


def test_an_in_person_visit_at_several_clinics_asks_which_clinic(client, location):
    from tests.factories import ConsultationTypeFactory

    boston = LocationFactory(name="Boston clinic", street_address="1 Main St", locality="Boston")
    visit = ConsultationTypeFactory(name="Visit", kind="in_person", locations=[location, boston])
    html = client.get(f"{URL}?type={visit.pk}").content.decode()
    assert "Which clinic would you like to visit?" in html
    assert "Boston clinic, 1 Main St, Boston, ME 04101" in html
    assert "teams" not in html


# --- Errors that say what is wrong ---------------------------------------------------------


def test_the_error_summary_names_and_links_each_field(client, location, phone_call):
    data = form_data(at(2, 10), first_name="", email="avery.example.org", slot="")
    response = client.post(book_url(location, phone_call), data)
    html = response.content.decode()
    assert "<title>Error: Choose a time" in html
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert summary, html
    links_in_summary = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group())
    assert links_in_summary == [
        ("id_slot", "Choose a time"),
        ("id_first_name", "Enter your first name"),
        ("id_email", "Enter an email address in the correct format, like name@example.com"),
    ]
    # Each field repeats its own message, and the summary's targets exist.
    for anchor, message in links_in_summary:
        assert f'id="{anchor}"' in html
        assert html.count(f"<strong>{message}</strong>") == 1, message


# --- The confirmation: masked address, shown once -------------------------------------------


def test_the_confirmation_masks_the_address_and_is_shown_once(client, location, phone_call):
    response = client.post(book_url(location, phone_call), form_data(at(2, 10)))
    confirmation = client.get(response["Location"])
    html = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert 'We\'ve sent a confirmation to <strong class="sent-to">a•••@example.org</strong>' in html
    assert "avery.quinn@example.org" not in html
    assert "Avery" not in html and "Quinn" not in html
    # Reloaded (or opened by the next person on this phone): the booking form.
    again = client.get(reverse("booking:confirmed"))
    assert again.status_code == 302 and again["Location"] == URL
    # A session that remembers the booking is not enough without the one-time cookie.
    assert client.session[views.SESSION_KEY]["pk"] == Consultation.objects.get().pk
    assert client.get(reverse("booking:confirmed")).status_code == 302


@pytest.mark.parametrize(
    "address, masked",
    [("avery.quinn@example.org", "a•••@example.org"), ("x@y.org", "x•••@y.org"), ("odd", "•••")],
)
def test_mask_email(address, masked):
    assert views.mask_email(address) == masked
