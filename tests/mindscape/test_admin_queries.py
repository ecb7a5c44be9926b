"""Every admin list page runs the same number of queries with N rows as with 3N.

The pages come from the admin registry itself, so a new admin page is measured as soon as
it is registered — and this test fails until ``ROWS`` (tests/builders/mindscape.py) says
how to make its rows.
"""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders.mindscape import ROWS
from tests.signin import verified_login

pytestmark = pytest.mark.django_db
N = 4


# Admin pages without a list of their own.
NO_LIST = {"clinic.Clinic": "one row: its list page opens that row"}


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
    verified_login(client, staff_user("Administrator", is_superuser=True))
    app_label, model_name = label.lower().split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    make(N)
    client.get(url)  # warm: content types, clinic facts, the session
    few = count_queries(client, url)
    make(2 * N)
    assert count_queries(client, url) == few, f"{label}: more rows, more queries"
