"""An urgent screening alerts clinical staff at once, through the worker, with no details."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from intake import services
from intake.models import Screening, StaffAlert
from tests.builders.intake import CALM, NOTHING

# The worker closes connections between tasks: real transactions, as on the site.
pytestmark = pytest.mark.django_db(transaction=True)
NAME = "Ines Marchetti-Holm"


def submit(**changes) -> Screening:
    draft = Screening.objects.create(
        identity={"name": NAME, "email": "ines.mh@example.org", "date_of_birth": "1979-02-11"},
        answers={**CALM, **changes},
    )
    return services.screening_submit(screening=draft)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


@pytest.mark.parametrize(
    ("changes", "subject"),
    [
        ({"phq9": {**CALM["phq9"], "q9": 2}}, "Priority: a screening needs review now"),
        ({"phq9": {**CALM["phq9"], "q9": 3}}, "Priority: a screening needs review now"),
        (
            {"cssrs": {"q1": 1, "q2": 1, "q3": 0, "q4": 0, "q5": 1, "q6": 0}},
            "Priority: a screening needs review now",
        ),
        (
            {"cssrs": {"q1": 0, "q2": 0, "q6": 1, "q6_recent": 0}},
            "Priority: a screening needs review now",
        ),
        # Every positive suicide screen reaches a clinician: question 2 alone, question 1
        # alone, item 9 = 1.
        (
            {"cssrs": {"q1": 0, "q2": 1, "q3": 0, "q4": 0, "q5": 0, "q6": 0}},
            "A screening needs review",
        ),
        ({"cssrs": {"q1": 1, "q2": 0, "q6": 0}}, "A screening needs review"),
        ({"phq9": {**CALM["phq9"], "q9": 1}}, "A screening needs review"),
    ],
)
def test_urgent_screenings_alert_clinical_staff_without_details(changes, subject):
    screening = submit(**changes)
    assert screening.urgency <= 4
    run_worker()
    (message,) = mail.outbox
    assert message.subject == subject
    assert message.to == ["clinical@mindscape.example"]
    assert f"/admin/intake/screening/{screening.pk}/change/" in message.body
    for detail in (NAME, "ines", "1979", "PHQ", "item", str(screening.phq9_total) + " "):
        assert detail.lower() not in message.body.lower()
        assert detail.lower() not in message.subject.lower()
    assert StaffAlert.objects.get().status == "sent"
    for result in DBTaskResult.objects.all():
        assert result.args_kwargs == {"args": [StaffAlert.objects.get().pk], "kwargs": {}}


@pytest.mark.parametrize(
    "changes",
    [{}, {"prescreen": {**NOTHING, "stroke": True}}, {"prescreen": {**NOTHING, "psychosis": True}}],
)
def test_screenings_below_urgency_4_raise_no_immediate_alert(changes):
    assert submit(**changes).urgency > 4
    run_worker()
    assert mail.outbox == []
    assert not StaffAlert.objects.exists()


def test_a_failing_mail_server_is_retried_then_listed_as_failed(settings):
    settings.EMAIL_BACKEND = "tests.booking.backends.AlwaysFails"
    settings.MESSAGE_MAX_ATTEMPTS = 2
    with time_machine.travel(dt.datetime(2026, 12, 1, 15, tzinfo=dt.UTC), tick=False) as clock:
        submit(phq9={**CALM["phq9"], "q9": 3})
        run_worker()
        assert StaffAlert.objects.get().attempts == 1
        clock.shift(dt.timedelta(seconds=61))
        run_worker()
    alert = StaffAlert.objects.get()
    assert (alert.status, alert.attempts, alert.last_error) == (
        "failed",
        2,
        "ConnectionRefusedError",
    )


def test_an_alert_is_sent_even_if_the_process_dies_right_after_the_commit(monkeypatch):
    # Dying between the commit and the on-commit hooks: the hooks never run.
    monkeypatch.setattr(transaction, "on_commit", lambda *args, **kwargs: None)
    screening = submit(phq9={**CALM["phq9"], "q9": 3})
    run_worker()
    (message,) = mail.outbox
    assert f"/admin/intake/screening/{screening.pk}/change/" in message.body
    assert StaffAlert.objects.get().status == "sent"


def test_an_alert_whose_change_is_rolled_back_leaves_no_task_behind():
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(phq9={**CALM["phq9"], "q9": 3})
        raise RuntimeError("the request failed after the screening was sent")
    assert not StaffAlert.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []
