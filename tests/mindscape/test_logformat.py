"""Structured log lines: one JSON object a line, a request id, the personal-data filter on
every handler whatever the format."""

import io
import json
import logging
import re

import pytest
from django.conf import settings
from django.test import override_settings

from mindscape.logformat import JsonFormatter
from mindscape.privacy import PersonalDataFilter
from tests.builders.mindscape import run_prod


@pytest.fixture
def json_lines():
    """JSON lines written by a filtered handler on the ``django`` logger, as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("django")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def record(message, *args, exc_info=None):
    return logging.LogRecord("booking.views", logging.WARNING, __file__, 1, message, args, exc_info)


def test_a_record_is_one_json_object_on_one_line():
    line = JsonFormatter().format(record("slot %s refused\nfor seat %d", "10:00", 2))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "booking.views"
    assert entry["message"] == "slot 10:00 refused\nfor seat 2"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])
    assert "request_id" not in entry  # outside a request


def test_an_exception_keeps_its_frames_but_not_its_message():
    try:
        raise ValueError("could not save ada@example.com")
    except ValueError as error:
        item = record("failed", exc_info=(ValueError, error, error.__traceback__))
    PersonalDataFilter().filter(item)
    entry = json.loads(JsonFormatter().format(item))
    assert "Traceback (most recent call last)" in entry["exception"]
    assert "builtins.ValueError" in entry["exception"]
    assert "ada@example.com" not in json.dumps(entry)


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_its_id(client, json_lines):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    # Django logs "Not Found" after the middleware returned: the id is still there.
    (entry,) = [e for e in json_lines() if e["logger"] == "django.request"]
    assert entry["message"] == "Not Found: /no-such-page/"
    assert entry["request_id"] == request_id
    assert client.get("/healthz")["X-Request-ID"] != request_id


def test_a_visitor_cannot_choose_the_request_id(client):
    response = client.get("/healthz", headers={"X-Request-ID": "0123456789abcdef0123"})
    assert response["X-Request-ID"] != "0123456789abcdef0123"


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("7f1c2e9a-3b4d-4e5f-8a6b-1c2d3e4f5a6b", True),
        ("ada.lovelace@example.com", False),
        ("short", False),
        ("Ada Lovelace 1990-02-03 0123456789abcdef", False),
    ],
)
def test_a_trusted_proxys_id_is_kept_when_it_looks_like_one(client, sent, kept):
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    assert (response["X-Request-ID"] == sent) is kept


def test_every_handler_has_the_personal_data_filter():
    handlers = settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "personal_data" in handler.get("filters", []), name
    assert settings.LOG_FORMAT == "text"  # for people at a terminal outside production


def test_production_writes_json_by_default_and_text_when_asked():
    code = (
        "import django; django.setup(); import logging; from django.conf import settings; "
        "h = logging.getLogger('django').handlers[0]; "
        "print(settings.LOG_FORMAT, type(h.formatter).__name__, "
        "[type(f).__name__ for f in h.filters])"
    )
    assert run_prod(code).stdout.strip().split(maxsplit=2) == [
        "json",
        "JsonFormatter",
        "['PersonalDataFilter']",
    ]
    assert run_prod(code, LOG_FORMAT="text").stdout.strip().split(maxsplit=2) == [
        "text",
        "Formatter",
        "['PersonalDataFilter']",
    ]
    refused = run_prod(code, LOG_FORMAT="xml")
    assert refused.returncode != 0
    assert "LOG_FORMAT must be 'text' or 'json'" in refused.stderr


def test_loggers_that_would_print_patient_data_stay_quiet_at_debug():
    # SQL parameters, and template contexts (the request, a form's values).
    code = (
        "import django; django.setup(); import logging; "
        "print(logging.getLogger('django').level, logging.getLogger('django.db.backends').level,"
        " logging.getLogger('django.template').level)"
    )
    result = run_prod(code, LOG_LEVEL="DEBUG")
    assert result.stdout.split() == ["10", "30", "20"], result.stderr
