"""``make seed`` on a fresh clone, before anything else: it migrates first, so it ends with
demo content, not ``relation "mindscape_clinic" does not exist``.

A real ``make seed`` against a new, empty database on the test server.
"""

import os
import secrets
import shutil
import subprocess

import psycopg2
import pytest
from django.db import connection

from tests.deploy.servers import ROOT, database_url

MAKE = shutil.which("make") or "/usr/bin/make"


@pytest.fixture
def empty_database():
    params = connection.settings_dict
    name = f"seed_{secrets.token_hex(4)}"
    admin = psycopg2.connect(
        dbname="postgres", user=params["USER"], host=params["HOST"], port=params["PORT"] or None
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**params, "NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_make_seed_on_an_empty_database_migrates_then_seeds(empty_database):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "MAKE"))}
    env["DATABASE_URL"] = database_url(empty_database)
    done = subprocess.run(
        # -o: the virtualenv counts as installed (make test installed it); nothing to pip.
        [MAKE, "--no-print-directory", "-o", ".venv/.installed", "seed"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]

    seeded = psycopg2.connect(
        dbname=empty_database["NAME"],
        user=empty_database["USER"],
        host=empty_database["HOST"],
        port=empty_database["PORT"] or None,
    )
    try:
        with seeded.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM mindscape_clinic")
            assert cursor.fetchone()[0] == 1
            cursor.execute("SELECT count(*) FROM blog_article")
            assert cursor.fetchone()[0] > 0
    finally:
        seeded.close()
