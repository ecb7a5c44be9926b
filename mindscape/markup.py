"""Markdown written by staff → sanitised HTML, for static pages (and later articles).

Staff text is trusted to be well meant, not to be safe: whatever Markdown produces goes
through nh3's allow-list, so no script, event attribute, ``javascript:`` URL or inline
style survives, whoever typed it.
"""

from __future__ import annotations

import html as html_lib

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


EXTENSIONS = ["toc", "tables", "sane_lists"]


def html_to_text(html: str) -> str:
    """Plain text of rendered HTML (for search vectors and snippets)."""
    from django.utils.html import strip_tags

    return html_lib.unescape(strip_tags(html.replace("</", " </"))).strip()


def render(text: str) -> str:
    """Markdown → safe HTML.  Headings get ids so pages can link to sections."""
    return render_with_toc(text)[0]


def render_with_toc(text: str) -> tuple[str, list[dict]]:
    """Markdown → (safe HTML, table of contents).

    The table of contents lists the h2 and h3 headings as ``{"id", "title", "level"}``, in
    order; their ids match the anchors in the HTML.
    """
    converter = markdown.Markdown(extensions=EXTENSIONS)
    html = sanitise(converter.convert(text or ""))
    toc = []

    def walk(tokens):
        for token in tokens:
            if token["level"] in (2, 3):
                title = html_lib.unescape(token["name"])
                toc.append({"id": token["id"], "title": title, "level": token["level"]})
            walk(token["children"])

    walk(converter.toc_tokens)
    return html, toc
