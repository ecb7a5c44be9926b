"""Template context every page gets: the clinic's facts and the crisis resources."""

from . import clinic, crisis


def site(request) -> dict:
    return {"clinic": clinic.facts_for(request), "crisis_blocks": crisis.BLOCKS}
