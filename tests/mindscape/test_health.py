"""/healthz says the process is up; /readyz says this server can serve patients."""

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from mindscape import health

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    """Each test starts as a new process would: migrations not yet seen applied."""
    monkeypatch.setattr(health, "_migrations_applied", False)


@pytest.fixture
def plans(monkeypatch):
    """How many times /readyz built the migration plan."""
    made = []
    real = health.MigrationExecutor

    def counted(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(health, "MigrationExecutor", counted)
    return made


def unapply_latest_booking_migration():
    """As after a deploy of new code before `manage.py migrate` ran (rolled back with the
    test); returns the migration's name."""
    recorder = MigrationRecorder(connection)
    latest = max(name for app, name in recorder.applied_migrations() if app == "booking")
    recorder.record_unapplied("booking", latest)
    return latest


def assert_probe(response, status, body):
    assert response.status_code == status
    assert response.content.decode() == body + "\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert_probe(client.get("/healthz"), 200, "ok")
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_while_the_database_is_down(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    assert_probe(client.get("/healthz"), 200, "ok")


def test_readyz_when_everything_answers(client):
    assert_probe(client.get("/readyz"), 200, "ok")


def test_readyz_without_the_database(client, monkeypatch, caplog):
    def refuse():
        raise OperationalError("could not connect to server at 10.0.0.5")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    assert_probe(client.get("/readyz"), 503, "not ready: database")
    assert "readyz: database check failed (OperationalError)" in caplog.text
    assert "10.0.0.5" not in caplog.text  # the type only, never the message


def test_readyz_with_a_migration_not_yet_applied(client):
    unapply_latest_booking_migration()
    assert_probe(client.get("/readyz"), 503, "not ready: migrations")


def test_readyz_plans_migrations_until_they_are_applied_then_no_more(
    client, plans, django_assert_max_num_queries
):
    latest = unapply_latest_booking_migration()
    assert_probe(client.get("/readyz"), 503, "not ready: migrations")
    assert_probe(client.get("/readyz"), 503, "not ready: migrations")  # asked again
    assert len(plans) == 2

    MigrationRecorder(connection).record_applied("booking", latest)  # `migrate` ran
    with django_assert_max_num_queries(3):  # SELECT 1; the migrations table and its rows
        assert_probe(client.get("/readyz"), 200, "ok")
    assert len(plans) == 3
    with django_assert_max_num_queries(1):  # SELECT 1 (the test's cache is in memory)
        assert_probe(client.get("/readyz"), 200, "ok")
    assert len(plans) == 3  # not planned again by this process


def test_readyz_still_checks_the_database_and_cache_once_migrations_are_known(client, monkeypatch):
    assert_probe(client.get("/readyz"), 200, "ok")
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert_probe(client.get("/readyz"), 503, "not ready: cache")

    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    assert_probe(client.get("/readyz"), 503, "not ready: database")


def test_readyz_with_the_cache_unreachable(client):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        assert_probe(client.get("/readyz"), 503, "not ready: cache")
    assert_probe(client.get("/readyz"), 200, "ok")


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_are_not_redirected_to_https(client):
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/blog/").status_code == 301  # everything else still is


def test_probes_are_not_in_the_sitemap_or_the_page_cache(client, monkeypatch):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "healthz" not in sitemap and "readyz" not in sitemap
    assert client.get("/readyz").status_code == 200

    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    assert client.get("/readyz").status_code == 503  # a cached "ok" would hide the outage


def test_readyz_with_the_page_cache_table_missing(client):
    """Without Redis the pages have a table of their own; if `createcachetable` never made
    it, every public page would fail, so the server is not ready."""
    missing = {
        **settings.CACHES,
        "pages": {"BACKEND": "mindscape.dbcache.DatabaseCache", "LOCATION": "no_such_table"},
    }
    with override_settings(CACHES=missing):
        assert_probe(client.get("/readyz"), 503, "not ready: cache")
