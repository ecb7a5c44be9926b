"""Search snippets: an article body's matches marked by PostgreSQL, and the passage shown.

``Headline`` is the SQL expression that marks every match of a query in an article's body
(``ts_headline``, as far as the snippet reads); ``sentence_snippet`` picks whole sentences
from the first match; ``highlighted`` makes the result HTML, escaped, with ``<mark>``.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.db.models import F, Func, TextField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import BODY_WEIGHT, SEARCH_CONFIG

_MARK_START, _MARK_END = "\x02", "\x03"  # never in article text; swapped for <mark> after escaping


# Where a snippet may begin: after ".", "!" or "?" (and a closing quote) before a capital, a
# digit or an opening quote.  Line breaks part headings, paragraphs and list items.
_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=\x02?[A-Z0-9\"“‘(])")
_ENDS_A_SENTENCE = re.compile(r"[.!?][\"”’)]*$")
SNIPPET_WORDS = 30


def sentence_snippet(marked: str, max_words: int = SNIPPET_WORDS) -> str:
    """From a text with every match between the markers, the passage that begins with the
    first sentence holding a match: whole sentences of its paragraph (and after a heading,
    of the next) up to ``max_words`` words, one sentence cut short with "…" when it alone is
    longer.  "" when nothing is marked."""
    paragraphs = [
        [part.strip() for part in _SENTENCE_BREAK.split(line) if part.strip()]
        for line in marked.splitlines()
        if line.strip()
    ]
    found = next(
        (
            (number, first)
            for number, sentences in enumerate(paragraphs)
            for first, sentence in enumerate(sentences)
            if _MARK_START in sentence
        ),
        None,
    )
    if found is None:
        return ""
    number, first = found
    words: list[str] = []
    for sentence in paragraphs[number][first:]:
        more = sentence.split()
        if words and len(words) + len(more) > max_words:
            break
        words += more
    if len(words) < max_words and not _ENDS_A_SENTENCE.search(words[-1]):  # a heading
        for sentence in paragraphs[number + 1] if number + 1 < len(paragraphs) else []:
            more = sentence.split()
            if len(words) + len(more) > max_words:
                break
            words += more
    snippet = " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")
    if snippet.count(_MARK_START) > snippet.count(_MARK_END):  # a mark cut short
        snippet = snippet.replace(" …", _MARK_END + " …")
    return snippet


# ts_headline parses and stems all the text it is given (0.6 ms for a long article), but a
# snippet only needs the text up to the line after the first match.  So it reads the whole
# lines within the body's first HEADLINE_PARTS[0] characters, then, if that part does not
# settle the snippet, within the next size, and the whole body only as the last resort.
# Marks are word by word (HighlightAll: a word is marked when it matches a word of the
# query) and whole lines parse as they do within the whole body, so a part's text is the
# start of the whole body's, marks and all.  A part settles the snippet when its first mark
# is followed by a line break and later a complete line holding a letter or a digit:
# ``sentence_snippet`` reads no further than the line after the first match.  An XML-like
# tag ("<" in the part) could run past the cut and parse otherwise: such a part never settles.
HEADLINE_PARTS = (600, 2400)
# A mark, the end of its line, and later a complete line with a letter or digit in it.
_SETTLED = _MARK_START + r"[^\n]*\n.*[A-Za-z0-9][^\n]*\n"


def marked(text, search_query: SearchQuery) -> SearchHeadline:
    """``text`` whole, every match between the markers."""
    return SearchHeadline(
        text,
        search_query,
        config=SEARCH_CONFIG,
        start_sel=_MARK_START,
        stop_sel=_MARK_END,
        highlight_all=True,
    )


class Headline(Func):
    """The body with every match between the markers, as far as ``sentence_snippet`` reads
    (see HEADLINE_PARTS): the lines of its start, or the whole body; "" when the first part
    has no match and the body holds none of the query's words (a match in the title or
    summary only), so that no longer part is marked for nothing."""

    output_field = TextField()

    def __init__(self, search_query: SearchQuery):
        body = F("body_text")
        text = search_query.get_source_expressions()[-1]  # after its config, if any
        words = SearchVector(text, config=SEARCH_CONFIG)
        super().__init__(
            body,
            marked(body, search_query),
            marked(RawSQL("part", ()), search_query),
            F("search_vector"),
            words,
        )

    def as_sql(self, compiler, connection, **extra):
        compiled = [compiler.compile(each) for each in self.source_expressions]
        (body, body_params), (whole, whole_params), (part, part_params) = compiled[:3]
        (vector, vector_params), (words, words_params) = compiled[3:]
        # Each part: the body when it fits, else its lines within ``size`` characters (NULL
        # when there is no line break to cut at).  OFFSET 0 keeps the levels apart, so that
        # nothing is computed twice.  (S608: only compiled SQL is formatted in.)
        tier = rf"""(SELECT marked FROM (
            SELECT {part} AS marked, part, fits FROM (
                SELECT CASE WHEN fits THEN {body}
                       ELSE substring(left({body}, %s), '^.*\n') END AS part, fits
                FROM (SELECT octet_length({body}) <= %s AS fits) AS size OFFSET 0
            ) AS cut OFFSET 0
        ) AS head WHERE fits OR (strpos(part, '<') = 0 AND marked ~ %s))"""  # noqa: S608
        parts = [
            (tier, [*part_params, *body_params, *body_params, size, *body_params, size, _SETTLED])
            for size in HEADLINE_PARTS
        ]
        (first, first_params), rest = parts[0], [*parts[1:], (whole, whole_params)]
        # Past the first part, only a body holding a word of the query is read further: the
        # lexemes of the query's text (a superset of its terms) against the body's own.  A
        # body without any has nothing ts_headline could mark, and marking it whole took 1-2
        # ms an article.  The test (0.02 ms an article) comes after the first part (0.1 ms),
        # which settles most results by itself: only the others pay for it.
        holds = (
            f"tsvector_to_array(ts_filter({vector}, '{{{BODY_WEIGHT}}}'))"
            f" && tsvector_to_array({words})"
        )
        further = ", ".join(sql for sql, _ in rest)
        params = [*first_params, *vector_params, *words_params]
        params += [param for _, each in rest for param in each]
        return f"COALESCE({first}, CASE WHEN {holds} THEN COALESCE({further}) ELSE '' END)", params


def highlighted(marked_text: str | None) -> SafeString:
    """The snippet of a body marked by ``Headline``, HTML-safe, its matches in ``<mark>``;
    "" when nothing in the body matched."""
    text = escape(sentence_snippet(marked_text or ""))
    return mark_safe(  # noqa: S308 — escaped above; only our markers become tags
        text.replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
    )
