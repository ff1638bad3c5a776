"""Fill in the ${OPENIMI_...} placeholders of deploy/nginx/openimi.conf and install it.

    set -a; . /etc/openimi/openimi.env; set +a
    python3 deploy/render.py          # writes $OPENIMI_NGINX_CONF_DIR/sites-available/openimi

It writes the brotli snippet next to it only when Debian's brotli_static module is
installed, so that the site loads with or without it. Only the standard library: it runs
before any virtualenv exists. tests/deploy/ renders the same files through it.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE / "nginx" / "openimi.conf"
BROTLI = HERE / "nginx" / "brotli.conf"
BROTLI_MODULE = Path("/usr/share/nginx/modules/ngx_http_brotli_static_module.so")
PLACEHOLDER = re.compile(r"\$\{(OPENIMI_[A-Z0-9_]+)\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render(text: str, values: dict[str, str]) -> str:
    """The text with every ${OPENIMI_...} replaced; a missing or empty value is an error
    (nginx's own $variables are left alone)."""
    missing = sorted(name for name in placeholders(text) if not values.get(name))
    if missing:
        raise SystemExit(f"deploy/render.py: set {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def install_nginx(values: dict[str, str], brotli_module: Path = BROTLI_MODULE) -> Path:
    """Write the site into <conf dir>/sites-available/openimi and, with the module, the
    brotli snippet into <conf dir>/openimi-brotli.conf (removed without it)."""
    conf_dir = Path(values.get("OPENIMI_NGINX_CONF_DIR") or "/etc/nginx")
    site = conf_dir / "sites-available" / "openimi"
    site.parent.mkdir(parents=True, exist_ok=True)
    site.write_text(render(SITE.read_text(), {**values, "OPENIMI_NGINX_CONF_DIR": str(conf_dir)}))
    snippet = conf_dir / "openimi-brotli.conf"
    if brotli_module.exists():
        snippet.write_text(BROTLI.read_text())
    else:
        snippet.unlink(missing_ok=True)
    return site


def main() -> None:
    site = install_nginx(dict(os.environ))
    print(f"wrote {site}; enable it with: ln -sf {site} {site.parent.parent}/sites-enabled/")


if __name__ == "__main__":
    sys.exit(main())
