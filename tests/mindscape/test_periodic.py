"""The registry of periodic jobs: every app's jobs, run by stage, urgent work first."""

import pytest

from mindscape.management.commands import run_periodic
from mindscape.periodic import Registry, Stage


def test_every_app_registers_its_jobs_and_they_run_in_the_order_they_always_had():
    assert [name for name, _ in run_periodic.jobs()] == [
        "stale tasks queued again",
        "screening escalations queued",
        "left-form alerts queued",
        "reminders queued",
        "screenings deleted (retention)",
        "contacts anonymised (retention)",
        "searches forgotten",
        "rate-limit counters deleted",
    ]


def test_jobs_run_by_stage_then_in_the_order_they_were_registered():
    registry = Registry()
    for name, stage in [
        ("housekeeping", Stage.EXPIRE),
        ("first alert", Stage.ALERT),
        ("recovery", Stage.RECOVER),
        ("second alert", Stage.ALERT),
    ]:
        registry.job(name, stage=stage)(lambda: 0)
    assert [job.name for job in registry.jobs()] == [
        "recovery",
        "first alert",
        "second alert",
        "housekeeping",
    ]


def test_two_jobs_of_one_name_are_refused():
    # The name is how a failure is logged and counted: it must say which job.
    registry = Registry()
    registry.job("searches forgotten", stage=Stage.FORGET)(lambda: 0)
    with pytest.raises(ValueError, match="already called 'searches forgotten'"):
        registry.job("searches forgotten", stage=Stage.EXPIRE)(lambda: 1)


def test_a_count_not_in_the_usual_summary_comes_after_it():
    counts = {"new job done": 3, "reminders queued": 1, "stale tasks queued again": 0}
    assert run_periodic.summary_order(counts) == [
        "reminders queued",
        "stale tasks queued again",
        "new job done",
    ]
