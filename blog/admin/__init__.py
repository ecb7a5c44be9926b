"""The editors' and medical reviewers' desk.

Status never changes through a form field: it changes through actions (POST) that call
``blog.services``, which check who may do what.  A published article's text is read-only
here; changes go into a revision that a medical reviewer approves.
"""

from . import articles, revisions, searches, taxonomy  # noqa: F401 (registers the pages)
