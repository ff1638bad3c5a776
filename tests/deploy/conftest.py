"""The shipped deployment (deploy/), run as shipped: gunicorn started from the ExecStart
line of deploy/systemd/openimi-web.service with deploy/gunicorn.conf.py, RQ workers from
openimi-worker@.service, Debian's nginx with deploy/nginx/openimi.conf rendered by
deploy/render.py, all on loopback ports of their own, against the test databases, Redis
and SMTP server of tests/conftest.py, with a throwaway certificate made here.

Without nginx (or openssl) the nginx tests skip and the run ends with NOT COVERED, unless
OPENIMI_REQUIRE_SERVICES=1 (CI), where a missing one is a failure.
"""

from __future__ import annotations

import getpass
import importlib.util
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis as redis_lib
import requests

from tests.browser.conftest import browser, new_page, watch  # noqa: F401 (fixtures)
from tests.conftest import REDIS, REDIS_URL, REQUIRE

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SBIN_PATH = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
NGINX = shutil.which("nginx", path=SBIN_PATH)
OPENSSL = shutil.which("openssl", path=SBIN_PATH)
ANALYZE = shutil.which("systemd-analyze", path=SBIN_PATH)
SHIPPED_ROOT = "/srv/openimi"  # where the systemd units expect the checkout


def unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"OPENIMI_REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    # Known before any test runs, so that xdist's controller says it too.
    for tool, package in ((NGINX, "nginx"), (OPENSSL, "openssl"), (ANALYZE, "systemd")):
        if not tool:
            terminalreporter.write_line(
                f"NOT COVERED: {package} is not installed; the tests of the shipped "
                "deployment (deploy/) that need it were skipped.",
                yellow=True,
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_render():
    """deploy/render.py, which installs the nginx site (deploy/ is no package)."""
    spec = importlib.util.spec_from_file_location("deploy_render", DEPLOY / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile reads them (quotes stripped)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def exec_start(unit: str) -> list[str]:
    """The unit's (first) ExecStart, its paths moved from /srv/openimi to this checkout
    and its virtualenv to the one running the tests."""
    text = (DEPLOY / "systemd" / unit).read_text()
    line = re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1)
    line = line.replace(f"{SHIPPED_ROOT}/.venv/bin/", f"{Path(sys.executable).parent}/")
    return shlex.split(line.replace(SHIPPED_ROOT, str(ROOT)))


def unit_setting(unit: str, name: str) -> str:
    text = (DEPLOY / "systemd" / unit).read_text()
    return re.search(rf"^{name}=(.*)$", text, re.MULTILINE).group(1)


def wait_for(check, what: str, timeout: float = 90.0, process=None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process ended ({process.returncode})")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not ready after {timeout} s")
        time.sleep(0.1)


class Services:
    """Processes started for one test, stopped (SIGTERM, then SIGKILL) at its end."""

    def __init__(self, tmp: Path, env: dict[str, str]):
        self.tmp, self.env, self.processes = tmp, env, []
        self.http_port: int | None = None  # nginx's plain HTTP port

    def start(self, name: str, command: list[str], **env) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        process = subprocess.Popen(
            command,
            cwd=unit_setting("openimi-web.service", "WorkingDirectory").replace(
                SHIPPED_ROOT, str(ROOT)
            ),
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append((name, process, log))
        return process

    def gunicorn(self, name: str, **env) -> str:
        """The web app as openimi-web.service starts it, on a port of its own; returns
        its URL at once (ready() waits for it)."""
        port = free_port()
        self.start(
            name,
            exec_start("openimi-web.service"),
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_ACCESS_LOG=str(self.tmp / f"{name}.access.log"),
            **env,
        )
        return f"http://127.0.0.1:{port}"

    def ready(self, name: str, url: str) -> None:
        process = next(p for n, p, _ in self.processes if n == name)
        wait_for(lambda: requests.get(f"{url}/healthz", timeout=2).ok, name, process=process)

    def worker(self, name: str) -> subprocess.Popen:
        """An RQ worker as openimi-worker@.service starts it."""
        return self.start(name, exec_start("openimi-worker@.service"))

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        """All at once, last started first (nginx lets go of its connections to gunicorn,
        which then has no request left to wait for); each gets 15 s to finish."""
        for _, process, _ in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for _, process, log in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def _clean_redis(prefix: str) -> None:
    connection = redis_lib.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"rq:*{prefix}*"):
        connection.delete(key)
    for key in connection.scan_iter("rq:job:*"):
        if prefix in (connection.hget(key, "origin") or b"").decode():
            connection.delete(key)
    for member in connection.smembers("rq:queues"):
        if prefix in member.decode():
            connection.srem("rq:queues", member)


def _settings(database_urls, instance_dir, smtp_server, tmp: Path, prefix: str, public: str):
    """Production settings from deploy/production.env.example, pointed at the test
    databases, Redis (a key prefix of the stack's own), SMTP server and folders."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OPENIMI_", "TRAINING_", "GUNICORN_", "PYTEST_"))
    }
    env.update(read_env_file(DEPLOY / "production.env.example"))
    env.update(
        OPENIMI_INSTANCE_DIR=str(tmp / "instance"),
        DATABASE_URL=database_urls["production"],
        TRAINING_DATABASE_URL=database_urls["training"],
        SECRET_KEY="deploy test key of production",
        TRAINING_SECRET_KEY="deploy test key of training",
        PUBLIC_URL=public,
        TRAINING_PUBLIC_URL=f"{public}/training",
        REDIS_URL=REDIS_URL,
        TRAINING_REDIS_URL=REDIS_URL,
        REDIS_PREFIX=prefix,
        TRAINING_REDIS_PREFIX=f"{prefix}-training",
        UPLOAD_DIR=str(instance_dir / "uploads"),
        TRAINING_UPLOAD_DIR=str(instance_dir / "uploads-training"),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_server.port),
        MT_PROVIDER="none",
        TRAINING_MT_PROVIDER="none",
        # One process each: the stack runs several on a small machine.
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="4",
        PYTHONPATH=str(ROOT),
    )
    return env


@dataclass
class Stack:
    """What runs for the deploy tests: two app servers, two workers, and nginx in front
    of the first app server (None, with the reason, where nginx or openssl is missing)."""

    services: Services
    web: list[str]
    workers: list[subprocess.Popen]
    nginx: str | None
    missing: str | None
    certificate: Path | None


@pytest.fixture(scope="package")
def stack(apps, database_urls, instance_dir, smtp_server, tmp_path_factory) -> Iterator[Stack]:
    """Started once for the package (each start imports the app, seconds of CPU); each
    test's `app` fixture empties the tables under it, as between two days of use."""
    if not REDIS:
        pytest.skip("Redis is not reachable")
    tmp = tmp_path_factory.mktemp("deploy")
    prefix = f"deploy-{uuid.uuid4().hex[:8]}"
    https_port = free_port()
    public = f"https://127.0.0.1:{https_port}"
    env = _settings(database_urls, instance_dir, smtp_server, tmp, prefix, public)
    services = Services(tmp, env)
    missing = None
    if not OPENSSL:
        missing = "openssl is not installed (apt-get install openssl)"
    if not NGINX:
        missing = "nginx is not installed (apt-get install nginx)"
    try:
        workers = [services.worker(f"worker-{n}") for n in (1, 2)]
        web = [services.gunicorn(f"web-{n}") for n in (1, 2)]
        nginx_url = certificate = None
        if missing is None:
            from app.compression import precompress

            # `make static` (flask compress-static), as after every update
            precompress(ROOT / "app" / "static")
            certificate, key = make_certificate(tmp)
            nginx_process = _start_nginx(
                services, web[0].removeprefix("http://"), https_port, certificate, key
            )
        for n, url in enumerate(web, 1):
            services.ready(f"web-{n}", url)
        if missing is None:
            wait_for(
                lambda: requests.get(f"{public}/healthz", verify=str(certificate), timeout=2).ok,
                "nginx",
                process=nginx_process,
            )
            nginx_url = public
        yield Stack(services, web, workers, nginx_url, missing, certificate)
    finally:
        services.stop()
        _clean_redis(prefix)


@pytest.fixture
def nginx(stack) -> str:
    """The https URL of Debian's nginx serving the shipped site, in front of stack.web[0]."""
    if stack.nginx is None:
        unavailable(stack.missing)
    return stack.nginx


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1, valid for a day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    if not OPENSSL:
        unavailable("openssl is not installed (apt-get install openssl)")
    return make_certificate(tmp_path_factory.mktemp("tls"))


def nginx_main_conf(folder: Path, site: Path, brotli_module: Path | None) -> Path:
    """What Debian's /etc/nginx/nginx.conf provides around a site, in a folder of the
    test's own (pid, logs, temporary files)."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir(exist_ok=True)
    temp = "\n".join(
        f"    {kind}_temp_path {folder / name};"
        for kind, name in (
            ("client_body", "body"),
            ("proxy", "proxy"),
            ("fastcgi", "fastcgi"),
            ("uwsgi", "uwsgi"),
            ("scgi", "scgi"),
        )
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        (f"load_module {brotli_module};\n" if brotli_module else "")
        + f"user {getpass.getuser()};\n"
        + "worker_processes 1;\n"
        + f"pid {folder / 'nginx.pid'};\n"
        + f"error_log {folder / 'error.log'} warn;\n"
        + "events { worker_connections 256; }\n"
        + "http {\n"
        + "    include /etc/nginx/mime.types;\n"
        + "    default_type application/octet-stream;\n"
        + f"    access_log {folder / 'access.log'};\n"
        + temp
        + f"\n    include {site};\n}}\n"
    )
    return conf


def _start_nginx(services, upstream: str, https_port: int, cert: Path, key: Path):
    """Debian's nginx with deploy/nginx/openimi.conf as deploy/render.py installs it."""
    render = load_render()
    folder = services.tmp / "nginx"
    folder.mkdir()
    services.http_port = free_port()
    values = {
        **services.env,
        "OPENIMI_SERVER_NAME": "127.0.0.1",
        "OPENIMI_HTTP_LISTEN": f"127.0.0.1:{services.http_port}",
        "OPENIMI_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
        "OPENIMI_TLS_CERTIFICATE": str(cert),
        "OPENIMI_TLS_CERTIFICATE_KEY": str(key),
        "OPENIMI_STATIC_ROOT": str(ROOT / "app" / "static"),
        "OPENIMI_UPSTREAM": upstream,
        "OPENIMI_NGINX_CONF_DIR": str(folder),
    }
    site = render.install_nginx(values)
    module = render.BROTLI_MODULE if render.BROTLI_MODULE.exists() else None
    conf = nginx_main_conf(folder, site, module)
    command = [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(conf)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    return services.start("nginx", [*command, "-g", "daemon off;"])


class PlainHttpSession(requests.Session):
    """Keeps the app's Secure cookies usable over plain HTTP: the two-app test talks to
    gunicorn directly, as nginx does, without TLS."""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def http_session() -> requests.Session:
    return PlainHttpSession()
