"""Browser tests: Debian's chromium driven by Playwright against a real loopback server.

The server runs the test apps of tests/conftest.py (production at /, training at
/training) in a thread. Playwright's browser download is never used: `playwright install`
fails on this network, so the tests launch /usr/bin/chromium. Without it the tests skip,
unless OPENIMI_REQUIRE_SERVICES=1 (CI), where a missing browser is a failure.

The sync API refuses to run inside a running asyncio loop; pytest-asyncio is not used,
and aiosmtpd runs its loop in a thread of its own, so the main thread has none.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser.helpers import Watch

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE = os.environ.get("OPENIMI_REQUIRE_SERVICES") == "1"
_versions: dict[str, str] = {}


def _unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"OPENIMI_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(WSGIRequestHandler):
    """The server's access log would drown the test output."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def live_server(apps) -> Iterator[str]:
    """The production app (with training at /training) on 127.0.0.1, threaded."""
    production, _training = apps
    server = make_server("127.0.0.1", 0, production, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(autouse=True)
def public_url_on_live_server(apps, live_server, monkeypatch):
    """Mailed links lead to the live server, as PUBLIC_URL leads to the real one (its
    host, 127.0.0.1, is among the harness's TRUSTED_HOSTS)."""
    production, training = apps
    monkeypatch.setitem(production.config, "PUBLIC_URL", live_server)
    monkeypatch.setitem(training.config, "PUBLIC_URL", f"{live_server}/training")


@pytest.fixture(scope="session")
def browser():
    """One chromium for the session (Playwright's sync API)."""
    if not CHROMIUM.exists():
        _unavailable(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); "
            "`playwright install` is not used"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    from importlib.metadata import version

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        _versions["chromium"] = chromium.version
        _versions["playwright"] = version("playwright")
        yield chromium
        chromium.close()


def pytest_terminal_summary(terminalreporter):
    if _versions:
        terminalreporter.write_line(
            f"browser tests: chromium {_versions['chromium']} "
            f"driven by playwright {_versions['playwright']}"
        )


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def new_page(browser, watch):
    """Open a page in a fresh browser context (its own cookies): one per person."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(locale="en-GB", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch.attach(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
