"""Markdown written by staff → sanitised HTML, for static pages (and later articles).

Staff text is trusted to be well meant, not to be safe: whatever Markdown produces goes
through nh3's allow-list, so no script, event attribute, ``javascript:`` URL or inline
style survives, whoever typed it.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "dl", "dt", "em", "h2", "h3",
    "h4", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "sms"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render(text: str) -> str:
    """Markdown → safe HTML.  Headings get ids so pages can link to sections."""
    html = markdown.markdown(text or "", extensions=["toc", "tables", "sane_lists"])
    return sanitise(html)
