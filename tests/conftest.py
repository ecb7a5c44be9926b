"""The harness every issue's tests extend.

* PostgreSQL: the private server from ``mindscape.ops.devdb`` unless DATABASE_URL is set.
* Shared test data and helpers: tests/builders/ (one module per app), model factories:
  tests/factories.py.  Test modules import from those, never from one another.
* ``staff_user(role)``: a staff member of a role; ``staff_client(role)``: the test client
  signed in as a new one, past the second factor.  To sign in a user of your own, use
  ``signin.verified_login(client, user)`` (tests/signin.py), not ``client.force_login``.
* Browser: Playwright driving Debian's Chromium (``playwright install`` cannot download
  here).  ``new_page(width)`` opens a page at a viewport width; ``staff_page(role)`` signs
  in through the admin's own login form; ``axe_check(page)`` scans for WCAG 2.2 AA
  violations (tests/axe.py) and fails the test on any.  Every browser test calls it on every page.
  Console messages about a Content-Security-Policy violation fail the test too.
"""

from __future__ import annotations

import io
import logging
import os
import shutil

import pytest
from django.core.cache import caches
from django.urls import reverse

from clinic import facts as clinic_facts
from mindscape import pagecache, roles
from staff import role_audit
from tests import signin
from tests.axe import assert_no_violations
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# database access from tests that use it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = 360
DESKTOP = 1280
STAFF_PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def _clear_cache():
    def clear():
        for each in caches.all():
            each.clear()
        pagecache._local.clear()  # this process's copies and the generation it last read
        clinic_facts.forget()  # and its copy of the clinic's facts

    clear()
    yield
    clear()


@pytest.fixture
def captured_logs():
    """What our real, configured log handlers write (filters included)."""
    stream = io.StringIO()
    handlers = {h for name in ("", "django") for h in logging.getLogger(name).handlers}
    originals = {h: h.setStream(stream) for h in handlers if isinstance(h, logging.StreamHandler)}
    assert originals, "no configured stream handler found"
    yield stream
    for handler, original in originals.items():
        handler.setStream(original)


# --- Staff ---------------------------------------------------------------------------------


@pytest.fixture
def staff_user(db):
    """``staff_user(role)`` → a saved staff user in that role's group."""
    from django.contrib.auth.models import Group

    def make(role: str, **kwargs):
        assert role in roles.ROLES, role
        # A test's own staff are setup, not events: no "role_changed" entries for them (as
        # forced sign-ins write no "signed_in"); tests of role auditing make users directly.
        role_audit.disconnect()
        try:
            user = UserFactory(
                is_staff=True,
                is_superuser=kwargs.pop("is_superuser", False),
                password=STAFF_PASSWORD,
                **kwargs,
            )
            user.groups.add(Group.objects.get(name=role))
        finally:
            role_audit.connect()
        return user

    return make


@pytest.fixture
def staff_client(client, staff_user):
    """``staff_client(role)`` → the test client signed in as a new staff member of role."""

    def make(role: str, **kwargs):
        user = staff_user(role, **kwargs)
        signin.verified_login(client, user)
        client.user = user
        return client

    return make


# --- Browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: run 'make browser' (or set CHROMIUM_PATH)."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " Under CI a missing browser is a failure.", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


class ConsoleWatcher:
    """Collects console messages that mean something is broken (CSP refusals, JS errors).

    404s and 429s (a sign-in lockout) are left to the tests that look for them.  axe's own
    probes apply inline styles, which the CSP refuses; those refusals are ignored while a
    scan runs, and only those.
    """

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []

    def __call__(self, message):
        text = message.text
        if getattr(self.page, "axe_running", False) and "Applying inline style" in text:
            return
        if "Content Security Policy" in text or (
            message.type == "error" and "404" not in text and "429" not in text
        ):
            self.problems.append(text)


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(width)`` → a fresh page (own context) at that viewport width
    (``java_script_enabled=False`` or a browser ``timezone_id`` if asked)."""
    contexts = []
    watchers = []

    def make(
        width: int = PHONE, *, java_script_enabled: bool = True, timezone_id: str | None = None
    ):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            base_url=live_server.url,
            java_script_enabled=java_script_enabled,
            timezone_id=timezone_id,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watcher = ConsoleWatcher(page)
        page.on("console", watcher)
        page.on("pageerror", lambda error: watcher.problems.append(str(error)))
        watchers.append(watcher)
        return page

    yield make
    for context in contexts:
        context.close()
    problems = [p for w in watchers for p in w.problems]
    assert not problems, f"Browser console reported problems: {problems}"


@pytest.fixture
def axe_check():
    """``axe_check(page)``: zero WCAG 2.2 A/AA violations on the page as it is now."""
    return assert_no_violations


@pytest.fixture
def staff_page(new_page, staff_user):
    """``staff_page(role, width=1280)`` → a page signed in through the admin login form,
    then the second-factor page with the code the user's app would show.

    Only this helper knows how staff sign in, so adding a second factor or moving the admin
    changes it alone.
    """

    def make(role: str, width: int = DESKTOP, **kwargs):
        user = staff_user(role, **kwargs)
        device = signin.give_device(user)
        page = new_page(width)
        page.goto(reverse("admin:login"))
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_label("6-digit code").fill(signin.code_for(device))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"**{reverse('admin:index')}")
        page.goto(reverse("admin:index"))
        page.user = user
        return page

    return make
