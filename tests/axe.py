"""axe-core accessibility scans (shipped offline by axe-playwright-python).

It injects axe through ``page.evaluate``, which works under our strict CSP.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # 2.2: target size
# Best-practice rules outside those tags that the house requires as well.
EXTRA_RULES = [
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-unique",  # no page shows two crisis blocks with the same name
    "region",  # all content inside landmarks
]
_axe = Axe()


# The staff side (the admin) is held to WCAG 2.2 AA and two landmark rules as well.
ADMIN_TAGS = [*WCAG_TAGS, "wcag22aa"]
ADMIN_RULES = [*EXTRA_RULES, "landmark-unique", "region", "empty-table-header"]


def violations(page, *, tags=WCAG_TAGS, rules=EXTRA_RULES) -> list[dict]:
    """Run axe.  While it runs, its own probes may apply inline styles, which our CSP
    refuses; the console watcher (conftest) ignores those refusals during the scan only."""
    by_tag = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    by_rule = {"runOnly": {"type": "rule", "values": rules}, "resultTypes": ["violations"]}
    page.axe_running = True
    try:
        found = _axe.run(page, options=by_tag).response["violations"]
        found += _axe.run(page, options=by_rule).response["violations"]
        page.evaluate("1")  # a round trip, so console events from the scan arrive now
    finally:
        page.axe_running = False
    return found


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)


def assert_no_violations(page) -> None:
    found = violations(page)
    assert not found, f"axe found violations on {page.url}:\n{describe(found)}"


def assert_admin_page_accessible(page) -> None:
    """The admin's bar: WCAG 2.2 AA, each landmark unique, all content in landmarks."""
    found = violations(page, tags=ADMIN_TAGS, rules=ADMIN_RULES)
    assert not found, f"axe found violations on {page.url}:\n{describe(found)}"
