"""A PostgreSQL restart shows no visitor an error page.

Each gunicorn worker keeps its database connection between requests (``CONN_MAX_AGE``). A
restart closes every one of them under the workers; ``CONN_HEALTH_CHECKS`` makes each worker
check its kept connection before a request uses it, and open a new one when it is gone.
Without that check, the first request of each worker after a restart failed with a 500."""

import pytest

from tests.deploy.conftest import server_env
from tests.deploy.servers import AppServer, restart_database
from tests.factories import ArticleFactory

WORKERS = 2  # AppServer's


@pytest.fixture
def server(transactional_db, tmp_path, redis, settings):
    """One server whose workers keep their connections, as production's do."""
    app = AppServer(
        "A", tmp_path, {**server_env(settings, redis.url), "DATABASE_CONN_MAX_AGE": "600"}
    )
    yield app
    app.stop()


def test_after_a_database_restart_every_search_is_answered(server):
    ArticleFactory(title="Ketamine and depression")
    visitor = server.client()
    # A new query each time: never the page cache, always the database.  Enough requests
    # that every worker has served one and keeps its connection.
    searches = (f"/search/?q=ketamine+depression+{number}" for number in range(1000))
    for _ in range(4 * WORKERS):
        assert visitor.get(next(searches)).status == 200

    restart_database(seconds_down=1)

    statuses = [visitor.get(next(searches)).status for _ in range(4 * WORKERS)]
    assert statuses == [200] * len(statuses)
