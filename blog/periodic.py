"""The blog's periodic jobs (``manage.py run_periodic``); imported by ``BlogConfig.ready()``."""

from mindscape.periodic import Stage, job

from . import search


@job("searches forgotten", stage=Stage.FORGET)
def prune_zero_results() -> int:
    return search.prune_zero_results()
