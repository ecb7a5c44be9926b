"""Redis stopped or frozen under a running site: real gunicorn, real redis-server, stopped
(SIGTERM) or frozen (SIGSTOP: the kernel still accepts connections, nothing answers).

The site keeps working on PostgreSQL alone: pages render, sessions are read from the
database, rate limits are counted in PostgreSQL, and a booking committed as Redis fails
reaches its confirmation exactly once.  ``/readyz`` still says the cache is not ready.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection

from booking.models import Consultation
from booking.services import LOCATION_LOCK
from clinic.models import Clinic, Page
from clinic.seed import seed_pages
from mindscape import rediscache
from mindscape.models import RateLimitCount
from staff.sessions import signed_in_session
from tests.builders.deploy import book_path, filled_form, open_for_a_while
from tests.deploy.conftest import IP_LIMIT, MIN_FILL_SECONDS, server_env
from tests.deploy.servers import AppServer
from tests.factories import ConsultationTypeFactory, LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)
CONFIRMED = "Your free consultation is booked"
QUICK = 2.0  # seconds: the most any request may take while Redis is away
PATIENT_TIMEOUT = 20  # a request still waiting after this has hung (no Redis timeout)


@pytest.fixture
def clinic():
    Clinic.load()
    seed_pages()
    location = LocationFactory(capacity=2)
    phone_call = ConsultationTypeFactory(name="Phone call", locations=[location])
    return location, phone_call


@pytest.fixture
def server(transactional_db, tmp_path, redis, settings):
    """One gunicorn server (two workers) with production settings and a private Redis."""
    instance = AppServer("A", tmp_path, server_env(settings, redis.url))
    yield instance
    instance.stop()


def timed(client, method: str, path: str, data=None):
    started = time.monotonic()
    response = client.request(method, path, data)
    return response, time.monotonic() - started


def follow(client, response):
    """The page a browser ends on; every redirect must be the bare confirmation address."""
    if response.status == 302:
        assert response.headers["Location"] == "/consultation/booked/"
        response = client.get("/consultation/booked/")
    return response


def manage_link(page) -> str:
    start = page.text.index('class="manage-link"><a href="') + len('class="manage-link"><a href="')
    return page.text[start : page.text.index('"', start)]


def booking_in(link: str) -> str:
    """The signed value's payload: which booking a private link opens.  Two links to one
    booking made in different seconds differ in their timestamp and signature only."""
    return link.rstrip("/").rsplit("/", 1)[1].rsplit(":", 2)[0]


def open_booking_form(server, location, phone_call, address: str):
    patient = server.client(forwarded_for=address, timeout=PATIENT_TIMEOUT)
    page = patient.get(book_path(location, phone_call))
    assert page.status == 200
    return patient, page


def wait_for_a_waiting_advisory_lock(timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the booking never reached the location's lock")


# --- A committed booking reaches its confirmation ---------------------------------------------


def test_a_booking_committed_as_redis_freezes_shows_its_confirmation_once(server, redis, clinic):
    location, phone_call = clinic
    start = open_for_a_while(location, phone_call, 1)[0]
    path = book_path(location, phone_call)
    patient, page = open_booking_form(server, location, phone_call, "198.51.100.20")
    time.sleep(MIN_FILL_SECONDS + 0.2)
    form = filled_form(page, start, 1)

    # The test holds the location's booking lock: the POST passes the rate limit (counted in
    # Redis), then waits at the lock.  Redis is frozen there, and the lock let go: the
    # booking commits with Redis already gone, and the session is written after that.
    result = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCATION_LOCK, location.pk])
        try:
            sender = threading.Thread(target=lambda: result.update(sent=patient.post(path, form)))
            sender.start()
            wait_for_a_waiting_advisory_lock()
            redis.freeze()
            let_go_at = time.monotonic()
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCATION_LOCK, location.pk])
    sender.join(timeout=PATIENT_TIMEOUT + 5)
    assert "sent" in result, "the booking request did not come back"
    confirmation = follow(patient, result["sent"])
    assert time.monotonic() - let_go_at < 2 * QUICK

    assert confirmation.status == 200, confirmation.text[:500]
    assert CONFIRMED in confirmation.text
    booked = Consultation.objects.get()
    assert booked.starts_at == start

    # The patient sends the same form again (back, then send; or a reload of the POST):
    # the same booking's confirmation, not a second seat.
    again = follow(patient, patient.post(path, form))
    assert again.status == 200 and CONFIRMED in again.text
    assert booking_in(manage_link(again)) == booking_in(manage_link(confirmation))
    assert Consultation.objects.count() == 1
    assert str(booked.pk) not in manage_link(confirmation).split("/")


@pytest.fixture
def session_table_refuses_writes():
    """PostgreSQL refuses every write to the session table (a real database error)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_session() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'session writes refused by the test'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_session BEFORE INSERT OR UPDATE ON django_session "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_session()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER test_refuse_session ON django_session")
        cursor.execute("DROP FUNCTION test_refuse_session()")


def test_a_booking_whose_session_cannot_be_written_shows_its_confirmation_at_once(
    server, redis, clinic, session_table_refuses_writes
):
    location, phone_call = clinic
    start = open_for_a_while(location, phone_call, 1)[0]
    path = book_path(location, phone_call)
    patient, page = open_booking_form(server, location, phone_call, "198.51.100.21")
    time.sleep(MIN_FILL_SECONDS + 0.2)
    form = filled_form(page, start, 2)

    first = patient.post(path, form)
    assert first.status == 200, first.text[:500]  # the confirmation itself, no redirect
    assert CONFIRMED in first.text
    assert Consultation.objects.count() == 1

    # Sent again and again (more often than the rate limit allows new requests): each time
    # the same booking's confirmation, never a second booking nor a refusal.
    for _ in range(IP_LIMIT):
        again = patient.post(path, form)
        assert again.status == 200 and CONFIRMED in again.text
        assert booking_in(manage_link(again)) == booking_in(manage_link(first))
    assert Consultation.objects.count() == 1
    assert settings.SESSION_COOKIE_NAME not in patient.cookies  # nothing was remembered


# --- The site runs on PostgreSQL while Redis is away ------------------------------------------


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_with_redis_away_the_site_runs_on_postgresql(server, redis, clinic, staff_user, fault):
    location, phone_call = clinic
    start = open_for_a_while(location, phone_call, 1)[0]
    path = book_path(location, phone_call)
    visitor = server.client(timeout=PATIENT_TIMEOUT)
    for page in ("/", "/about/", "/blog/", "/search/?q=about"):
        assert visitor.get(page).status == 200  # cached in Redis
    assert visitor.get("/readyz").status == 200
    staff = server.client(timeout=PATIENT_TIMEOUT)
    staff.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(
        staff_user("Administrator", is_superuser=True)
    )
    assert staff.get("/admin/").status == 200

    redis.stop() if fault == "stopped" else redis.freeze()

    for _ in range(3):  # both workers, more than once each
        for page in ("/", "/about/", "/blog/", "/search/?q=about", "/healthz"):
            response, took = timed(visitor, "GET", page)
            assert response.status == 200, (page, response.status)
            assert took < QUICK, (page, took)
    ready, took = timed(visitor, "GET", "/readyz")
    assert (ready.status, ready.text.strip()) == (503, "not ready: cache")
    assert took < QUICK
    signed_in, took = timed(staff, "GET", "/admin/")  # the session, read from PostgreSQL
    assert signed_in.status == 200 and took < QUICK

    # Patients still book, and the rate limits still hold, counted in PostgreSQL.
    patients = [
        server.client(forwarded_for="203.0.113.9", timeout=PATIENT_TIMEOUT)
        for _ in range(IP_LIMIT + 1)
    ]
    forms = [patient.get(path) for patient in patients]
    assert all(form.status == 200 for form in forms)
    time.sleep(MIN_FILL_SECONDS + 0.2)
    results = []
    for n, (patient, form) in enumerate(zip(patients, forms, strict=True)):
        response, took = timed(patient, "POST", path, filled_form(form, start, n))
        assert took < QUICK
        results.append(response)
    assert [r.status for r in results] == [302, 302, 200, 429]  # capacity 2, limit 3
    assert "just been taken" in results[2].text
    assert "several requests from this connection" in results[3].text
    assert CONFIRMED in follow(patients[0], results[0]).text
    assert Consultation.objects.count() == 2
    assert RateLimitCount.objects.order_by("-count").first().count == IP_LIMIT + 1

    if fault == "frozen":
        redis.thaw()
        deadline = time.monotonic() + rediscache.RETRY_SECONDS + QUICK
        while visitor.get("/readyz").status != 200:
            assert time.monotonic() < deadline, "readyz did not recover"
            time.sleep(0.2)


def test_a_page_edited_while_redis_is_frozen_is_not_served_stale_after(
    server, redis, clinic, staff_user
):
    reader = server.client(timeout=PATIENT_TIMEOUT)
    for _ in range(4):  # both workers keep it, and Redis has it
        assert "About MindScape" in reader.get("/about/").text
    page = Page.objects.get(slug="about")
    admin = server.client(timeout=PATIENT_TIMEOUT)
    admin.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(
        staff_user("Administrator", is_superuser=True)
    )
    change_path = f"/admin/clinic/page/{page.pk}/change/"
    form = admin.get(change_path)
    assert form.status == 200

    redis.freeze()
    saved = admin.post(
        change_path,
        {
            "csrfmiddlewaretoken": form.field("csrfmiddlewaretoken"),
            "slug": page.slug,
            "title": "About our clinic",
            "summary": page.summary,
            "body": page.body,
            "is_published": "on",
            "_save": "Save",
        },
    )
    assert saved.status == 302, saved.text[:2000]
    # Each worker trusts the generation it read for PAGE_CACHE_CHECK_SECONDS (1 s), then
    # asks Redis, finds it away and renders from the database.
    time.sleep(settings.PAGE_CACHE_CHECK_SECONDS + 0.2)
    for _ in range(4):
        assert "About our clinic" in reader.get("/about/").text
    redis.thaw()

    # Redis answers again, still holding the page as it was: nobody is served that copy.
    deadline = time.monotonic() + rediscache.RETRY_SECONDS + 3
    while time.monotonic() < deadline:
        served = reader.get("/about/")
        assert "About our clinic" in served.text, "the page from before the edit came back"
        time.sleep(0.2)


def test_an_article_changed_while_redis_is_frozen_shows_its_change(server, redis, clinic):
    """The article's kept element (blog/rendered.py) lives in PostgreSQL under a key of what
    it shows: with Redis away the page is rendered from the database, and a change made
    meanwhile, even one that no save announces, is shown, not the element kept before it;
    nor, once Redis answers again, in any page rendered then.

    Whole pages kept before the change are the page cache's: a change that no save
    announces may be served from there until their TTL, outage or not (a worker that saw
    no request during the outage has no reason to doubt its copy).  An announced change is
    never served stale after an outage:
    ``test_a_page_edited_while_redis_is_frozen_is_not_served_stale_after``."""
    from blog.models import Article, RenderedArticle
    from tests.factories import ArticleFactory

    article = ArticleFactory(title="Ketamine, before the edit")
    before, after = (
        f'<h1 id="article-title">Ketamine, {when} the edit</h1>' for when in ("before", "after")
    )
    reader = server.client(timeout=PATIENT_TIMEOUT)
    for _ in range(4):  # both workers: the page kept in Redis, the element in PostgreSQL
        assert before in reader.get(article.get_absolute_url()).text  # the element's heading
    assert RenderedArticle.objects.filter(article=article).exists()

    redis.freeze()
    time.sleep(settings.PAGE_CACHE_CHECK_SECONDS + 0.2)  # each worker asks Redis again
    Article.objects.filter(pk=article.pk).update(title="Ketamine, after the edit")
    for _ in range(4):
        response, took = timed(reader, "GET", article.get_absolute_url())
        assert after in response.text and took < QUICK
    redis.thaw()

    # A session cookie keeps the page cache out of it: each page is rendered, its element
    # read from PostgreSQL once Redis answers again (its session is looked up there first).
    rendering = server.client(timeout=PATIENT_TIMEOUT)
    rendering.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    deadline = time.monotonic() + rediscache.RETRY_SECONDS + 3
    while time.monotonic() < deadline:
        served = rendering.get(article.get_absolute_url())
        assert after in served.text, "the element from before came back"
        time.sleep(0.2)
    kept = RenderedArticle.objects.get(article=article)
    assert after in kept.html and before not in kept.html
