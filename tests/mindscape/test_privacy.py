"""A failing request that carries personal data leaves none of it in logs or reports."""

import logging
import os
import sys

import pytest
from django.test import Client, RequestFactory
from django.views.debug import ExceptionReporter

from mindscape.ops import devdb
from mindscape.privacy import PersonalDataFilter, scrub

PATIENT = {
    "name": "Marguerite Okonkwo-Lindqvist",
    "email": "marguerite.okonkwo@example.org",
    "phone": "+1 (207) 555-0143",
    "date_of_birth": "1984-07-19",
    "message": "my psychiatrist changed my sertraline",
}
SECRETS = [
    "Okonkwo",
    "marguerite.okonkwo@example.org",
    "555-0143",
    "5550143",
    "1984-07-19",
    "sertraline",
]


def assert_nothing_personal(text):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into: {text[:2000]}"


@pytest.mark.urls("tests.mindscape.urls_failing")
@pytest.mark.django_db(transaction=True)
def test_database_error_with_personal_data_logs_none_of_it(captured_logs):
    client = Client(raise_request_exception=False)
    response = client.post("/test/failing-signup/?email=" + PATIENT["email"], PATIENT)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, something went wrong" in body
    assert "Traceback" not in body and "IntegrityError" not in body
    assert_nothing_personal(body)

    logs = captured_logs.getvalue()
    assert "Internal Server Error" in logs and "IntegrityError" in logs  # it was logged…
    assert_nothing_personal(logs)  # …without the patient


@pytest.mark.urls("tests.mindscape.urls_failing")
@pytest.mark.django_db
def test_exception_message_with_personal_data_is_scrubbed(captured_logs):
    client = Client(raise_request_exception=False)
    response = client.post("/test/failing-message/", PATIENT)
    assert response.status_code == 500
    logs = captured_logs.getvalue()
    assert "ValueError" in logs
    assert_nothing_personal(logs)


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="reads the private server's log")
@pytest.mark.urls("tests.mindscape.urls_failing")
@pytest.mark.django_db(transaction=True)
def test_postgresql_server_log_holds_no_refused_values():
    marker = "refused.value.4711@example.org"
    before = devdb.log_file().read_text(errors="replace") if devdb.log_file().exists() else ""
    Client(raise_request_exception=False).post(
        "/test/failing-signup/", {**PATIENT, "email": marker}
    )
    after = devdb.log_file().read_text(errors="replace")
    new = after[len(before) :]
    assert "duplicate key" in new  # the server did log the error…
    assert marker not in new  # …but not the value


def test_exception_reports_hide_every_value():
    request = RequestFactory().post("/consultation/", PATIENT)
    try:
        name = PATIENT["name"]  # a local variable holding personal data
        raise ValueError("failed for " + name[:3])
    except ValueError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "name" in report  # keys stay, so the report is still useful
    assert_nothing_personal(report)


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("DETAIL:  Key (username)=(jane@example.com) already exists.", "DETAIL: [filtered]"),
        ("GET /search/?q=my+name+is+jane HTTP/1.1", "GET /search/?[filtered] HTTP/1.1"),
        ("call +1 (207) 555-0143 now", "call [number] now"),
        ("born 07/19/1984", "born [date]"),
        ("born 1984-07-19", "born [date]"),
        ("write to jane.doe+x@mail.example.org", "write to [email]"),
        (
            "/consultation/manage/eyJib29raW5nIjo0Mn0:1vYw2x:AbCdEfGhIjKlMnOpQrStUvWxYz/",
            "/consultation/manage/[token]/",
        ),
        ("Internal Server Error: /about/", "Internal Server Error: /about/"),
    ],
)
def test_scrub(raw, kept):
    assert scrub(raw) == kept


def test_filter_drops_the_request_and_formats_args():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Failed for %s", ("jane@example.com",), None
    )
    record.request = RequestFactory().post("/x/", PATIENT)
    assert PersonalDataFilter().filter(record)
    assert record.getMessage() == "Failed for [email]"
    assert record.request is None
