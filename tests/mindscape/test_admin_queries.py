"""Every admin list page runs the same number of queries with N rows as with 3N.

The pages come from the admin registry itself, so a new admin page is measured as soon as
it is registered — and this test fails until ``ROWS`` says how to make its rows.
"""

import datetime as dt
import uuid

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import (
    CallbackRequest,
    Closure,
    Consultation,
    MessageDelivery,
    StaffCalendarFeed,
)
from intake.models import Screening, StaffAlert
from mindscape import audit
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

pytestmark = pytest.mark.django_db
N = 4
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
            consultation_id=consultation.pk,
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
    "mindscape.Page": lambda n: PageFactory.create_batch(n),
    "mindscape.AuditEntry": _audit_entries,
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
# Admin pages without a list of their own.
NO_LIST = {"mindscape.Clinic": "one row: its list page opens that row"}


def changelists() -> list[str]:
    return sorted(model._meta.label for model in admin.site._registry)


def test_every_admin_list_page_is_measured():
    missing = set(changelists()) - set(ROWS) - set(NO_LIST)
    assert not missing, f"Say how to make rows for these admin pages in ROWS: {sorted(missing)}"


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("label", [label for label in changelists() if label not in NO_LIST])
def test_admin_list_queries_do_not_grow_with_rows(client, staff_user, label):
    make = ROWS[label]
    client.force_login(staff_user("Administrator", is_superuser=True))
    app_label, model_name = label.lower().split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    make(N)
    client.get(url)  # warm: content types, clinic facts, the session
    few = count_queries(client, url)
    make(2 * N)
    assert count_queries(client, url) == few, f"{label}: more rows, more queries"
