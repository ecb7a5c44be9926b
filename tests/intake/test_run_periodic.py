"""``run_periodic``: screening alerts run first, and a job that fails neither stops the others
nor puts anything about a patient in the log; the command then exits non-zero for cron."""

import datetime as dt
import io
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from blog.models import ZeroResultSearch
from booking import retention as booking_retention
from intake import escalation
from intake.models import Screening, StaffAlert
from mindscape.management.commands import run_periodic
from mindscape.privacy import PersonalDataFilter
from tests.builders.intake import IDENTITY, OLD, screening, submitted

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 6, 1, 12, tzinfo=ZoneInfo("America/New_York"))
SECRET = "Solveig Achterberg-Nakamura, 1981-07-23"


def boom(*args, **kwargs):
    raise RuntimeError(f"could not process {SECRET}")


@pytest.fixture
def work():
    """Something for every screening job: an urgent screening unacknowledged for five hours
    (no opening hours entered: the clock counts), a form left after a risk answer, an
    expired screening and a search to forget."""
    with time_machine.travel(NOW - dt.timedelta(hours=5), tick=False):
        urgent = submitted(1)
        left = Screening.objects.create(identity=IDENTITY, answers={}, draft_urgency=2)
    expired = screening("reviewed", changed=OLD)
    ZeroResultSearch.objects.create(query="old words", last_seen=NOW.date() - dt.timedelta(days=91))
    return {"urgent": urgent, "left": left, "expired": expired}


def run() -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("run_periodic", stdout=out)
    return out.getvalue().strip()


def test_stranded_tasks_then_escalation_and_left_forms_run_first():
    names = [name for name, _ in run_periodic.jobs()]
    assert names[:3] == [
        "stale tasks queued again",  # alerts and emails a lost worker left behind
        "screening escalations queued",
        "left-form alerts queued",
    ]


def test_a_failing_job_stops_neither_escalation_nor_the_jobs_after_it(work, monkeypatch, caplog):
    monkeypatch.setattr(booking_retention, "apply", boom)
    with caplog.at_level(logging.ERROR), pytest.raises(CommandError) as failure:
        run()
    assert str(failure.value) == "1 periodic job(s) failed: contacts anonymised (retention)"
    assert set(work["urgent"].alerts.values_list("kind", flat=True)) >= set(StaffAlert.ESCALATIONS)
    assert list(work["left"].alerts.values_list("kind", flat=True)) == ["abandoned_risk_draft"]
    assert not Screening.objects.filter(pk=work["expired"].pk).exists()
    assert not ZeroResultSearch.objects.exists()
    # The log says which job, with a traceback; what reaches a handler says nothing more.
    (record,) = [r for r in caplog.records if r.name == run_periodic.__name__]
    assert record.getMessage() == "Periodic job failed: contacts anonymised (retention)"
    PersonalDataFilter().filter(record)
    assert "RuntimeError" in record.exc_text
    assert "Solveig" not in record.getMessage() + record.exc_text
    assert "1981" not in record.exc_text


def test_a_failing_escalation_does_not_stop_the_left_form_alert(work, monkeypatch):
    monkeypatch.setattr(escalation, "escalate", boom)
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False), pytest.raises(CommandError):
        call_command("run_periodic", stdout=out)
    assert out.getvalue().strip() == (
        "0 reminders queued, 1 left-form alerts queued, 1 screenings deleted (retention), "
        "0 consultations anonymised, 0 call-back requests anonymised, 1 searches forgotten, "
        "0 rate-limit counters deleted, 0 stale tasks queued again; "
        "failed: screening escalations queued"
    )
    assert list(work["left"].alerts.values_list("kind", flat=True)) == ["abandoned_risk_draft"]
    assert not work["urgent"].alerts.filter(kind__in=StaffAlert.ESCALATIONS).exists()


def test_with_nothing_failing_the_command_succeeds(work):
    assert run().startswith("0 reminders queued, 2 screening escalations queued, 1 left-form")
