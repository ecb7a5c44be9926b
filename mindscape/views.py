"""The project's own view: the benchmark's yardstick (the site's pages are the apps')."""

from django.http import HttpResponse


def bench_baseline(request):
    """The benchmark's yardstick: the cheapest response this server can give through the
    whole middleware stack.  Mounted only when ``BENCH_BASELINE_VIEW`` is on (``make bench``)."""
    return HttpResponse("ok\n", content_type="text/plain")
