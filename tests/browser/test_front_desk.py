"""The front desk on the phone, in a real browser: book a caller from the free times,
an out-of-hours time, the list at 1280 px, confirmations before closing a booking.
axe (the admin's WCAG 2.2 AA bar) on every page visited.

No time travel (the browser's clock is real): the location is open every day 09:00–17:00
New York time, and the tests pick times on the second day shown or later.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from audit.models import AuditEntry
from booking import schedule
from booking.models import Consultation
from clinic.seed import seed_clinic
from mindscape import roles
from tests.axe import assert_admin_page_accessible as axe
from tests.conftest import DESKTOP, PHONE
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOOK = reverse("admin:booking_consultation_book")
LIST = reverse("admin:booking_consultation_changelist")
# Screenshots of the changed admin pages, to look at (Playwright makes the folder).
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/mindscape-screenshots")


def shot(page, name: str) -> None:
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def portland():
    seed_clinic()
    location = LocationFactory(name="Portland clinic", position=1, min_notice_hours=2)
    phone_call = ConsultationTypeFactory(
        name="Phone call", kind="phone", position=1, locations=[location]
    )
    return location, phone_call


def fill_caller(page) -> None:
    page.get_by_label("Patient's first name").fill("Robin")
    page.get_by_label("Patient's last name").fill("Okafor")
    page.get_by_label("Patient's email").fill("robin.okafor@example.org")
    page.get_by_label("Patient's mobile phone").fill("(207) 555-0188")
    page.get_by_label("The patient agreed to be contacted").check()


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_front_desk_books_a_caller_from_the_free_times(staff_page, portland, width):
    location, phone_call = portland
    page = staff_page(roles.FRONT_DESK, width=width)
    page.goto(LIST)
    page.get_by_role("link", name="Book a consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a consultation for a patient")
    # The times show at once, for the location and type already chosen.
    expect(
        page.get_by_role("heading", name="Free times: Phone call, Portland clinic")
    ).to_be_visible()
    expect(page.get_by_role("group", name="How should we contact the patient?")).to_be_visible()
    axe(page)
    shot(page, f"book-{width}")

    fill_caller(page)
    second_day = page.locator(".free-times .free-day").nth(1)
    day_name = second_day.locator("h3").inner_text()
    pick = second_day.get_by_role("button").nth(2)
    label = pick.inner_text()
    pick.click()  # one click: the date and time are filled in
    expect(page.locator(".picked")).to_contain_text(day_name.split(",")[1].strip())
    expect(page.get_by_label("Patient's first name")).to_have_value("Robin")  # kept
    expect(page.locator(".errorlist")).to_have_count(0)
    assert not Consultation.objects.exists()
    axe(page)
    shot(page, f"book-picked-{width}")

    page.locator(".submit-row").get_by_role("button", name="Book").click()
    expect(page.get_by_text("Consultation booked.")).to_be_visible()
    consultation = Consultation.objects.get()
    local = consultation.local_start
    assert f"{local:%-I:%M %p}" == label
    assert f"{local:%A, %B %-d}" == day_name
    assert not AuditEntry.objects.get(action="consultation_booked").detail["schedule_override"]
    axe(page)


def test_an_out_of_hours_time_says_so_and_offers_the_nearest(staff_page, portland):
    page = staff_page(roles.FRONT_DESK)
    page.goto(BOOK)
    fill_caller(page)
    day = dt.date.today() + dt.timedelta(days=3)
    page.get_by_label("Date:").fill(day.isoformat())
    page.get_by_label("Time:").fill("19:00")
    page.locator(".submit-row").get_by_role("button", name="Book").click()
    expect(page.locator(".errorlist")).to_have_text(
        "Outside opening hours — tick ‘Allow a time outside opening hours’ to book it "
        "anyway, or pick one of the nearest free times."
    )
    nearest = page.get_by_role("group", name="Nearest free times").get_by_role("button")
    expect(nearest).to_have_count(3)
    assert not Consultation.objects.exists()
    axe(page)
    shot(page, "book-out-of-hours-1280")

    # Picking one of them keeps everything typed; booking it needs no override.
    nearest.last.click()
    page.locator(".submit-row").get_by_role("button", name="Book").click()
    expect(page.get_by_text("Consultation booked.")).to_be_visible()
    assert Consultation.objects.get().local_start.hour < 17

    # Or the override, typed, as before.
    page.goto(BOOK)
    fill_caller(page)
    page.get_by_label("Date:").fill(day.isoformat())
    page.get_by_label("Time:").fill("19:00")
    page.get_by_label("Allow a time outside opening hours").check()
    # Enter in a text box books (the form's default button), never a picker button.
    page.get_by_label("Patient's mobile phone").press("Enter")
    expect(page.get_by_text("Consultation booked.")).to_be_visible()
    assert Consultation.objects.order_by("pk").last().local_start.hour == 19


def test_the_list_fits_and_closing_a_booking_asks_first(staff_page, portland):
    location, phone_call = portland
    started = book(
        location,
        phone_call,
        schedule.open_slots(location, phone_call)[20].start,
        details={"first_name": "Avery", "last_name": "Quinn"},
    )
    # It has started (the action refuses a future one): move its start into the past.
    Consultation.objects.filter(pk=started.pk).update(
        starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        ends_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30),
    )
    page = staff_page(roles.FRONT_DESK)
    page.goto(LIST)
    shot(page, "consultations-1280")
    # Every column in view: none cut off by the page or by the list's own scroll box.
    visible = page.locator("#changelist .results").bounding_box()
    assert visible["x"] + visible["width"] <= DESKTOP
    for field in ("starts", "name", "type_name", "status", "reference", "location"):
        box = page.locator(f"#result_list thead th.column-{field}").bounding_box()
        assert box["x"] + box["width"] <= visible["x"] + visible["width"] + 1, field
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP
    row = page.locator("#result_list tbody tr")
    expect(row).to_contain_text(started.reference)
    expect(row.locator("td.field-crisis")).to_have_text("")
    axe(page)
    shot(page, "consultations-1280")

    for action, question, button in [
        ("Mark as no-show", "Mark these consultations as no-shows?", "Yes, mark as no-show"),
        ("Mark as completed", "Mark these consultations as completed?", "Yes, mark as completed"),
    ]:
        page.goto(LIST)
        page.locator("#result_list tbody tr").get_by_role("checkbox").check()
        page.get_by_label("Action:").select_option(label=action)
        page.get_by_role("button", name="Go").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(question)
        expect(page.locator(".confirm-list li")).to_contain_text(started.reference)
        expect(page.locator(".confirm-list li")).to_contain_text("Avery Quinn")
        axe(page)
        shot(page, f"confirm-{action.split()[-1]}-1280")
        assert Consultation.objects.get().status == Consultation.Status.BOOKED
        if action == "Mark as no-show":
            page.get_by_role("link", name="No, go back").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("consultation")
            continue
        page.get_by_role("button", name=button).click()
        expect(page.get_by_text("1 marked completed.")).to_be_visible()
        assert Consultation.objects.get().status == Consultation.Status.COMPLETED
        axe(page)

    # The record: no crisis section for an ordinary booking.
    page.goto(reverse("admin:booking_consultation_change", args=[started.pk]))
    expect(page.get_by_text(re.compile("Crisis wording"))).to_have_count(0)
    axe(page)


def test_the_move_page_has_the_picker_and_one_breadcrumbs_landmark(staff_page, portland):
    location, phone_call = portland
    consultation = book(location, phone_call, schedule.open_slots(location, phone_call)[40].start)
    page = staff_page(roles.FRONT_DESK)
    page.goto(reverse("admin:booking_consultation_move", args=[consultation.pk]))
    expect(page.get_by_role("navigation", name="Breadcrumbs")).to_have_count(1)
    second_day = page.locator(".free-times .free-day").nth(1)
    second_day.get_by_role("button").first.click()
    expect(page.locator(".picked")).to_be_visible()
    axe(page)
    page.locator(".submit-row").get_by_role("button", name="Move").click()
    expect(page.get_by_text("Consultation moved.")).to_be_visible()
    for name in ("admin:booking_consultation_cancel", None):
        if name:
            page.goto(reverse(name, args=[consultation.pk]))
        else:
            page.goto(reverse("admin:booking_consultation_feed"))
        expect(page.get_by_role("navigation", name="Breadcrumbs")).to_have_count(1)
        axe(page)
