"""/healthz says the process is up; /readyz says this server can serve patients."""

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}


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
    # As after a deploy of new code before `manage.py migrate` ran (rolled back with the test).
    recorder = MigrationRecorder(connection)
    latest = max(name for app, name in recorder.applied_migrations() if app == "booking")
    recorder.record_unapplied("booking", latest)
    assert_probe(client.get("/readyz"), 503, "not ready: migrations")


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
