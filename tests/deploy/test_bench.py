"""The pieces of make bench: bench data, the baseline view, a staff session without a browser."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from blog.models import Article
from booking.models import Consultation
from staff.sessions import signed_in_session
from tests.mindscape.test_settings import run_prod

pytestmark = pytest.mark.django_db


def test_seed_bench_refuses_a_database_that_is_not_the_bench_one():
    with pytest.raises(CommandError, match="bench"):
        call_command("seed_bench", articles=1, consultations=1)


def test_seed_bench_adds_articles_and_consultations_once(client, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "mindscape_bench_test")
    call_command("seed_bench", articles=12, consultations=300)
    call_command("seed_bench", articles=12, consultations=300)  # idempotent
    bench = Article.objects.published().filter(slug__startswith="bench-")
    assert bench.count() == 12
    assert all(article.categories.exists() for article in bench)
    assert Consultation.objects.filter(email__startswith="bench").count() == 300
    # Upcoming bookings leave the schedule open (one seat of two) and respect capacity.
    upcoming = Consultation.objects.active().filter(status="booked")
    assert upcoming.exists() and set(upcoming.values_list("seat", flat=True)) == {0}
    page = client.get(f"/blog/{bench.first().slug}/")
    assert page.status_code == 200 and bench.first().title in page.content.decode()


def test_the_baseline_view_exists_only_for_the_bench(client):
    assert client.get("/bench/baseline").status_code == 404
    code = (
        "import django; django.setup(); from django.test import Client; "
        "response = Client().get('/bench/baseline', HTTP_HOST='clinic.example', secure=True); "
        "print(response.status_code)"
    )
    result = run_prod(code, BENCH_BASELINE_VIEW="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200"


def test_a_staff_session_made_without_a_browser_opens_the_admin(client, staff_user):
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(staff_user("Front desk"))
    assert client.get("/admin/booking/consultation/").status_code == 200
