"""Template helpers for article images (renditions live in default storage), and the
latest articles for other apps' pages (the home page), so their views import no blog."""

from django import template
from django.core.files.storage import default_storage

from blog.models import Article

register = template.Library()


@register.simple_tag
def latest_articles(count: int):
    """``{% latest_articles 3 as latest %}``: the newest published articles, for a listing."""
    return Article.objects.published().for_listing()[:count]


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
