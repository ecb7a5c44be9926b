"""A new SECRET_KEY does not break the manage links patients already have in their emails,
as long as the old key is kept in SECRET_KEY_FALLBACKS for a while."""

import pytest
import time_machine
from django.test import override_settings

from booking import links
from tests.booking.conftest import NOW, at
from tests.builders.mindscape import run_prod
from tests.factories import ConsultationTypeFactory, LocationFactory, book

NEW_KEY = "a-new-secret-key-for-the-rotation-test-0123456789-abcdef"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def emailed_link(db, frozen, settings):
    location = LocationFactory()
    consultation = book(location, ConsultationTypeFactory(locations=[location]), at(2, 10))
    return links.manage_path(consultation), settings.SECRET_KEY


def test_links_signed_with_the_old_key_open_while_it_is_a_fallback(client, emailed_link):
    path, old_key = emailed_link
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[old_key]):
        assert client.get(path).status_code == 200
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        assert client.get(path).status_code == 404  # once the old key is dropped


def test_production_reads_the_fallbacks():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(len(s.SECRET_KEY_FALLBACKS))"
    result = run_prod(code, SECRET_KEY_FALLBACKS="o" * 50 + "," + "p" * 50)
    assert result.stdout.strip() == "2", result.stderr
