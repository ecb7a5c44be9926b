"""What a revision changes against the live article, word by word, as accessible HTML:
removed words in <del>, added ones in <ins>, each announced as such to screen readers
(their styling alone would be lost on them)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join

_TOKENS = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def words(old: str, new: str) -> str:
    """``new`` against ``old``: unchanged text plain, the rest marked."""
    before, after = _tokens(old), _tokens(new)
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", "".join(after[j1:j2])))
            continue
        if i2 > i1:
            parts.append(
                format_html(
                    '<del><span class="visually-hidden">[removed: </span>{}'
                    '<span class="visually-hidden">]</span></del>',
                    "".join(before[i1:i2]),
                )
            )
        if j2 > j1:
            parts.append(
                format_html(
                    '<ins><span class="visually-hidden">[added: </span>{}'
                    '<span class="visually-hidden">]</span></ins>',
                    "".join(after[j1:j2]),
                )
            )
    return format_html_join("", "{}", ((p,) for p in parts))


def fields(pairs: list[tuple[str, str, str]]) -> str:
    """(label, live text, proposed text) for each field: a section per changed field."""
    changed = [(label, old, new) for label, old, new in pairs if (old or "") != (new or "")]
    if not changed:
        return "No changes from the live text."
    return format_html(
        '<div class="revision-diff">{}</div>',
        format_html_join(
            "",
            '<h3>{}</h3><div class="diff-text">{}</div>',
            ((label, words(old, new)) for label, old, new in changed),
        ),
    )
