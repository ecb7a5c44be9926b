"""Builders for the mindscape tests: shared data and helpers test modules import."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection
from django.utils import timezone

from audit import log as audit
from booking.models import (
    CallbackRequest,
    Closure,
    Consultation,
    MessageDelivery,
    StaffCalendarFeed,
)
from intake.models import Screening, StaffAlert
from tests.factories import (
    PATIENT,
    ArticleFactory,
    CategoryFactory,
    ConsultationTypeFactory,
    ContributorFactory,
    LocationFactory,
    PageFactory,
    TagFactory,
    UserFactory,
)


def gunicorn_environment(port):
    db = connection.settings_dict
    query = urlencode({key: db[key.upper()] for key in ("host", "port") if db[key.upper()]})
    user = quote(db["USER"], safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))}
    env.update(
        # Production settings with plain static storage: a fresh checkout has no
        # collectstatic manifest (the two-server tests use the same module).
        DJANGO_SETTINGS_MODULE="tests.deploy.server_settings",
        DATABASE_URL=f"postgres://{user}@/{db['NAME']}?{query}",
        SECRET_KEY=settings.SECRET_KEY,  # the links were signed with it
        ALLOWED_HOSTS="127.0.0.1",
        INTAKE_ENCRYPTION_KEYS=",".join(settings.INTAKE_ENCRYPTION_KEYS),
        INTAKE_LOOKUP_KEY=settings.INTAKE_LOOKUP_KEY,
        INTAKE_FORM_ENABLED="true",
        SECURE_SSL_REDIRECT="false",
        LOG_FORMAT="json",
        LOG_LEVEL="DEBUG",
        WEB_CONCURRENCY="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
    )
    return env


def fetch(base, path, **headers):
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 — http only
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


ROOT = Path(__file__).resolve().parents[2]


GOOD_ENV = {
    "SECRET_KEY": "k" * 30 + "-production-secret-for-tests-only",
    "DATABASE_URL": "postgres://clinic@127.0.0.1:1/clinic",
    "ALLOWED_HOSTS": "clinic.example",
    "INTAKE_ENCRYPTION_KEYS": "wtmVUmHoBkGDKwfQdFNCVwIp_gk7C7yHnPe5tB0iCRI=",
    "INTAKE_LOOKUP_KEY": "l" * 40,
}


def run_prod(code: str, **env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in GOOD_ENV and not key.startswith("DJANGO")
    }
    env.update(GOOD_ENV)
    env.update(env_overrides)
    env = {k: v for k, v in env.items() if v is not None}
    env["DJANGO_SETTINGS_MODULE"] = "mindscape.settings.prod"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


START = timezone.now() + dt.timedelta(days=3)


def _consultations(count):
    location = LocationFactory(capacity=1)
    kind = ConsultationTypeFactory(locations=[location])
    made = []
    for _ in range(count):
        start = START + dt.timedelta(hours=Consultation.objects.count())
        made.append(
            Consultation.objects.create(
                location=location,
                consultation_type=kind,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=30),
                blocked_until=start + dt.timedelta(minutes=40),
                **PATIENT,
            )
        )
    return made


def _screenings(count):
    return [
        Screening.objects.create(
            status=Screening.Status.SUBMITTED,
            identity={"name": "A Patient", "email": "a@example.org"},
            answers={},
            urgency=3,
            submitted_at=timezone.now(),
            consultation=consultation,
        )
        for consultation in _consultations(count)
    ]


def _revisions(count):
    from blog.models import ArticleRevision

    for article in ArticleFactory.create_batch(count):
        ArticleRevision.objects.create(
            article=article,
            title=article.title,
            summary=article.summary,
            body=article.body,
            created_by=UserFactory(),
            decided_by=UserFactory(),
        )


def _task_results(count):
    from tests.deploy.tasks import take_a_moment

    for number in range(count):
        take_a_moment.enqueue(number)


def _audit_entries(count):
    actor = UserFactory()
    for page in PageFactory.create_batch(count):
        audit.record(actor, "page_changed", page, {"fields": ["title"]})


def _zero_result_searches(count):
    from blog.models import ZeroResultSearch

    start = ZeroResultSearch.objects.count()
    ZeroResultSearch.objects.bulk_create(
        ZeroResultSearch(query=f"nothing {n}") for n in range(start, start + count)
    )


def _groups(count):
    from django.contrib.auth.models import Group, Permission

    start = Group.objects.count()
    for n in range(start, start + count):
        Group.objects.create(name=f"Group {n}").permissions.set(Permission.objects.all()[:3])


def _access_attempts(count):
    from axes.models import AccessAttempt

    start = AccessAttempt.objects.count()
    AccessAttempt.objects.bulk_create(
        AccessAttempt(
            username=f"staff{n}",
            ip_address=f"192.0.2.{n % 250}",
            user_agent="test",
            http_accept="text/html",
            path_info="/admin/login/",
            get_data="",
            post_data="",
            failures_since_start=1,
        )
        for n in range(start, start + count)
    )


ROWS = {  # model label → make(count): adds that many rows the list page shows
    "axes.AccessAttempt": _access_attempts,
    "auth.Group": _groups,
    "auth.User": lambda n: UserFactory.create_batch(n),
    "django_tasks_database.DBTaskResult": _task_results,
    "clinic.Page": lambda n: PageFactory.create_batch(n),
    "audit.AuditEntry": _audit_entries,
    "blog.Article": lambda n: ArticleFactory.create_batch(
        n, categories=[CategoryFactory(name="Depression"), CategoryFactory(name="Anxiety")]
    ),
    "blog.ArticleRevision": _revisions,
    "blog.Category": lambda n: CategoryFactory.create_batch(n),
    "blog.Tag": lambda n: TagFactory.create_batch(n),
    "blog.Contributor": lambda n: [ContributorFactory(user=UserFactory()) for _ in range(n)],
    "blog.ZeroResultSearch": _zero_result_searches,
    "booking.CallbackRequest": lambda n: [
        CallbackRequest.objects.create(location=LocationFactory(), **PATIENT) for _ in range(n)
    ],
    "booking.Consultation": _consultations,
    "booking.MessageDelivery": lambda n: [
        MessageDelivery.objects.create(
            consultation=c, kind="confirmation", starts_at=c.starts_at, sequence=0
        )
        for c in _consultations(n)
    ],
    "booking.StaffCalendarFeed": lambda n: [
        StaffCalendarFeed.objects.create(user=UserFactory(), token_hash=uuid.uuid4().hex)
        for _ in range(n)
    ],
    "booking.Location": lambda n: LocationFactory.create_batch(n),
    "booking.ConsultationType": lambda n: [
        ConsultationTypeFactory(locations=[LocationFactory()]) for _ in range(n)
    ],
    "booking.Closure": lambda n: [
        Closure.objects.create(
            location=LocationFactory(), first_day=dt.date(2027, 1, 4), last_day=dt.date(2027, 1, 5)
        )
        for _ in range(n)
    ],
    "intake.Screening": _screenings,
    "intake.StaffAlert": lambda n: [
        StaffAlert.objects.create(screening=s, kind=StaffAlert.Kind.choices[0][0])
        for s in _screenings(n)
    ],
}
