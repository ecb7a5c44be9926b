"""Memos of rendered HTML, forgotten when the development server sees a file change.

The pages keep some HTML per process (the header and footer, the booking form's contact
fields, the open days, the related-articles section, the digest of the code behind the
articles' kept elements).  A deploy starts new processes, so in production nothing kept
outlives the templates it was rendered from.  ``manage.py runserver`` does not restart when
a template changes: Django reads the template again (its own ``file_changed`` receiver)
and the memo would keep showing the old one.  ``forget_on_change`` empties a memo then.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.autoreload import file_changed


def forget_on_change(forget: Callable[[], object]) -> None:
    """Call ``forget()`` whenever the development server reports a changed file.  Whether
    it restarts stays Django's decision: the receiver says nothing about it."""

    def receiver(sender, file_path, **kwargs) -> None:
        forget()

    # Its repr names the function, or the object a method is bound to (two caches'
    # cache_clear share a name and have no module): connected once however often asked.
    file_changed.connect(receiver, weak=False, dispatch_uid=f"forget_on_change:{forget!r}")
