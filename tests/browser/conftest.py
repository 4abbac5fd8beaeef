"""Browser tests: Playwright for Python drives Debian's Chromium against pytest-django's live server.

They run whenever Chromium is there (``PORTAL_CHROMIUM``, by default ``/usr/bin/chromium``); when it is
not, they are set aside (deselected) and the summary says why in one line. ``.ci/run`` installs Chromium
and sets ``PORTAL_BROWSER_TESTS=required``, so there a missing browser fails the run instead.
"""

import os
import threading
from pathlib import Path
from unittest import mock

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_SCRIPT = Path(__file__).with_name("axe.min.js")
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
SKIPPED_BROWSER_TESTS = pytest.StashKey[str]()


def missing_browser():
    """Why the browser tests cannot run here, or ``None`` when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    """Without a browser, set the browser tests aside and say why once, in the summary."""
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    reason = missing_browser() if browser_items else None
    if reason is None:
        return
    if os.environ.get("PORTAL_BROWSER_TESTS") == "required":
        raise pytest.UsageError(f"PORTAL_BROWSER_TESTS=required, but {reason}")
    items[:] = [item for item in items if item not in browser_items]
    config.hook.pytest_deselected(items=browser_items)
    config.stash[SKIPPED_BROWSER_TESTS] = f"{len(browser_items)} browser tests skipped: {reason}"


def pytest_terminal_summary(terminalreporter, config):
    if SKIPPED_BROWSER_TESTS in config.stash:
        terminalreporter.write_line(config.stash[SKIPPED_BROWSER_TESTS], yellow=True)


def serial_live_server_thread():
    """Django's ``LiveServerThread`` answering one request at a time.

    On SQLite the test database is in memory and every thread of the live server shares the test's
    one connection: a browser's parallel requests to the admin (each saves its session,
    ``SESSION_SAVE_EVERY_REQUEST``; presence polls; pictures) interleaved their statements in that
    connection, and one request's rollback made another's session row vanish ("Forced update did
    not affect any rows"), leaving the shared connection broken for the tests after it. Holding a
    lock around each application call serialises them; connections and keep-alive are untouched.

    Stopping takes the lock too (it waits for the request in progress), and from then on requests
    are answered 503 without touching the database.
    """
    from django.test.testcases import LiveServerThread

    class SerialLiveServerThread(LiveServerThread):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            make_handler = self.static_handler
            self.serial_lock, self.stopped = threading.Lock(), False

            def serial_handler(application):
                handler = make_handler(application)

                def serial(environ, start_response):
                    with self.serial_lock:
                        if self.stopped:
                            start_response("503 Service Unavailable", [("Connection", "close")])
                            return [b""]
                        response = handler(environ, start_response)
                        try:
                            return list(response)
                        finally:
                            if hasattr(response, "close"):
                                response.close()

                return serial

            self.static_handler = serial_handler

        def terminate(self):
            with self.serial_lock:  # waits for the request in progress, if any
                self.stopped = True
            super().terminate()

    return SerialLiveServerThread


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's ``live_server``, with requests answered one at a time (see above)."""
    from pytest_django import live_server_helper

    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with mock.patch("django.test.testcases.LiveServerThread", serial_live_server_thread()):
        server = live_server_helper.LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an asyncio loop on this thread, which Django takes
    # for async code and then refuses ORM calls from the tests; there is no async code here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Pages:
    """Opens pages of the live server in fresh browser contexts, and fails the test on a script error."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []
        self.errors = []

    def open(self, path="/", viewport=DESKTOP, **context_options):
        context_options.setdefault("locale", "zh-CN")
        context_options.setdefault("timezone_id", "Asia/Shanghai")
        context = self.browser.new_context(viewport=viewport, base_url=self.base_url, **context_options)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        if path is not None:
            page.goto(path)
        return page

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def web(browser, live_server, served_media, transactional_db):
    # After transactional_db (which pytest-django gives every test with a live server anyway), so
    # this ends first: the pages close and the request in progress, if any, is waited for, before
    # the database is emptied. A presence poll (every second) from a page still open once ran
    # during that flush in SQLite's shared connection ("cannot start a transaction within a
    # transaction") and broke the browser tests after it.
    opened = Pages(browser, live_server.url)
    yield opened
    opened.close()
    with live_server.thread.serial_lock:
        pass
    assert opened.errors == [], "JavaScript errors on the pages"


@pytest.fixture
def served_media(settings, monkeypatch):
    """Serve this test's MEDIA_ROOT at /media/ (the URL pattern read the setting at import)."""
    from django.urls import get_resolver

    for pattern in get_resolver().url_patterns:
        if "document_root" in getattr(pattern, "default_args", {}):
            monkeypatch.setitem(pattern.default_args, "document_root", settings.MEDIA_ROOT)


@pytest.fixture
def demo(transactional_db):
    """The demo content (columns, a dozen articles with covers, pages, footer settings)."""
    from news import demo as demo_content

    demo_content.load()
