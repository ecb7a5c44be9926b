"""The part of Bootstrap's CSS this site uses, built from the pinned ``bootstrap.min.css``.

Every page loaded all of Bootstrap (232 KB, render-blocking, most of it unused).  This keeps
a rule only when every class its selector needs appears somewhere in the site's sources:
the templates, our JavaScript, the crispy-forms Bootstrap 5 templates and the string
literals of the Python that emits classes (ours and crispy-forms').  Element and ``:root``
rules and the custom properties are kept whole; ``@media`` blocks keep what is kept inside
them; ``@keyframes`` stay when a kept rule names them.  Classes inside ``:not()`` need not
be used (the rule still applies without them).

Scanning is deliberately generous: any word in a template or a script counts, so prose that
happens to say "small" keeps ``.small``.  A few bytes too many is harmless; a class lost
silently is not.  Classes that exist only at run time (added by bootstrap.bundle.min.js)
are listed in ``RUNTIME_CLASSES``.

    python -m scripts.css_subset            # write static/vendor/bootstrap/bootstrap.subset.css
    python -m scripts.css_subset --check    # exit 1 if the committed file is not a fresh build

``make css`` runs the first; ``make test`` checks (tests/mindscape/test_css_subset.py).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
OUTPUT = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.subset.css"
APPS = ("blog", "booking", "intake", "mindscape", "staff")

# Added and removed by bootstrap.bundle.min.js, never written in a source: the collapse
# plugin (the phone menu) animates with .collapsing and opens with .show, and marks its
# toggler .collapsed.
RUNTIME_CLASSES = frozenset({"collapsing", "collapsed", "show"})

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
CLASS = re.compile(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)")
DATA_ATTRIBUTE = re.compile(r"\[\s*(data-[A-Za-z0-9-]+)")
KEYFRAMES = re.compile(r"@(?:-webkit-)?keyframes\s+([A-Za-z0-9_-]+)")


# --- the sources ---------------------------------------------------------------------


def _package_dir(name: str) -> Path:
    module = __import__(name)
    return Path(module.__file__).resolve().parent


def source_files() -> dict[str, list[Path]]:
    """Files whose every word counts ("text") and Python whose string literals count."""
    crispy_bootstrap5 = _package_dir("crispy_bootstrap5")
    crispy_forms = _package_dir("crispy_forms")
    text = [
        *sorted((ROOT / "templates").rglob("*.html")),
        *sorted((ROOT / "templates").rglob("*.txt")),
        *sorted((ROOT / "static" / "js").rglob("*.js")),
        *sorted((crispy_bootstrap5 / "templates").rglob("*.html")),
    ]
    python = [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]
    python += sorted(crispy_bootstrap5.rglob("*.py")) + sorted(crispy_forms.rglob("*.py"))
    return {"text": text, "python": python}


def python_strings(source: str) -> Iterator[str]:
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            yield token.string


def used_words(files: dict[str, list[Path]] | None = None) -> frozenset[str]:
    files = source_files() if files is None else files
    words: set[str] = set(RUNTIME_CLASSES)
    for path in files.get("text", []):
        words.update(WORD.findall(path.read_text(encoding="utf-8")))
    for path in files.get("python", []):
        for literal in python_strings(path.read_text(encoding="utf-8")):
            words.update(WORD.findall(literal))
    return frozenset(words)


# --- the stylesheet ------------------------------------------------------------------


@dataclass
class Rule:
    prelude: str  # the selector list, or an at-rule's prelude
    body: str = ""  # declarations (or a @keyframes block's whole inside)
    children: list[Rule] | None = None  # @media / @supports: nested rules
    statement: bool = False  # @charset …;


@dataclass
class Sheet:
    banner: str
    rules: list[Rule] = field(default_factory=list)


def _skip(css: str, i: int) -> int:
    """Past whitespace and comments."""
    while i < len(css):
        if css[i].isspace():
            i += 1
        elif css.startswith("/*", i):
            i = css.index("*/", i + 2) + 2
        else:
            break
    return i


def _until(css: str, i: int, stops: str) -> int:
    """Index of the first of ``stops`` at nesting depth 0, outside strings and comments."""
    depth = 0
    while i < len(css):
        char = css[i]
        if char in "\"'":
            i += 1
            while css[i] != char:
                i += 2 if css[i] == "\\" else 1  # an escaped quote does not end the string
            i += 1
            continue
        if css.startswith("/*", i):
            i = css.index("*/", i + 2) + 2
            continue
        if depth == 0 and char in stops:
            return i
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        i += 1
    return i


def _block(css: str, i: int) -> tuple[list[Rule], int]:
    rules: list[Rule] = []
    while True:
        i = _skip(css, i)
        if i >= len(css) or css[i] == "}":
            return rules, i + 1
        end = _until(css, i, "{;")
        prelude = css[i:end].strip()
        if end >= len(css) or css[end] == ";":
            rules.append(Rule(prelude, statement=True))
            i = end + 1
        elif re.match(r"@(media|supports|container|layer)\b", prelude):
            children, i = _block(css, end + 1)
            rules.append(Rule(prelude, children=children))
        else:
            close = _until(css, end + 1, "}")
            rules.append(Rule(prelude, body=css[end + 1 : close]))
            i = close + 1


def parse(css: str) -> Sheet:
    banner = ""
    start = css.find("/*!")
    if start != -1:
        banner = css[start : css.index("*/", start) + 2]
    rules, _ = _block(css, 0)
    return Sheet(banner, rules)


def split_selectors(selector_list: str) -> list[str]:
    parts, i = [], 0
    while i <= len(selector_list):
        end = _until(selector_list, i, ",")
        parts.append(selector_list[i:end].strip())
        i = end + 1
    return parts


def _without_not(selector: str) -> str:
    """The selector without what is inside ``:not(…)``, which need not match anything."""
    out, i = [], 0
    while i < len(selector):
        if selector.startswith(":not(", i):
            i = _until(selector, i + 5, ")") + 1
            continue
        out.append(selector[i])
        i += 1
    return "".join(out)


def required_words(selector: str) -> set[str]:
    """Class names (and ``data-`` attributes) a selector needs on the page."""
    bare = _without_not(selector)
    return set(CLASS.findall(bare)) | set(DATA_ATTRIBUTE.findall(bare))


def selector_classes(selector: str) -> set[str]:
    return set(CLASS.findall(selector))


def _keep(rules: list[Rule], words: frozenset[str]) -> list[Rule]:
    kept: list[Rule] = []
    for rule in rules:
        if rule.statement or rule.prelude.startswith("@"):
            if rule.children is not None:
                children = _keep(rule.children, words)
                if children:
                    kept.append(Rule(rule.prelude, children=children))
            else:
                kept.append(rule)  # @charset, @keyframes (sorted out below)
            continue
        selectors = [s for s in split_selectors(rule.prelude) if required_words(s) <= words]
        if selectors:
            kept.append(Rule(",".join(selectors), body=rule.body))
    return kept


def _walk(rules: Iterable[Rule]) -> Iterator[Rule]:
    for rule in rules:
        yield rule
        if rule.children:
            yield from _walk(rule.children)


def _drop_unused_keyframes(rules: list[Rule]) -> list[Rule]:
    bodies = " ".join(r.body for r in _walk(rules) if not r.prelude.startswith("@keyframes"))

    def named(rule: Rule) -> bool:
        match = KEYFRAMES.match(rule.prelude)
        return match is None or re.search(rf"(?<![\w-]){match.group(1)}(?![\w-])", bodies)

    out = []
    for rule in rules:
        if rule.children is not None:
            out.append(Rule(rule.prelude, children=_drop_unused_keyframes(rule.children)))
        elif named(rule):
            out.append(rule)
    return out


def serialise(rules: Iterable[Rule]) -> str:
    out = []
    for rule in rules:
        if rule.statement:
            out.append(rule.prelude + ";")
        elif rule.children is not None:
            out.append(rule.prelude + "{" + serialise(rule.children) + "}")
        else:
            out.append(rule.prelude + "{" + rule.body + "}")
    return "".join(out)


def build(css: str | None = None, words: frozenset[str] | None = None) -> str:
    sheet = parse(SOURCE.read_text(encoding="utf-8") if css is None else css)
    rules = _drop_unused_keyframes(_keep(sheet.rules, used_words() if words is None else words))
    charset = [r for r in rules if r.statement and r.prelude.startswith("@charset")]
    rest = [r for r in rules if r not in charset]
    note = (
        "/* The rules of the file above that this site uses: built by scripts/css_subset.py"
        " (make css). Do not edit. */"
    )
    return serialise(charset) + sheet.banner + note + serialise(rest) + "\n"


def defined_classes(css: str) -> set[str]:
    """Every class name a stylesheet's selectors mention."""
    names: set[str] = set()
    for rule in _walk(parse(css).rules):
        if not rule.prelude.startswith("@") and not rule.statement:
            names |= selector_classes(rule.prelude)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.css_subset", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    fresh = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != fresh:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run 'make css'.", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(fresh, encoding="utf-8")
    full = SOURCE.stat().st_size
    print(f"{OUTPUT.relative_to(ROOT)}: {len(fresh.encode()):,} bytes (of {full:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
