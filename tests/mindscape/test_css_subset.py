"""Pages load only the part of Bootstrap the site uses (scripts/css_subset.py, ``make css``),
and a later template can never silently lose its styling: the committed subset must be a
fresh build, and every Bootstrap rule that the classes written in the templates, our
JavaScript, the crispy-forms templates and our Python call for must be in it (found here
independently of the builder's own scan)."""

import re
from pathlib import Path

import pytest

from scripts import css_subset

FULL = css_subset.SOURCE.read_text(encoding="utf-8")
CRISPY_TEMPLATES = css_subset._package_dir("crispy_bootstrap5") / "templates"

CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*("[^"]*"|'[^']*')""")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
# class names written in JavaScript and Python: className = "…", classList.add("…", …),
# attrs={"class": "…"}, css_class="…"
CODE_CLASSES = re.compile(
    r"""(?:className\s*=|classList\.(?:add|remove|toggle)\(|["']class["']\s*:|"""
    r"""\b(?:css_class|field_class|label_class|wrapper_class)\s*=)\s*((?:["'][^"']*["']\s*,?\s*)+)"""
)


def classes_written(template_dirs: list[Path], code_files: list[Path]) -> set[str]:
    """Every class name written literally in a class attribute or in code that sets one."""
    names: set[str] = set()
    for folder in template_dirs:
        for path in folder.rglob("*.html"):
            for value in CLASS_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
                names.update(TEMPLATE_TAG.sub(" ", value.strip("\"'")).split())
    for path in code_files:
        for group in CODE_CLASSES.findall(path.read_text(encoding="utf-8")):
            for literal in re.findall(r"""["']([^"']*)["']""", group):
                names.update(literal.split())
    return {name for name in names if re.fullmatch(r"-?[A-Za-z_][\w-]*", name)}


def rules(css: str) -> set[tuple[str, str, str]]:
    """(enclosing @media, one selector, declarations) for every style rule."""
    found = set()

    def walk(items, context):
        for rule in items:
            if rule.children is not None:
                walk(rule.children, context + rule.prelude)
            elif not rule.statement and not rule.prelude.startswith("@"):
                for selector in css_subset.split_selectors(rule.prelude):
                    found.add((context, selector, rule.body))

    walk(css_subset.parse(css).rules, "")
    return found


FULL_RULES = rules(FULL)


def missing_from(subset_css: str, written: set[str]) -> dict[str, list[str]]:
    """Bootstrap rules the written classes need that the subset lacks, by class."""
    usable = written | css_subset.RUNTIME_CLASSES
    have = rules(subset_css)
    missing: dict[str, list[str]] = {}
    for context, selector, body in FULL_RULES:
        needed = css_subset.required_words(selector)
        if needed and needed <= usable and (context, selector, body) not in have:
            for name in needed & written:
                missing.setdefault(name, []).append(f"{context} {selector}".strip())
    return missing


def project_code() -> list[Path]:
    root = css_subset.ROOT
    files = sorted((root / "static" / "js").rglob("*.js"))
    for app in css_subset.APPS:
        files += [p for p in sorted((root / app).rglob("*.py")) if "migrations" not in p.parts]
    return files


def test_the_committed_subset_is_a_fresh_build():
    committed = css_subset.OUTPUT.read_text(encoding="utf-8")
    assert committed == css_subset.build(), (
        "static/vendor/bootstrap/bootstrap.subset.css is out of date: run 'make css' and commit it"
    )


def test_every_bootstrap_rule_a_written_class_needs_is_in_the_subset():
    written = classes_written([css_subset.ROOT / "templates", CRISPY_TEMPLATES], project_code())
    bootstrap = css_subset.defined_classes(FULL)
    assert {"btn", "form-control", "container", "is-invalid"} <= written & bootstrap  # sanity
    missing = missing_from(css_subset.OUTPUT.read_text(encoding="utf-8"), written)
    assert not missing, f"Bootstrap classes used but not in the subset (run 'make css'): {missing}"


def test_a_template_with_a_class_the_subset_lacks_is_caught(tmp_path):
    """The check above is no formality: a template written after the last build, using a
    Bootstrap class nothing else uses, is reported, and a rebuild includes it."""
    (tmp_path / "new.html").write_text('<p class="text-bg-warning {% if x %}ms-5{% endif %}">')
    written = classes_written([tmp_path], [])
    assert written == {"text-bg-warning", "ms-5"}
    subset = css_subset.OUTPUT.read_text(encoding="utf-8")
    assert set(missing_from(subset, written)) == {"text-bg-warning", "ms-5"}
    rebuilt = css_subset.build(words=css_subset.used_words() | written)
    assert missing_from(rebuilt, written) == {}


def test_the_subset_is_far_smaller_and_keeps_the_whole_base():
    subset = css_subset.OUTPUT.read_text(encoding="utf-8")
    assert len(subset) < len(FULL) / 3
    assert subset.startswith('@charset "UTF-8";/*!\n * Bootstrap')  # licence banner kept
    root_variables = re.search(r":root,\[data-bs-theme=light\]\{[^}]*\}", FULL).group(0)
    assert root_variables.split("{", 1)[1] in subset  # every custom property
    for element_rule in ("body{", ".h1,h1{", "*,::after,::before{", "[hidden]{"):
        assert element_rule in subset.replace("\n", "")


@pytest.mark.parametrize(
    ("selector", "needs"),
    [
        (".btn-check:checked+.btn", {"btn-check", "btn"}),
        (".form-control:not(.is-invalid)", {"form-control"}),
        ("a:not([href]):not([class])", set()),
        ("[data-bs-theme=dark] .btn-close", {"data-bs-theme", "btn-close"}),
    ],
)
def test_what_a_selector_needs(selector, needs):
    assert css_subset.required_words(selector) == needs


def test_the_parser_reads_the_whole_stylesheet_back():
    without_comments = re.sub(r"/\*.*?\*/", "", FULL, flags=re.S).strip()
    assert css_subset.serialise(css_subset.parse(FULL).rules) == without_comments


def test_pages_load_the_subset_not_all_of_bootstrap(client, db):
    html = client.get("/").content.decode()
    assert "bootstrap.subset" in html
    assert "bootstrap.min.css" not in html
