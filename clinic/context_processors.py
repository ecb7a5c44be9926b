"""Template context every page gets: the clinic's facts and the crisis resources."""

from . import crisis, facts

# Pages whose footer carries the full crisis block (clinical-reference 7.4 A: every intake
# and screening page; the booking pages).  Every other page has the compact footer block;
# a page that shows a full block of its own in the page (an article's own section, crisis
# search results, a booking or thank-you page after crisis wording) keeps the compact one,
# so no page shows two full blocks.
FULL_CRISIS_FOOTER = frozenset({"intake", "booking"})


def site(request) -> dict:
    match = getattr(request, "resolver_match", None)
    return {
        "clinic": facts.facts_for(request),
        "crisis_blocks": crisis.BLOCKS,
        "crisis_links": crisis.LINKS,
        "crisis_full_footer": bool(match and match.namespace in FULL_CRISIS_FOOTER),
    }
