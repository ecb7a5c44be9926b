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


def request_id(get_response):
    """Give each request an id for its log lines, and echo it in ``X-Request-ID``.

    A proxy's own id is taken only when we trust proxies (``TRUSTED_PROXY_COUNT``), so a
    visitor cannot choose what goes into our logs.  The id is forgotten when the response
    is closed, after Django has logged any error for it.
    """
    from django.conf import settings
    from django.core.signals import request_finished

    from . import logformat

    request_finished.connect(logformat.end_request, dispatch_uid="mindscape.request_id")
    trust_proxy = settings.TRUSTED_PROXY_COUNT > 0

    def middleware(request):
        incoming = request.headers.get(logformat.HEADER) if trust_proxy else None
        value = logformat.begin_request(incoming)
        response = get_response(request)
        response[logformat.HEADER] = value
        return response

    return middleware
