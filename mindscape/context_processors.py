"""Template context every page gets: the clinic's facts and the crisis resources."""

from . import clinic, crisis


def site(request) -> dict:
    return {"clinic": clinic.facts(), "crisis_blocks": crisis.BLOCKS}
