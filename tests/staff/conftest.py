import pytest
from django.urls import reverse

from tests.conftest import STAFF_PASSWORD


@pytest.fixture
def sign_in(client):
    """``sign_in(user, password=…, **extra)`` → the response to posting the sign-in form."""

    def post(user, password=STAFF_PASSWORD, next_url=None, **extra):
        data = {"username": user.username if hasattr(user, "username") else user}
        data["password"] = password
        if next_url:
            data["next"] = next_url
        return client.post(reverse("admin:login"), data, **extra)

    return post
