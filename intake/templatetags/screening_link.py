"""``{% screening_url consultation as url %}``: the link from a booking to a new screening
form (``intake.links.booking_path``), for booking's pages and emails.

Booking's templates load this library; booking's Python imports nothing of intake.  The
tag gives "" while the form is switched off, so ``{% if url %}`` hides the invitation.
"""

from __future__ import annotations

from django import template
from django.conf import settings

from intake import links

register = template.Library()


@register.simple_tag
def screening_url(consultation, absolute: bool = False) -> str:
    """The form's path for this consultation; ``absolute=True`` for an email (SITE_URL)."""
    path = links.booking_path(consultation.pk)
    if path and absolute:
        return f"{settings.SITE_URL}{path}"
    return path
