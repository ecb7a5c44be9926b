"""Fixtures for tests that run the site as separate processes: ``redis`` (a private
redis-server) and ``two_servers`` (gunicorn A and B on loopback, production settings, one
PostgreSQL — the test database — and that one Redis).

Every test here carries the ``deploy`` marker, so ``make test-fast`` (``-m "not deploy"``)
leaves them out of the quick loop."""

from pathlib import Path

import pytest
from django.db import connection

from tests.deploy.servers import AppServer, Redis, database_url

IP_LIMIT = 3  # valid form submissions per client address (ANTISPAM_IP_LIMIT)
MIN_FILL_SECONDS = 1  # kept on, but short: each visitor waits this long before sending

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    # Called with the whole session's items, not only this directory's.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.deploy)


@pytest.fixture
def redis(tmp_path):
    instance = Redis(tmp_path)
    yield instance
    instance.stop()


def server_env(settings, redis_url: str) -> dict[str, str]:
    return {
        # One secret for all servers: sessions, CSRF and form timestamps signed by one are
        # read by the other.  The test's own, so the test can make sessions for them.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(connection.settings_dict),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; no TLS proxy here
        "INTAKE_ENCRYPTION_KEYS": ",".join(settings.INTAKE_ENCRYPTION_KEYS),
        "INTAKE_LOOKUP_KEY": settings.INTAKE_LOOKUP_KEY,
        "ANTISPAM_MIN_FILL_SECONDS": str(MIN_FILL_SECONDS),
        "ANTISPAM_IP_LIMIT": str(IP_LIMIT),
        "TRUSTED_PROXY_COUNT": "1",  # the test plays the load balancer (X-Forwarded-For)
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def two_servers(transactional_db, tmp_path, redis, settings):
    """Servers A and B, sharing the test database and one Redis.  Data the test saves is
    committed (transactional_db), so both servers see it."""
    env = server_env(settings, redis.url)
    servers = []
    try:
        for name in ("A", "B"):
            servers.append(AppServer(name, tmp_path, env))
        yield tuple(servers)
    finally:
        for server in servers:
            server.stop()
