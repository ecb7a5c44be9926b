"""Two application servers, one PostgreSQL, one Redis: the site behaves as one.

Servers A and B are real gunicorn processes with production settings (see ``conftest``).
Visitors go through the real booking form — CSRF token, honeypot left empty, the signed
"form started" time and a wait of the minimum fill time — alternating between servers.
"""

import threading
import time

import pytest
from django.conf import settings

from booking.models import Consultation
from clinic.models import Clinic, Page
from clinic.seed import seed_pages
from staff.sessions import signed_in_session
from tests.builders.deploy import book_path, filled_form, open_for_a_while
from tests.deploy.conftest import IP_LIMIT, MIN_FILL_SECONDS
from tests.factories import ArticleFactory, ConsultationTypeFactory, LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)
CAPACITY = 2
PATIENTS = 10


@pytest.fixture
def clinic():
    Clinic.load()
    seed_pages()
    location = LocationFactory(capacity=CAPACITY)
    phone_call = ConsultationTypeFactory(name="Phone call", locations=[location])
    return location, phone_call


def visitors(servers, count: int, path: str, *, same_address: str = ""):
    """``count`` visitors, alternating between the servers, each with the booking page open."""
    clients = [
        servers[n % len(servers)].client(forwarded_for=same_address or f"198.51.100.{n + 1}")
        for n in range(count)
    ]
    pages = [client.get(path) for client in clients]
    assert all(page.status == 200 for page in pages)
    time.sleep(MIN_FILL_SECONDS + 0.2)  # as a person would take to fill it in
    return clients, pages


def at_once(jobs):
    """Run every job at the same moment in its own thread; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        barrier.wait(timeout=30)
        results[index] = job()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_the_same_time_booked_through_both_servers_at_once_is_never_overbooked(two_servers, clinic):
    location, phone_call = clinic
    start = open_for_a_while(location, phone_call, 1)[0]
    path = book_path(location, phone_call)
    clients, pages = visitors(two_servers, PATIENTS, path)

    results = at_once(
        [
            (lambda c=c, p=p, n=n: c.post(path, filled_form(p, start, n)))
            for n, (c, p) in enumerate(zip(clients, pages, strict=True))
        ]
    )

    booked = [r for r in results if r.status == 302]
    refused = [r for r in results if r.status == 200]
    assert len(booked) == CAPACITY, [(r.server, r.status) for r in results]
    assert all(r.headers["Location"] == "/consultation/booked/" for r in booked)
    assert len(refused) == PATIENTS - CAPACITY
    assert all("just been taken" in r.text for r in refused)
    assert {r.server for r in results} == {"A", "B"}
    assert Consultation.objects.active().filter(starts_at=start).count() == CAPACITY
    assert sorted(Consultation.objects.values_list("seat", flat=True)) == list(range(CAPACITY))


def test_rate_limits_are_counted_across_both_servers(two_servers, clinic):
    location, phone_call = clinic
    start = open_for_a_while(location, phone_call, 1)[0]
    path = book_path(location, phone_call)
    submissions = 2 * IP_LIMIT
    clients, pages = visitors(two_servers, submissions, path, same_address="203.0.113.7")

    results = [
        client.post(path, filled_form(page, start, n))
        for n, (client, page) in enumerate(zip(clients, pages, strict=True))
    ]

    assert [r.server for r in results] == ["A", "B"] * IP_LIMIT
    # Each server alone saw only IP_LIMIT submissions; together they saw twice that.
    assert all(r.status != 429 for r in results[:IP_LIMIT]), [r.status for r in results]
    assert all(r.status == 429 for r in results[IP_LIMIT:]), [r.status for r in results]
    assert all("several requests from this connection" in r.text for r in results[IP_LIMIT:])


def test_a_content_save_on_one_server_refreshes_the_other_servers_cached_page(
    two_servers, clinic, staff_user
):
    server_a, server_b = two_servers
    reader = server_b.client()
    assert "About MindScape" in reader.get("/about/").text  # B caches the page

    # A change behind the site's back (no save signal) is not seen: B serves its cache.
    Page.objects.filter(slug="about").update(title="Changed without a save")
    cached = reader.get("/about/")
    assert "About MindScape" in cached.text and "public" in cached.headers["Cache-Control"]

    # A staff member edits the page in server A's admin.
    page = Page.objects.get(slug="about")
    admin = server_a.client()
    admin.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(
        staff_user("Administrator", is_superuser=True)
    )
    change_path = f"/admin/clinic/page/{page.pk}/change/"
    form = admin.get(change_path)
    assert form.status == 200
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

    # B trusts the generation it last read for PAGE_CACHE_CHECK_SECONDS (1 s by default),
    # then asks again: the edit reaches B's visitors within that time, not at B's restart
    # or the page's expiry (five minutes).
    saved_at = time.monotonic()
    while "About our clinic" not in (fresh := reader.get("/about/")).text:
        assert time.monotonic() - saved_at < 3, "B still serves the old page"
        time.sleep(0.1)
    assert "About MindScape" not in fresh.text


def test_an_article_withdrawn_on_one_server_leaves_search_on_the_other_at_once(
    two_servers, clinic, staff_user
):
    server_a, server_b = two_servers
    article = ArticleFactory(title="Ketamine and sleep", slug="sleep")
    reader = server_b.client()
    for _ in range(4):  # both of B's workers keep the results
        assert "Ketamine and sleep" in reader.get("/search/?q=sleep").text

    admin = server_a.client()
    admin.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(
        staff_user("Administrator", is_superuser=True)
    )
    listing = admin.get("/admin/blog/article/")
    assert listing.status == 200
    done = admin.post(
        "/admin/blog/article/",
        {
            "csrfmiddlewaretoken": listing.field("csrfmiddlewaretoken"),
            "action": "unpublish",
            "_selected_action": str(article.pk),
            "index": "0",
        },
    )
    assert done.status == 302, done.text[:2000]
    article.refresh_from_db()
    assert article.status != "published"
    for _ in range(4):  # at once, on both of B's workers: no second of trust for search
        assert "Ketamine and sleep" not in reader.get("/search/?q=sleep").text
