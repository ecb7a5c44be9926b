"""The registry of periodic jobs: each app registers its own (``<app>/periodic.py``, imported
by its ``AppConfig.ready()``); ``manage.py run_periodic`` runs them and imports no app.

A job is a function of no arguments that returns a count, or counts by name.  Jobs run by
stage, in the order below; the jobs of one stage in the order they were registered (the
order of ``INSTALLED_APPS``).  The stages put first what must not wait behind housekeeping.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

Result = int | dict[str, int]


class Stage(enum.IntEnum):
    RECOVER = 1  # work a lost task worker left running, queued again before anything else
    ALERT = 2  # staff alerts about patients: nothing urgent waits
    REMIND = 3  # reminders due now
    DELETE = 4  # retention: health data deleted
    ANONYMISE = 5  # retention: contact details anonymised
    FORGET = 6  # what visitors typed, kept no longer than its use
    EXPIRE = 7  # counters whose window has ended


@dataclass(frozen=True)
class Job:
    name: str  # what the summary line and a failure's log line call it
    stage: Stage
    run: Callable[[], Result]


class Registry:
    def __init__(self) -> None:
        self._jobs: list[Job] = []

    def job(self, name: str, *, stage: Stage) -> Callable[[Callable[[], Result]], Callable]:
        """Decorator: register a function as the periodic job ``name``."""

        def register(run: Callable[[], Result]) -> Callable[[], Result]:
            if any(job.name == name for job in self._jobs):
                raise ValueError(f"A periodic job is already called {name!r}.")
            self._jobs.append(Job(name=name, stage=stage, run=run))
            return run

        return register

    def jobs(self) -> list[Job]:
        """Every job, in the order they run (sorting is stable: registration order within
        a stage)."""
        return sorted(self._jobs, key=lambda job: job.stage)


registry = Registry()
job = registry.job
