"""Browser tests: headless Debian Chromium against a real daphne in a forked process.

pytest-django's live_server is WSGI (no WebSockets), so daphne serves the test
database here. Run these in their own pytest process (see the Makefile): the
sync Playwright API leaves an event loop behind that breaks asyncio tests.
"""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import expect

# The sync Playwright API runs an event loop in this thread; the ORM calls made by
# tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ACCESSIBILITY_COOKIE = "1:large:wb:0"  # enabled, large font, white on black, images off


def _reset_after_fork() -> None:
    """A forked daphne inherits asgiref's executor without its thread, and the
    parent's channel-layer connections: both must be new in the child."""
    from asgiref.sync import SyncToAsync
    from channels.layers import channel_layers
    from django.conf import settings

    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    channel_layers.backends.clear()
    # The child's local-memory cache never sees the tests' index writes, which start
    # a new generation of remembered words and results only in the parent's.
    settings.SEARCH_WORD_MEMO = False
    settings.SEARCH_RESULT_MEMO = False


os.register_at_fork(after_in_child=_reset_after_fork)


def _make_application():
    from channels.testing.live import make_application
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    return make_application(static_wrapper=ASGIStaticFilesHandler)


def daphne_start(django_db_blocker, port: int | None = None):
    """A daphne in a forked process serving the test database, on `port` or a free one."""
    from daphne.testing import DaphneProcess

    process = DaphneProcess("127.0.0.1", partial(_make_application), port=port)
    # Forked while unblocked, so the child may use the database; the child must
    # not share the parent's database sockets, hence the closing first.
    with django_db_blocker.unblock():
        connections.close_all()
        process.start()
    if not process.ready.wait(timeout=20):
        process.terminate()
        raise RuntimeError("daphne did not start")
    return process


@pytest.fixture(scope="session")
def daphne_server(django_db_setup, django_db_blocker):
    """One daphne for the session, serving the test database."""
    process = daphne_start(django_db_blocker)
    yield f"127.0.0.1:{process.port.value}"
    process.terminate()
    process.join(timeout=10)


@pytest.fixture
def live_url(daphne_server, transactional_db) -> str:
    return f"http://{daphne_server}"


@pytest.fixture
def live_ws_url(daphne_server, transactional_db) -> str:
    return f"ws://{daphne_server}"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "timezone_id": "Europe/Moscow"}


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def assert_accessible(axe, page):
    """axe-core with the WCAG 2.2 AA tags: no violations, in the current mode."""

    def check(label: str = "") -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{label or page.url}\n{results.generate_report()}"

    return check


@pytest.fixture
def assert_pages_accessible(page, live_url, assert_accessible):
    """axe on each of `paths` in turn; in the accessibility mode, the mode is on first."""

    def check(paths, mode: str, note: str = "") -> None:
        for path in paths:
            page.goto(live_url + path)
            if mode == "accessibility":
                expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))
            assert_accessible(f"{path}{note} ({mode})")

    return check


@pytest.fixture
def accessibility_mode(page, live_url):
    """Switch this browser context to the accessibility mode (as the cookie would)."""

    def enable(value: str = ACCESSIBILITY_COOKIE) -> None:
        page.context.add_cookies([{"name": "a11y", "value": value, "url": live_url}])

    return enable


@pytest.fixture
def demo_data(transactional_db):
    from django.core.management import call_command

    # Without the ~550 closed appeals behind the load chart: tests walk every demo appeal.
    # In a worker thread: the seeded changes ring live (async_to_sync after commit), which
    # cannot run in this thread, where Playwright's event loop is running.
    in_worker_thread(call_command, "seed_demo", verbosity=0, load_history=False)


def in_worker_thread(function, /, *args, **kwargs):
    """Run database work outside Playwright's event loop, in a thread of its own, and close
    that thread's connections: left open, PostgreSQL refuses to drop the test database at the
    end ("being accessed by other users")."""

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def login(page, live_url: str, username: str, password: str) -> None:
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def tab_to(page, target, *, key: str = "Tab", presses: int = 40) -> None:
    """Press Tab (or `key`) until `target` has the focus, as a keyboard user reaches it."""
    for _ in range(presses):
        if target.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press(key)
    assert target.evaluate("el => el === document.activeElement"), f"{key} never reached it"


PHONE_WIDTHS = (320, 390, 1280)

NO_SIDEWAYS_JS = """() => ({
  scrollWidth: document.scrollingElement.scrollWidth,
  clientWidth: document.scrollingElement.clientWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.scrollingElement.clientWidth + 0.5)
    .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className),
})"""


def assert_no_sideways_scroll(page, label: str = "") -> None:
    layout = page.evaluate(NO_SIDEWAYS_JS)
    assert layout["scrollWidth"] <= layout["clientWidth"], f"{label or page.url}: {layout}"


def screenshot(page, name: str) -> None:
    """With SCREENSHOT_DIR set, keep a full-page picture to look at (never in the repository)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
