"""schema.org JSON-LD for articles: a MedicalWebPage reviewed by a named professional.

A placeholder (demo content) is never presented as a person: an author is then the clinic
itself, so no invented physician reaches search engines, and a placeholder's "review" is
not claimed at all (no ``lastReviewed``, no ``reviewedBy``).
"""

from __future__ import annotations

import json

from django.utils.safestring import mark_safe

from clinic import facts as clinic

from .models import Article, Contributor

# Characters that could close the <script> element or start markup inside it.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _organisation(request) -> dict:
    facts = clinic.facts_for(request)
    return {
        "@type": "MedicalClinic",
        "name": facts.name,
        "url": request.build_absolute_uri("/"),
        "telephone": facts.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": facts.address_lines[0] if facts.address_lines else "",
            "addressLocality": facts.address_lines[1].split(",")[0]
            if len(facts.address_lines) > 1
            else "",
        },
    }


def _person_or_clinic(request, contributor: Contributor | None) -> dict:
    if contributor is None or contributor.is_placeholder:
        return {
            "@type": "MedicalClinic",
            "name": clinic.facts_for(request).name,
            "url": request.build_absolute_uri("/"),
        }
    person = {"@type": "Person", "name": contributor.name}
    if contributor.credentials:
        person["jobTitle"] = contributor.credentials
    return person


def article_data(request, article: Article, categories=None) -> dict:
    """``categories``: the article's, when the caller has them (else they are read)."""
    if categories is None:
        categories = article.categories.all()
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": article.title,
        "name": article.page_title,
        "description": article.page_description,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "inLanguage": "en-US",
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": _person_or_clinic(request, article.author),
        "publisher": _organisation(request),
        "about": [{"@type": "Thing", "name": c.name} for c in categories],
    }
    # A review by a demo stand-in did not happen: the page claims none.
    if article.has_medical_review:
        data["lastReviewed"] = article.last_reviewed.isoformat()
        data["reviewedBy"] = _person_or_clinic(request, article.reviewer)
    renditions = article.renditions
    if renditions:
        data["image"] = request.build_absolute_uri(_storage_url(renditions[-1].fallback))
    return data


def _storage_url(name: str) -> str:
    from django.core.files.storage import default_storage

    return default_storage.url(name)


def article_json_ld(request, article: Article, categories=None) -> str:
    """The JSON-LD text, safe to place inside <script type="application/ld+json">."""
    data = article_data(request, article, categories)
    return mark_safe(json.dumps(data).translate(_ESCAPES))  # noqa: S308
