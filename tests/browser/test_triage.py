"""A clinician signs in, opens the top of the screening queue, reads the summary and
acknowledges it (what was done); axe checks every admin page used."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from audit.models import AuditEntry
from intake import flags
from intake.models import Acknowledgement
from intake.seed import seed_screenings
from mindscape import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_triages_the_most_urgent_screening(staff_page, axe_check):
    seed_screenings()
    page = staff_page(roles.CLINICIAN)
    page.goto(reverse("admin:intake_screening_changelist"))
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(flags.Urgency(1).label)
    expect(first_row).to_contain_text("C-SSRS Q4: suicidal thoughts with some intention")
    expect(first_row).to_contain_text("Awaiting acknowledgement")
    axe_check(page)

    first_row.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Acknowledge this screening")).to_be_visible()
    expect(page.get_by_text("Avery Demo-Lindqvist")).to_be_visible()
    expect(page.get_by_role("row", name="C-SSRS screen High")).to_be_visible()
    cssrs = page.get_by_role("region", name="C-SSRS screen, every answer")
    expect(cssrs.get_by_role("row").filter(has_text="Yes")).to_have_count(4)
    axe_check(page)

    # Marking it reviewed first is refused: it needs an acknowledgement.
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_text("acknowledge it (say what was done)")).to_be_visible()

    # A missing note is refused with a clear message; the choice made is kept.
    page.get_by_label("Called the patient").check()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Say in a few words what was done.")).to_be_visible()
    expect(page.get_by_label("Called the patient")).to_be_checked()
    axe_check(page)

    page.get_by_label("In a few words").fill("Spoke with them; safety plan agreed, call tomorrow")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged.", exact=True)).to_be_visible()
    expect(page.get_by_text("safety plan agreed")).to_be_visible()
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Printable view").click()
    expect(page.get_by_text("Confidential patient information")).to_be_visible()
    axe_check(page)

    ack = Acknowledgement.objects.get()
    assert (ack.action, ack.by) == (Acknowledgement.Action.CALLED_PATIENT, page.user)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "screening_viewed",
        "screening_acknowledged",
        "screening_reviewed",
        "screening_printed",
    } <= actions
