"""Template helpers for article images (renditions live in default storage)."""

from django import template
from django.core.files.storage import default_storage

register = template.Library()


@register.simple_tag
def srcset(renditions, kind: str) -> str:
    """``srcset`` for the WebP (``kind="webp"``) or JPEG (``kind="fallback"``) renditions."""
    return ", ".join(f"{default_storage.url(getattr(r, kind))} {r.width}w" for r in renditions)


@register.simple_tag
def media_url(name: str) -> str:
    return default_storage.url(name)


@register.simple_tag
def absolute_media_url(request, name: str) -> str:
    return request.build_absolute_uri(default_storage.url(name))


@register.filter
def last_fallback(renditions) -> str:
    return renditions[-1].fallback if renditions else ""
