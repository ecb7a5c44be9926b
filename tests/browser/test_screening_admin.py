"""The screening pages of the admin pass axe, for the clinician and the front desk."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from intake import flags, services
from intake.models import Screening
from mindscape import roles
from tests.builders.intake import CALM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def screening():
    draft = Screening.objects.create(
        identity={"name": "Rowan Ashby-Ferreira", "email": "rowan@example.org"},
        answers={**CALM, "phq9": {**CALM["phq9"], "q9": 1}},
    )
    return services.screening_submit(screening=draft)


def test_clinician_opens_a_screening_and_adds_a_note(staff_page, axe_check, screening):
    page = staff_page(roles.CLINICIAN)
    page.goto(reverse("admin:intake_screening_changelist"))
    rows = page.locator("#result_list")
    expect(rows.get_by_text(flags.Urgency(4).label)).to_be_visible()
    expect(rows).to_contain_text("PHQ-9 item 9 (thoughts of being better off dead or of self-harm)")
    axe_check(page)
    page.goto(reverse("admin:intake_screening_change", args=[screening.pk]))
    expect(page.get_by_text("Rowan Ashby-Ferreira")).to_be_visible()
    axe_check(page)
    page.get_by_label("Note (stored encrypted").fill("Called, left a voicemail")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Called, left a voicemail")).to_be_visible()
    axe_check(page)


def test_front_desk_sees_the_queue_without_contents(staff_page, axe_check, screening):
    page = staff_page(roles.FRONT_DESK)
    page.goto(reverse("admin:intake_screening_changelist"))
    rows = page.locator("#result_list")
    expect(rows.get_by_text("Urgent", exact=True)).to_be_visible()  # a neutral band
    expect(rows).not_to_contain_text("PHQ-9")
    assert "Rowan" not in page.content()
    assert page.locator(f'a[href*="/screening/{screening.pk}/"]').count() == 0
    axe_check(page)
