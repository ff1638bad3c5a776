"""The shipped settings are complete and load: the .env example names every variable
app/config.py reads and starts both instances; the nginx site loads under Debian's own
nginx.conf, with Debian's brotli module and without it; systemd accepts the units."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import REQUIRED, check_isolation, finish_config, load_config
from tests.deploy.conftest import (
    ANALYZE,
    DEPLOY,
    NGINX,
    ROOT,
    SHIPPED_ROOT,
    load_render,
    read_env_file,
    unavailable,
)

EXAMPLE = DEPLOY / "production.env.example"
DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")


def _variables_read_by_the_app() -> set[str]:
    source = (ROOT / "app" / "config.py").read_text()
    plain = set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', source))
    per_instance = set(re.findall(r'_env\(\s*"([A-Z_]+)", instance\)', source))
    per_instance |= set(REQUIRED.values())
    plain.discard("PORT")  # where `make run` serves, in development only
    return plain | per_instance | {f"TRAINING_{name}" for name in per_instance}


def test_the_env_example_sets_every_variable_the_app_reads():
    example = read_env_file(EXAMPLE)
    missing = sorted(_variables_read_by_the_app() - set(example))
    assert not missing, f"{EXAMPLE.name} lacks {missing}"
    placeholders = load_render().placeholders((DEPLOY / "nginx" / "openimi.conf").read_text())
    assert placeholders <= set(example), sorted(placeholders - set(example))
    for unit in (DEPLOY / "systemd").glob("*.service"):
        assert "EnvironmentFile=/etc/openimi/openimi.env" in unit.read_text(), unit.name


def test_both_instances_start_with_the_env_example(monkeypatch, tmp_path):
    for name, value in read_env_file(EXAMPLE).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OPENIMI_INSTANCE_DIR", str(tmp_path))
    configs = [load_config(instance) for instance in ("production", "training")]
    for config in configs:
        finish_config(config)
    check_isolation(*configs)
    production, training = configs
    assert production["BEHIND_PROXY"] and production["SESSION_COOKIE_SECURE"]
    assert not production["DEVELOPMENT"]
    assert production["REDIS_URL"] and training["REDIS_URL"]


@pytest.mark.parametrize("brotli", [True, False], ids=["with brotli", "without brotli"])
def test_the_site_loads_under_debians_nginx_conf(brotli, certificate, tmp_path):
    if not NGINX or not DEBIAN_NGINX_CONF.exists():
        unavailable("nginx is not installed (apt-get install nginx)")
    render = load_render()
    module = render.BROTLI_MODULE
    if brotli and not module.exists():
        unavailable("libnginx-mod-http-brotli-static is not installed")
    cert, key = certificate
    values = {
        **read_env_file(EXAMPLE),
        "OPENIMI_TLS_CERTIFICATE": str(cert),
        "OPENIMI_TLS_CERTIFICATE_KEY": str(key),
        "OPENIMI_NGINX_CONF_DIR": str(tmp_path),
    }
    site = render.install_nginx(values, brotli_module=module if brotli else tmp_path / "none")
    assert (tmp_path / "openimi-brotli.conf").exists() == brotli
    conf = DEBIAN_NGINX_CONF.read_text()
    conf = re.sub(r"^pid .*$", f"pid {tmp_path / 'nginx.pid'};", conf, flags=re.MULTILINE)
    conf = conf.replace("/var/log/nginx/", f"{tmp_path}/")
    conf = conf.replace("include /etc/nginx/sites-enabled/*;", f"include {site};")
    if not brotli:
        conf = conf.replace("include /etc/nginx/modules-enabled/*.conf;", "")
    (tmp_path / "nginx.conf").write_text(conf)
    checked = subprocess.run(
        [NGINX, "-t", "-e", str(tmp_path / "error.log"), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert "warn" not in checked.stderr, checked.stderr


def test_the_systemd_units_verify(tmp_path):
    """systemd-analyze finds no unknown key, bad value or missing command in the units,
    placed where they point (the checkout and its virtualenv)."""
    if not ANALYZE:
        unavailable("systemd-analyze is not installed (apt-get install systemd)")
    venv = f"{Path(sys.executable).parent}/"
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text().replace(f"{SHIPPED_ROOT}/.venv/bin/", venv)
        (tmp_path / unit.name).write_text(text.replace(SHIPPED_ROOT, str(ROOT)))
    checked = subprocess.run(
        [ANALYZE, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert checked.returncode == 0 and not (checked.stdout + checked.stderr).strip(), (
        checked.stdout + checked.stderr
    )
