"""scripts/mt-engine.sh, what `make run` calls for machine translation out of the box
(issue 18): it starts Apertium's APY on a loopback port, the app then translates with
it, a second run finds it running, and without an engine the app runs without one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from app.translation import mt
from tests.conftest import APERTIUM

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mt-engine.sh"
pytestmark = pytest.mark.skipif(not APERTIUM, reason="apertium-apy is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _script(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    settings = {k: v for k, v in os.environ.items() if k not in ("MT_PROVIDER", "APERTIUM_URL")}
    settings.update(OPENIMI_MT_DIR=str(tmp_path), OPENIMI_MT_INSTALL="no", **env)
    return subprocess.run(
        ["sh", str(SCRIPT), *args], env=settings, capture_output=True, text=True, timeout=90
    )


@pytest.fixture
def engine(tmp_path):
    """The script's engine, stopped after the test."""
    yield tmp_path
    _script(tmp_path, "stop")


def _settings(output: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in output.split())


def test_it_starts_apertium_on_loopback_and_the_app_translates_with_it(app, use_mt, engine):
    port = _free_port()

    started = _script(engine, "start", APERTIUM_PORT=str(port))

    settings = _settings(started.stdout)
    assert settings == {"MT_PROVIDER": "apertium", "APERTIUM_URL": f"http://127.0.0.1:{port}"}
    assert "Machine translation: Apertium APY on" in started.stderr
    # the app, given what the script printed, sees the engine and its pairs on /healthz
    use_mt(**{"provider": settings["MT_PROVIDER"]}, APERTIUM_URL=settings["APERTIUM_URL"])
    health = app.test_client().get("/healthz").get_json()["translation"]
    assert health["engine"] == "apertium" and "fr>es" in health["pairs"]
    # French into Spanish, readable and without Apertium's marks
    with app.app_context():
        spanish = mt.provider().translate(
            "L'autorité compétente a confirmé que le diplôme est valable.", "fr", "es"
        )
    assert spanish.text == "La autoridad competente ha confirmado que el diploma es válido."
    # English into Croatian is not offered: Debian's pair marks 92 % of the words
    with app.app_context():
        assert not mt.provider().supports("en", "hr")


def test_it_listens_on_loopback_only(engine):
    port = _free_port()
    _script(engine, "start", APERTIUM_PORT=str(port))
    outside = [
        address
        for address in subprocess.run(
            ["hostname", "-I"], capture_output=True, text=True, check=False
        ).stdout.split()
        if "." in address and not address.startswith("127.")
    ]
    if not outside:
        pytest.skip("this machine has no address besides loopback")
    with socket.socket() as sock:
        sock.settimeout(2)
        assert sock.connect_ex((outside[0], port)) != 0


def test_a_second_run_finds_it_running_and_stop_ends_it(engine):
    port = _free_port()
    first = _script(engine, "start", APERTIUM_PORT=str(port))
    pid = int((engine / "apertium-apy.run").read_text().split()[0])

    began = time.monotonic()
    second = _script(engine, "start", APERTIUM_PORT=str(port))

    assert time.monotonic() - began < 5
    assert second.stdout == first.stdout and "already running" in second.stderr
    assert int((engine / "apertium-apy.run").read_text().split()[0]) == pid
    _script(engine, "stop")
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("stop left the server running")
    assert not (engine / "apertium-apy.run").exists()


def test_a_port_held_by_another_program_is_left_to_it(engine):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]

        started = _script(engine, "start", APERTIUM_PORT=str(taken))

        url = _settings(started.stdout)["APERTIUM_URL"]
        assert url.startswith("http://127.0.0.1:") and not url.endswith(f":{taken}")
        assert f"Port {taken} is in use by another program" in started.stderr


def test_without_language_pairs_the_app_runs_without_machine_translation(tmp_path):
    started = _script(tmp_path, "start", APERTIUM_MODES=str(tmp_path / "none"))

    assert started.returncode == 0
    assert started.stdout.strip() == "MT_PROVIDER=none"
    assert "Machine translation is off" in started.stderr
    assert not (tmp_path / "apertium-apy.run").exists()


def test_an_engine_chosen_by_the_operator_is_kept(tmp_path):
    started = _script(tmp_path, "start", MT_PROVIDER="libretranslate")

    assert started.stdout.strip() == "MT_PROVIDER=libretranslate"
    assert not (tmp_path / "apertium-apy.run").exists()
