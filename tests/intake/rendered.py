"""The screening steps' visible text, compared with the golden texts in ``golden/``.

"Visible" means what a patient can read: elements with the ``hidden`` attribute (the
PC-PTSD-5 questions before a YES, notes not yet due), scripts and form controls' values are
left out.  Words are compared in order; whitespace and line breaks are not, so the server's
HTML (read here with BeautifulSoup) and Chromium's ``innerText`` are held to the same text.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

GOLDEN = Path(__file__).resolve().parent / "golden"
BLOCKS = ["p", "div", "li", "ul", "ol", "fieldset", "legend", "h1", "h2", "h3", "h4", "section"]


def golden_lines(name: str) -> list[str]:
    return (GOLDEN / f"{name}.txt").read_text(encoding="utf-8").splitlines()


def section_selector(code: str) -> str:
    return f'section[data-instrument="{code}"]'


def visible_text(html: str, code: str) -> str:
    """The visible text of one instrument's section of a server-rendered page."""
    soup = BeautifulSoup(html, "html.parser")
    section = soup.select_one(section_selector(code))
    assert section is not None, f"no section for {code} on the page"
    for element in section.select("[hidden], script, style, template, input"):
        element.decompose()
    # Block elements break words apart, as a browser lays them out; inline ones (the
    # asterisk after a question) do not.
    for element in section.find_all(BLOCKS):
        element.insert_before("\n")
        element.insert_after("\n")
    return section.get_text("")


def assert_reads_as(text: str, name: str) -> None:
    """Fail, naming each difference, unless ``text`` has the golden text's words in order."""
    expected = " ".join(golden_lines(name)).split()
    shown = text.split()
    if shown == expected:
        return
    matcher = difflib.SequenceMatcher(a=expected, b=shown, autojunk=False)
    differences = [
        f"{tag}: expected {' '.join(expected[i1:i2])!r}, the page shows {' '.join(shown[j1:j2])!r}"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
    pytest.fail(
        f"The page does not read as tests/intake/golden/{name}.txt:\n" + "\n".join(differences),
        pytrace=False,
    )
