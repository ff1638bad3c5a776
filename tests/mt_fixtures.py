"""Machine-translation fixtures: a real Apertium APY server on loopback, and switching
the app's engine for one test."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from tests.conftest import APERTIUM, APERTIUM_MODES


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def apertium_url():
    """A real Apertium APY server on loopback, with the language pairs Debian installed."""
    if not APERTIUM:
        pytest.skip("apertium-apy is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [APERTIUM, "-p", str(port), str(APERTIUM_MODES)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    import requests

    while True:
        try:
            if requests.get(f"{url}/listPairs", timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("apertium-apy did not start")
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


MT_SETTINGS = (
    "MT_PROVIDER", "MT_TIMEOUT", "APERTIUM_URL", "LIBRETRANSLATE_URL", "LIBRETRANSLATE_API_KEY",
    "ETRANSLATION_URL", "ETRANSLATION_APPLICATION", "ETRANSLATION_PASSWORD",
    "ETRANSLATION_CALLBACK_SECRET", "PUBLIC_URL",
)  # fmt: skip


@pytest.fixture
def use_mt(app):
    """Switch the app to an engine for one test: use_mt("apertium", APERTIUM_URL=...)."""
    saved = {key: app.config.get(key) for key in MT_SETTINGS}

    def use(provider: str, **settings) -> None:
        app.config.update(MT_PROVIDER=provider, **settings)

    yield use
    app.config.update(saved)
