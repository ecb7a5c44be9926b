"""Test-only URLs: the real site plus views that fail while handling personal data."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path
from django.views.decorators.debug import sensitive_post_parameters

from mindscape.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


@sensitive_post_parameters("name", "email", "phone", "date_of_birth")
def failing_signup(request):
    """Inserts the same unique value twice: PostgreSQL's error quotes the email back."""
    User = get_user_model()
    email = request.POST["email"]
    name = request.POST["name"]
    User.objects.create(username=email, first_name=name[:150])
    User.objects.create(username=email, first_name=name[:150])


def failing_with_value_in_message(request):
    raise ValueError(f"could not book for {request.POST['name']} <{request.POST['email']}>")


def suspicious(request):
    raise SuspiciousOperation("tampered")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test/failing-signup/", failing_signup),
    path("test/failing-message/", failing_with_value_in_message),
    path("test/suspicious/", suspicious),
    path("test/forbidden/", forbidden),
    *urlpatterns,
]
