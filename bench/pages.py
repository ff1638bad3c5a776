"""Page weight of OpenIMI against the budgets of DESIGN.md section 4, as received.

    python bench/pages.py                     (or: make bench)
    python bench/pages.py --base-url URL      (a running server: make run, nginx)

In-process (the default), it builds the apps exactly as wsgi.py does, on a throw-away
SQLite instance folder, migrates them, seeds the demo data, signs a demo user in through
the Flask test client (password, then TOTP) and measures the public pages, the officer
pages and the htmx partial of a directory search. These are the bytes `make run` sends:
the same app, with the same compression, and the static variants of `make static`.

With --base-url it asks a running server over HTTP (urllib, which never decompresses),
for the pages a visitor sees without signing in, and their static files: the bytes that
`make run` or the shipped nginx stack put on the wire (--insecure for a throwaway
certificate).

Every request says `Accept-Encoding: gzip, br`, as browsers do. For each response it
prints the bytes as received and the bytes once decoded (uncompressed), and per page:
- first visit: page + CSS + JS + fonts (the stylesheets' url()s), as received, cold cache;
- later visit: the page only (static files have hashed names and are immutable);
- first-visit load time on a 400 kbit/s link with 400 ms RTT, with a simple model:
  3 round trips + bytes received / bandwidth.

It prints figures and OK/OVER per row; it never fails (it is not a test).
"""

from __future__ import annotations

import argparse
import gzip
import html
import os
import re
import ssl
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli

ROOT = Path(__file__).resolve().parent.parent
KB = 1024
ACCEPT_ENCODING = "gzip, br"

BUDGET_FIRST_VISIT = 25 * KB
BUDGET_LATER_VISIT = 8 * KB
BUDGET_PARTIAL = 3 * KB
BUDGET_SECONDS = 2.0
BANDWIDTH_BITS = 400_000
RTT_SECONDS = 0.4
ROUND_TRIPS = 3

SEARCH_QUERY = "ministry"
PUBLIC_PAGES = [
    ("sign-in page", "/sign-in"),
    ("public start page", "/public/"),
    ("public complaint form", "/public/solvit_complaint/DE/new"),
]
# Settings that could point the bench at a real database, queue, mail server or folder.
FOREIGN_SETTINGS = [
    f"{prefix}{name}"
    for prefix in ("", "TRAINING_")
    for name in ("DATABASE_URL", "REDIS_URL", "UPLOAD_DIR", "PUBLIC_URL", "SECRET_KEY")
] + ["MAIL_SERVER", "BEHIND_PROXY"]


@dataclass
class Received:
    """One response: its bytes as received, and decoded."""

    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes  # as received

    @property
    def encoding(self) -> str:
        return self.headers.get("content-encoding", "") or "none"

    @property
    def decoded(self) -> bytes:
        if self.encoding == "br":
            return brotli.decompress(self.body)
        if self.encoding == "gzip":
            return gzip.decompress(self.body)
        return self.body


class TestClientFetcher:
    """Requests through the Flask test client: the app's own bytes."""

    def __init__(self, client):
        self.client = client

    def get(self, url: str, **headers) -> Received:
        response = self.client.get(url, headers={"Accept-Encoding": ACCEPT_ENCODING, **headers})
        received = Received(
            response.status_code,
            {k.lower(): v for k, v in response.headers.items()},
            response.get_data(),
        )
        response.close()
        return received


class HttpFetcher:
    """Requests to a running server; urllib hands the body over as it came."""

    def __init__(self, base_url: str, insecure: bool):
        self.base_url = base_url.rstrip("/") + "/"
        self.context = ssl._create_unverified_context() if insecure else None

    def get(self, url: str, **headers) -> Received:
        request = urllib.request.Request(
            urljoin(self.base_url, url.lstrip("/")),
            headers={"Accept-Encoding": ACCEPT_ENCODING, **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=30, context=self.context) as response:
                return Received(
                    response.status,
                    {k.lower(): v for k, v in response.headers.items()},
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            return Received(error.code, {k.lower(): v for k, v in error.headers.items()}, b"")


@dataclass
class Asset:
    url: str
    raw: int
    received: int
    encoding: str
    cache_control: str

    @property
    def name(self) -> str:
        return self.url.split("/static/", 1)[-1].split("?", 1)[0]


@dataclass
class Page:
    label: str
    url: str
    raw: int
    received: int
    encoding: str
    assets: list[str]
    whole_page: bool
    rows: int


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


def measure(fetcher, label: str, url: str, **headers) -> Page:
    response = fetcher.get(url, **headers)
    if response.status != 200:
        raise SystemExit(f"bench: {url} answered {response.status}")
    body = response.decoded
    text = body.decode()
    assets = [
        html.unescape(src)
        for src in re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
        + re.findall(r'<script src="([^"]+)"', text)
    ]
    rows = max(text.count("<tr>") - 1, 0)  # the header row is not a result
    label = f"{label} ({rows} rows)" if rows else label
    return Page(
        label, url, len(body), len(response.body), response.encoding, assets, "<html" in text, rows
    )


def fetch_assets(fetcher, urls) -> dict[str, Asset]:
    """The static files, and the fonts (and images) their stylesheets name in url()."""
    assets: dict[str, Asset] = {}
    pending = sorted(set(urls))
    while pending:
        url = pending.pop(0)
        if url in assets:
            continue
        response = fetcher.get(url)
        if response.status != 200:
            raise SystemExit(f"bench: {url} answered {response.status}")
        data = response.decoded
        assets[url] = Asset(
            url,
            len(data),
            len(response.body),
            response.encoding,
            response.headers.get("cache-control", ""),
        )
        if urlsplit(url).path.endswith(".css"):
            for ref in re.findall(rb"url\(\s*['\"]?([^'\")]+)", data):
                ref = ref.decode()
                if not ref.startswith("data:"):
                    pending.append(urljoin(url, ref))
    return assets


def first_visit(page: Page, assets: dict[str, Asset]) -> int:
    """The page and everything it loads, fonts included (all assets of the stylesheets)."""
    css_children = [
        url for url in assets if url not in page.assets and not url.endswith((".css", ".js"))
    ]
    return page.received + sum(assets[url].received for url in [*page.assets, *css_children])


def load_seconds(size: int) -> float:
    return ROUND_TRIPS * RTT_SECONDS + size * 8 / BANDWIDTH_BITS


def report(pages: list[Page], partials: list[Page], assets: dict[str, Asset], where: str) -> None:
    print(
        f"OpenIMI page weight against DESIGN.md section 4, {where}; every request with "
        f"Accept-Encoding: {ACCEPT_ENCODING} (1 KB = 1024 B)"
    )
    print()
    print("static files (a first visit downloads them once)")
    for asset in assets.values():
        cached = "immutable" in asset.cache_control
        note = "" if cached else "   NOT immutable: later visits fetch it again"
        if asset.encoding == "none" and asset.raw > 1024:
            note += "   NOT compressed (make static not run?)"
        print(
            f"  {asset.name:<28} {kb(asset.raw)} raw {kb(asset.received)} received "
            f"({asset.encoding:<4})   Cache-Control: {asset.cache_control or '(none)'}{note}"
        )
    print()
    header = (
        f"  {'page':<38} {'visit':<26} {'raw':>9} {'received':>9} {'enc':>4} "
        f"{'total rcvd':>10} {'budget':>9}  verdict"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for page in pages:
        first = first_visit(page, assets)
        uncached = [url for url in page.assets if "immutable" not in assets[url].cache_control]
        later = page.received + sum(assets[url].received for url in uncached)
        for visit, size, budget in (
            ("first (page+CSS+JS+fonts)", first, BUDGET_FIRST_VISIT),
            ("later (page only)", later, BUDGET_LATER_VISIT),
        ):
            print(
                f"  {page.label:<38} {visit:<26} {kb(page.raw):>9} {kb(page.received):>9} "
                f"{page.encoding:>4} {kb(size):>10} {kb(budget):>9}  {verdict(size, budget)}"
            )
    for page in partials:
        print(
            f"  {page.label:<38} {'htmx partial':<26} {kb(page.raw):>9} "
            f"{kb(page.received):>9} {page.encoding:>4} {kb(page.received):>10} "
            f"{kb(BUDGET_PARTIAL):>9}  {verdict(page.received, BUDGET_PARTIAL)}"
        )
    print()
    print(
        f"first visit on {BANDWIDTH_BITS // 1000} kbit/s with {RTT_SECONDS * 1000:.0f} ms RTT "
        f"(model: {ROUND_TRIPS} round trips + bytes received / bandwidth)"
    )
    for page in pages:
        seconds = load_seconds(first_visit(page, assets))
        print(
            f"  {page.label:<38} {seconds:5.2f} s   budget {BUDGET_SECONDS:.1f} s   "
            f"{verdict(seconds, BUDGET_SECONDS)}"
        )


def live(base_url: str, insecure: bool) -> None:
    """A running server: the pages a visitor sees without signing in."""
    fetcher = HttpFetcher(base_url, insecure)
    pages = [measure(fetcher, label, url) for label, url in PUBLIC_PAGES]
    assets = fetch_assets(fetcher, [url for page in pages for url in page.assets])
    report(pages, [], assets, f"as received from {base_url}")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--base-url", help="measure a running server (public pages only)")
    options.add_argument("--insecure", action="store_true", help="accept any TLS certificate")
    arguments = options.parse_args()
    if arguments.base_url:
        live(arguments.base_url, arguments.insecure)
    else:
        in_process()


def in_process() -> None:
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

        visitor = TestClientFetcher(wsgi.app.test_client())
        pages = [measure(visitor, label, url) for label, url in PUBLIC_PAGES]
        client = wsgi.app.test_client()
        sign_in(client, account)
        officer = TestClientFetcher(client)
        for label, url in (
            ("directory page", "/directory"),
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
        assets = fetch_assets(visitor, [url for page in pages for url in page.assets])
        print(f"(signed in as {account.email}, roles: {', '.join(account.roles)})")
        report(pages, partials, assets, "in process (the bytes `make run` sends)")


if __name__ == "__main__":
    main()
