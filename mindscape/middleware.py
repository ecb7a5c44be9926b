"""Project-wide middleware."""

from django.utils.cache import add_never_cache_headers


def no_store_by_default(get_response):
    """Responses are ``Cache-Control: no-store`` unless a view chose otherwise.

    Forms, search and anything tied to a session may hold personal data; neither a
    browser nor a shared proxy should keep a copy.  Public content views that are safe
    to cache set their own Cache-Control and are left alone.
    """

    def middleware(request):
        response = get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    return middleware
