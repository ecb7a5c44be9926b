"""Branded error pages, never a stack trace."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.mindscape.urls_failing")]


def assert_branded(response, status, heading):
    assert response.status_code == status
    body = response.content.decode()
    assert heading in body
    assert "MindScape" in body and "tel:988" in body  # our layout, crisis footer included
    assert "Traceback" not in body and "django" not in body.lower().replace("djangoproject", "")


def test_404(client):
    assert_branded(client.get("/no-such-page/"), 404, "We could not find that page")


def test_400():
    response = Client(raise_request_exception=False).get("/test/suspicious/")
    assert_branded(response, 400, "We could not understand that request")


def test_400_for_a_bad_host():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert_branded(response, 400, "We could not understand that request")


def test_403(client):
    assert_branded(client.get("/test/forbidden/"), 403, "This page is not available to you")


def test_csrf_failure_is_explained_kindly():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert_branded(response, 403, "Your form could not be sent")


def test_500():
    response = Client(raise_request_exception=False).post(
        "/test/failing-message/", {"name": "x", "email": "y"}
    )
    assert_branded(response, 500, "Sorry, something went wrong")


def test_500_page_renders_even_when_the_database_is_down(monkeypatch):
    from clinic import facts as clinic

    def broken():
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(clinic, "facts", broken)
    response = Client(raise_request_exception=False).post(
        "/test/failing-message/", {"name": "x", "email": "y"}
    )
    assert_branded(response, 500, "Sorry, something went wrong")
    assert "(555) 010-0199" in response.content.decode()  # the phone number still shows
