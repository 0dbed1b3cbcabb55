"""The end-to-end harness: Debian's Chromium driven by Playwright against
pytest-django's live server, with an axe-core accessibility scan of every page.

Journeys use these helpers:

    visit(page, "/some/path/")   go to a page (checking it did not fail) and scan it
    scan(page)                   scan the page a click or a form submission led to
    sign_in(page, user)          sign in through the sign-in page (with the code from
                                 the authenticator app, for staff), landing on the calendar

and, besides pytest-playwright's `page`, the `another_browser` fixture for a
second person in a browser of their own.

Every document the browser loads during a test must be scanned: a test that
reaches a page without scanning it fails at teardown, naming the page.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, totp_code

# Playwright's sync API runs an event loop in the test thread, and Django refuses
# ORM calls from a thread with a running loop unless told this is safe. It is:
# the ORM calls in these tests are ordinary synchronous ones.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}

# How long a single expectation or action may wait. The site is local, so
# anything slower than this is a hang, not a slow page.
TIMEOUT_MS = 10_000

E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is an `e2e` test in a transactional database
    whose migrated rows (groups, sectors) are put back after each test's flush."""
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            if item.get_closest_marker("django_db") is None:
                item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures can tell whether it failed."""
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Journeys make several accounts; hashing them the slow, safe way would
    only make the tests slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the browser --------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's browser, launched from Debian's Chromium (Playwright's
    own download is never used)."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM_PATH} (set CHROMIUM_PATH)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def _django_connections(django_db_setup):
    """Django's database connections as the test thread has them before
    Playwright starts (see `playwright` below)."""
    from django.db import connections

    return {alias: connections[alias] for alias in connections}


@pytest.fixture(scope="session")
def playwright(_django_connections, playwright):
    """Playwright's sync API leaves an asyncio loop running in the test thread.
    Django keeps connections per thread, but per async context once a loop is
    running, so without this the journeys would get fresh connection objects:
    ones without the test database's serialized contents (needed to restore
    the migrated groups and sectors after each test's flush) and, on SQLite,
    a second handle on the in-memory database the live server shares.
    Hand the journeys the very connections the rest of the run uses."""
    from django.db import connections

    for alias, connection in _django_connections.items():
        connections[alias] = connection
    return playwright


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs in page.goto() are resolved against the live server."""
    return live_server.url


@pytest.fixture
def _tabs(live_server, request):
    """What each browser tab of the test loaded, checked once the test is over:
    the test fails for an unscanned page, a server error or a script error."""
    records = []
    yield records

    problems = []
    for record in records:
        problems += [f"server error: {error}" for error in record["server_errors"]]
        problems += [f"JavaScript error: {error}" for error in record["script_errors"]]
        problems += [f"Content-Security-Policy violation: {error}" for error in record["csp_violations"]]
    call = getattr(request.node, "e2e_report_call", None)
    if call is None or call.passed:
        # (After a failure, pages the test never got to scan are no news.)
        problems += [f"page loaded but never scanned for accessibility: {load['url']} "
                     "(call scan(page) after reaching it)"
                     for record in records for load in record["loads"] if not load["scanned"]]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _watch(page: Page, tabs: list) -> Page:
    """Record what a tab loads, for the checks in `_tabs`."""
    page.set_default_timeout(TIMEOUT_MS)
    record = {"loads": [], "server_errors": [], "script_errors": [], "csp_violations": []}
    page._e2e = record
    tabs.append(record)

    def on_load(loaded_page):
        record["loads"].append({"url": loaded_page.url, "scanned": False})

    def on_response(response):
        if response.status >= 500:
            record["server_errors"].append(f"{response.status} {response.request.method} {response.url}")

    page.on("load", on_load)
    page.on("response", on_response)
    page.on("pageerror", lambda error: record["script_errors"].append(str(error)))

    def on_console(message):
        # Chromium reports what the Content-Security-Policy blocked on the console.
        if message.type == "error" and "Content Security Policy" in message.text:
            record["csp_violations"].append(f"{message.text} (on {page.url})")

    page.on("console", on_console)
    return page


@pytest.fixture
def page(page: Page, _tabs):
    """A fresh browser tab (its own cookies) whose every page must be scanned."""
    expect.set_options(timeout=TIMEOUT_MS)
    return _watch(page, _tabs)


@pytest.fixture
def another_browser(new_context, _tabs):
    """Opens a tab in a browser of its own (its own cookies: another person at
    another desk), held to the same checks as `page`."""
    expect.set_options(timeout=TIMEOUT_MS)

    def open_tab(**context_args) -> Page:
        return _watch(new_context(**context_args).new_page(), _tabs)

    return open_tab


# --- visiting and scanning ------------------------------------------------------

_AXE_RUN = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target, impact: n.impact, html: n.html})),
  }));
}
"""


def scan(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now. Fails the test on any serious or
    critical violation, listing rule, help text and the elements to fix.
    Returns every violation (minor and moderate ones too) for a test to look at."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated over the DevTools protocol rather than added as a <script>:
        # the site's Content-Security-Policy rightly refuses an inline script.
        page.evaluate(AXE_PATH.read_text())
    violations = page.evaluate(_AXE_RUN, AXE_TAGS)

    record = getattr(page, "_e2e", None)
    if record is not None:
        for load in record["loads"]:
            if load["url"] == page.url:
                load["scanned"] = True

    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        lines = [f"axe-core found {len(failing)} serious or critical accessibility "
                 f"violation(s) on {page.url}:"]
        for violation in failing:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
                         f"({violation['helpUrl']})")
            for node in violation["nodes"]:
                lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
        pytest.fail("\n".join(lines), pytrace=False)
    return violations


def visit(page: Page, url: str):
    """Go to `url` (absolute, or a path on the live server), check the server
    answered without an error, and scan the page. Returns the response."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.ok, f"{url} answered {response.status}"
    scan(page)
    return response


def sign_in(page: Page, user, *, password: str = PASSWORD) -> None:
    """Sign in as `user` on the sign-in page, then, for someone with an
    authenticator app (staff: UserFactory's `with_totp`), with the code it shows;
    the site then shows the course calendar (scanned here). The navigation is
    not used, so this works at any screen width."""
    visit(page, reverse("account_login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()
    if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
        scan(page)
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Continue").click()
    calendar = reverse("courses:calendar")
    page.wait_for_url(lambda url: urlparse(url).path == calendar)
    scan(page)
