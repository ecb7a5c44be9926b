"""The clinic's pages: home, static pages, /crisis/, robots.txt and the branded error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from mindscape.markup import render as render_markdown
from mindscape.pagecache import public_page

from . import crisis
from . import facts as clinic_facts
from .models import Clinic, Page

logger = logging.getLogger(__name__)


@require_safe
@public_page
def home(request):
    """The home page; its latest articles come from blog's ``latest_articles`` tag."""
    return render(request, "home.html")


@require_safe
@public_page
def crisis_page(request):
    """Every crisis resource, in English and Spanish: the page the compact footer links to."""
    return render(request, "pages/crisis.html")


@require_safe
@public_page
def robots_txt(request):
    lines = [
        "User-agent: *",
        # A path of one's own (ADMIN_URL) is not advertised here.
        *(["Disallow: /admin/"] if settings.ADMIN_URL == "admin/" else []),
        "Disallow: /search/",
        # The consultation page and the call-back form are for finding; what follows a
        # booking (its private links, the confirmation, staff calendars) is not.
        "Disallow: /consultation/booked/",
        "Disallow: /consultation/manage/",
        "Disallow: /consultation/call-me-back/thanks/",
        "Disallow: /consultation/staff-calendar/",
        "Disallow: /blog/preview/",
        # The screening form's first page says what it is and may be found; its steps,
        # resume links and thank-you page belong to one person's form.
        "Disallow: /intake/step/",
        "Disallow: /intake/resume/",
        "Disallow: /intake/thank-you/",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
@public_page
def page_detail(request, slug: str):
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(
        request, "pages/page.html", {"page": page, "body_html": render_markdown(page.body)}
    )


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason: str = ""):
    return render(request, "403_csrf.html", status=403)


@requires_csrf_token
def server_error(request):
    """The 500 page must render even when the database is what failed.

    It gets no context processors (they query the database); the clinic's facts come from
    the cache or, failing that, the model's defaults, so the phone number always shows.
    """
    try:
        facts = clinic_facts.facts()
    except Exception:  # the database may be down: fall back to the built-in defaults
        logger.warning("500 page rendered without clinic facts from the database")
        facts = clinic_facts.facts_of(Clinic())
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render(
            {
                "clinic": facts,
                "crisis_blocks": crisis.BLOCKS,
                "crisis_links": crisis.LINKS,
                "request": None,
            }
        )
    )
