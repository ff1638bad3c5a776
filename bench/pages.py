"""Page weight of OpenIMI against the budgets of DESIGN.md section 4.

    python bench/pages.py        (or: make bench)

Builds the apps exactly as wsgi.py does, on a throw-away SQLite instance folder, migrates
them, seeds the demo data, signs a demo user in through the Flask test client (password,
then TOTP) and measures, for the sign-in page, the directory page and the htmx partial
of a directory search:

- HTML bytes, raw and gzip-compressed;
- first visit: HTML + CSS + JS, all gzip-compressed (cold cache);
- later visit: HTML only (the static files have hashed names and are immutable);
- first-visit load time on a 400 kbit/s link with 400 ms RTT, with a simple model:
  3 round trips + compressed bytes / bandwidth.

It prints figures and OK/OVER per row; it never fails (it is not a test).
"""

from __future__ import annotations

import gzip
import html
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = 1024
GZIP_LEVEL = 6  # what a front proxy typically uses for dynamic pages

BUDGET_FIRST_VISIT = 35 * KB
BUDGET_LATER_VISIT = 8 * KB
BUDGET_PARTIAL = 3 * KB
BUDGET_SECONDS = 2.5
BANDWIDTH_BITS = 400_000
RTT_SECONDS = 0.4
ROUND_TRIPS = 3

SEARCH_QUERY = "ministry"
# Settings that could point the bench at a real database, queue, mail server or folder.
FOREIGN_SETTINGS = [
    f"{prefix}{name}"
    for prefix in ("", "TRAINING_")
    for name in ("DATABASE_URL", "REDIS_URL", "UPLOAD_DIR", "PUBLIC_URL", "SECRET_KEY")
] + ["MAIL_SERVER", "BEHIND_PROXY"]


@dataclass
class Asset:
    url: str
    raw: int
    compressed: int
    cache_control: str

    @property
    def name(self) -> str:
        return self.url.split("/static/", 1)[-1].split("?", 1)[0]


@dataclass
class Page:
    label: str
    url: str
    raw: int
    compressed: int
    assets: list[str]
    whole_page: bool
    rows: int


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def kb(size: float) -> str:
    return f"{size / KB:6.1f} KB"


def verdict(size: float, budget: float) -> str:
    return "OK" if size <= budget else "OVER"


def csrf_token(body: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    if match is None:
        raise SystemExit("bench: no CSRF token in the page")
    return match.group(1)


def sign_in(client, account) -> None:
    """Both factors, as the demo user would type them."""
    import pyotp

    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token(page.get_data(True)),
            "email": account.email,
            "password": account.password,
        },
    )
    if response.status_code != 302 or not response.headers["Location"].endswith("/code"):
        raise SystemExit(f"bench: the password step failed for {account.email}")
    page = client.get("/sign-in/code")
    response = client.post(
        "/sign-in/code",
        data={
            "csrf_token": csrf_token(page.get_data(True)),
            "code": pyotp.TOTP(account.totp_secret).now(),
        },
    )
    if response.status_code != 302:
        raise SystemExit(f"bench: the code step failed for {account.email}")


def measure(client, label: str, url: str, **headers) -> Page:
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}")
    body = response.get_data()
    text = body.decode()
    assets = [
        html.unescape(src)
        for src in re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
        + re.findall(r'<script src="([^"]+)"', text)
    ]
    rows = max(text.count("<tr>") - 1, 0)  # the header row is not a result
    label = f"{label} ({rows} rows)" if rows else label
    return Page(label, url, len(body), gz(body), assets, "<html" in text, rows)


def fetch_asset(client, url: str) -> Asset:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"bench: {url} answered {response.status_code}")
    data = response.get_data()
    response.close()
    return Asset(url, len(data), gz(data), response.headers.get("Cache-Control", ""))


def load_seconds(size: int) -> float:
    return ROUND_TRIPS * RTT_SECONDS + size * 8 / BANDWIDTH_BITS


def report(pages: list[Page], partials: list[Page], assets: dict[str, Asset]) -> None:
    print(f"OpenIMI page weight against DESIGN.md section 4 (gzip -{GZIP_LEVEL}, 1 KB = 1024 B)")
    print()
    print("static files (a first visit downloads them once)")
    for asset in assets.values():
        cached = "immutable" in asset.cache_control
        note = "" if cached else "   NOT immutable: later visits fetch it again"
        print(
            f"  {asset.name:<28} {kb(asset.raw)} raw {kb(asset.compressed)} gzip   "
            f"Cache-Control: {asset.cache_control or '(none)'}{note}"
        )
    print()
    header = (
        f"  {'page':<38} {'visit':<24} {'HTML raw':>9} {'HTML gz':>9} "
        f"{'sent gz':>9} {'budget':>9}  verdict"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for page in pages:
        first = page.compressed + sum(assets[url].compressed for url in page.assets)
        uncached = [url for url in page.assets if "immutable" not in assets[url].cache_control]
        later = page.compressed + sum(assets[url].compressed for url in uncached)
        for visit, size, budget in (
            ("first (HTML+CSS+JS)", first, BUDGET_FIRST_VISIT),
            ("later (HTML only)", later, BUDGET_LATER_VISIT),
        ):
            print(
                f"  {page.label:<38} {visit:<24} {kb(page.raw):>9} {kb(page.compressed):>9} "
                f"{kb(size):>9} {kb(budget):>9}  {verdict(size, budget)}"
            )
    for page in partials:
        print(
            f"  {page.label:<38} {'htmx partial':<24} {kb(page.raw):>9} "
            f"{kb(page.compressed):>9} {kb(page.compressed):>9} {kb(BUDGET_PARTIAL):>9}  "
            f"{verdict(page.compressed, BUDGET_PARTIAL)}"
        )
    print()
    print(
        f"first visit on {BANDWIDTH_BITS // 1000} kbit/s with {RTT_SECONDS * 1000:.0f} ms RTT "
        f"(model: {ROUND_TRIPS} round trips + gzip bytes / bandwidth)"
    )
    for page in pages:
        first = page.compressed + sum(assets[url].compressed for url in page.assets)
        seconds = load_seconds(first)
        print(
            f"  {page.label:<38} {seconds:5.2f} s   budget {BUDGET_SECONDS:.1f} s   "
            f"{verdict(seconds, BUDGET_SECONDS)}"
        )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="openimi-bench-") as folder:
        # Before the app is imported: its configuration is read at import time.
        os.environ["OPENIMI_INSTANCE_DIR"] = folder
        os.environ["OPENIMI_ENV"] = "development"
        for name in FOREIGN_SETTINGS:
            os.environ.pop(name, None)
        sys.path.insert(0, str(ROOT))

        import wsgi
        from app import demo
        from app.migrate import upgrade

        for instance in (wsgi.app, wsgi.training):
            upgrade(instance)
        with wsgi.app.app_context():
            accounts = demo.seed()
        # The account that sees the most (coordinator and administrator): the fullest header.
        account = max(accounts, key=lambda a: len(a.roles))

        anonymous = wsgi.app.test_client()
        pages = [measure(anonymous, "sign-in page", "/sign-in")]
        visitor = wsgi.app.test_client()
        pages.append(measure(visitor, "public start page", "/public/"))
        pages.append(measure(visitor, "public complaint form", "/public/solvit_complaint/DE/new"))
        officer = wsgi.app.test_client()
        sign_in(officer, account)
        pages.append(measure(officer, "directory page", "/directory"))
        for label, url in (
            ("request inbox", "/requests?box=received&state=all"),
            ("alert inbox", "/alerts?box=received&state=all"),
            ("repositories", "/repositories"),
            ("public cases inbox", "/public-cases?state=all"),
        ):
            pages.append(measure(officer, label, url))
        htmx = {"HX-Request": "true", "HX-Current-URL": "http://localhost/directory"}
        partials = [
            measure(
                officer,
                f"directory search, q={SEARCH_QUERY}",
                f"/directory?q={SEARCH_QUERY}",
                **htmx,
            ),
            measure(officer, "directory search, no query", "/directory?q=", **htmx),
        ]
        for partial in partials:
            if partial.whole_page:
                raise SystemExit(f"bench: {partial.url} sent a whole page, not a partial")
        urls = {url for page in pages for url in page.assets}
        assets = {url: fetch_asset(anonymous, url) for url in sorted(urls)}
        print(f"(signed in as {account.email}, roles: {', '.join(account.roles)})")
        report(pages, partials, assets)


if __name__ == "__main__":
    main()
