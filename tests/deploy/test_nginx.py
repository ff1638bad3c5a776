"""Debian's nginx with the shipped site (deploy/nginx/openimi.conf) in front of gunicorn
with the shipped settings, over TLS with a throwaway certificate: a browser signs in,
opens the inbox and a case page (axe clean); static files come from nginx, pre-compressed
and cached for a year; HTTP/2 is negotiated; the app sees the proxy's headers once."""

from __future__ import annotations

import re
import socket
import ssl
from pathlib import Path

import pytest
import requests

from tests.browser.helpers import sign_in
from tests.deploy.conftest import ROOT
from tests.snapshots import restored
from tests.web.requests.conftest import _people, as_user, compose, only_request

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.xdist_group("deploy")]


def _alpn(port: int, cert) -> tuple[str | None, str | None]:
    """The protocol ALPN chose and the TLS version, as a browser's handshake gets them."""
    context = ssl.create_default_context(cafile=str(cert))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        return tls.selected_alpn_protocol(), tls.version()


def test_a_browser_works_through_the_shipped_nginx(app, stack, nginx, new_page, watch):
    people = restored("requests: people", _people)
    compose(as_user(app, people.requester), people.authorities["paris"].id)
    reference = only_request().reference
    base, cert = nginx, stack.certificate

    # HTTP/2 and TLS 1.3 are what a browser gets
    assert _alpn(int(base.rsplit(":", 1)[1]), cert) == ("h2", "TLSv1.3")

    # The browser journey: sign in, the inbox, a case page
    static = []
    page = new_page(ignore_https_errors=True)
    page.on("response", lambda r: static.append(r) if "/static/" in r.url else None)
    sign_in(page, base, people.other_handler.email, people.other_handler.totp_secret)
    page.goto(f"{base}/requests")
    watch.axe(page, "inbox through nginx")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    watch.axe(page, "case page through nginx")
    watch.assert_clean()

    # The stylesheet came pre-compressed, for a year, from nginx (not from the app)
    css = [r for r in static if re.search(r"\.css\?v=", r.url)]
    assert css, "no versioned stylesheet loaded"
    for response in css:
        headers = response.all_headers()
        assert headers.get("content-encoding") in ("br", "gzip"), (response.url, headers)
        assert headers["cache-control"] == "public, max-age=31536000, immutable"
    access_log = (stack.services.tmp / "web-1.access.log").read_text()
    assert "/static/" not in access_log
    # The app's log has the client's address and nginx's request id
    assert re.search(r'^127\.0\.0\.1 "GET /requests HTTP/1\.1" 200 .* request_id=[0-9a-f]{32} ',
                     access_log, re.MULTILINE), access_log  # fmt: skip

    http = requests.Session()
    http.verify = str(cert)
    http.trust_env = False  # REQUESTS_CA_BUNDLE would take the place of verify
    stylesheet = css[0].url
    brotli = http.get(stylesheet, headers={"Accept-Encoding": "br"}, stream=True)
    has_brotli = (stack.services.tmp / "nginx" / "openimi-brotli.conf").exists()
    assert brotli.headers.get("Content-Encoding") == ("br" if has_brotli else None)
    gzipped = http.get(stylesheet, headers={"Accept-Encoding": "gzip"}, stream=True)
    assert gzipped.headers["Content-Encoding"] == "gzip"
    # the file `make static` wrote, not compressed on the fly
    variant = ROOT / "app" / re.search(r"/(static/[^?]+)", stylesheet).group(1)
    assert int(gzipped.headers["Content-Length"]) == Path(f"{variant}.gz").stat().st_size
    if has_brotli:
        assert int(brotli.headers["Content-Length"]) == Path(f"{variant}.br").stat().st_size
    assert gzipped.headers["Vary"] == "Accept-Encoding"
    plain = http.get(stylesheet.split("?")[0], headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.headers["Cache-Control"] == "no-cache"
    assert http.get(f"{base}/training{stylesheet.removeprefix(base)}").ok

    # Pages: compressed by the app, its security headers once each, https as the app sees it
    signin = http.get(f"{base}/sign-in", headers={"Accept-Encoding": "br"}, stream=True)
    assert signin.status_code == 200
    assert signin.headers["Content-Encoding"] == "br"
    assert signin.headers["X-Frame-Options"] == "DENY"
    assert signin.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert signin.headers["Cache-Control"] == "no-store"
    assert "Secure" in signin.headers["Set-Cookie"]
    # Plain HTTP redirects to https on the configured name, never to the Host sent
    redirect = http.get(
        f"http://127.0.0.1:{stack.services.http_port}/requests?box=sent",
        headers={"Host": "evil.example"},
        allow_redirects=False,
    )
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == "https://127.0.0.1/requests?box=sent"
    # A Host the app does not know is refused by the app, through nginx
    assert http.get(f"{base}/sign-in", headers={"Host": "evil.example"}).status_code == 400
    # Metrics are never served through the site, whatever the app would allow
    assert http.get(f"{base}/metrics").status_code == 404
    assert http.get(f"{base}/training/metrics").status_code == 404


def test_a_too_large_upload_is_refused_by_the_app_not_by_nginx(app, stack, nginx):
    """Above MAX_CONTENT_LENGTH (an attachment of ATTACHMENT_MAX_BYTES and a margin) the
    app answers with its own page; only far above it does nginx cut the request off."""
    http = requests.Session()
    http.verify, http.trust_env = str(stack.certificate), False
    limit = app.config["MAX_CONTENT_LENGTH"]

    def post(size: int) -> requests.Response:
        body = b"x" * size
        headers = {"Content-Type": "application/octet-stream"}
        return http.post(f"{nginx}/sign-in", data=body, headers=headers)

    by_app = post(limit + 512 * 1024)
    assert by_app.status_code == 413
    assert "nginx" not in by_app.text and "<html" in by_app.text.lower()
    by_nginx = post(limit + 2 * 1024 * 1024)
    assert by_nginx.status_code == 413 and "nginx" in by_nginx.text


def test_the_shipped_request_limit_lets_the_app_refuse_large_uploads_itself(app):
    """nginx must pass what the app refuses with its own message (MAX_CONTENT_LENGTH)."""
    from tests.deploy.conftest import DEPLOY

    site = (DEPLOY / "nginx" / "openimi.conf").read_text()
    limit = re.search(r"client_max_body_size (\d+)m;", site).group(1)
    assert int(limit) * 1024 * 1024 > app.config["MAX_CONTENT_LENGTH"]
