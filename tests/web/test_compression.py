"""Issue 17: the browser receives compressed bytes from the app itself (`make run` too):
pages and htmx partials per response, static files from the variants written at build;
downloads go out byte for byte."""

from __future__ import annotations

import gzip
import os
import re
import shutil
from pathlib import Path

import brotli
import pytest

from app.compression import precompress
from tests.factories import make_authority, make_user, sign_in, without_form_keys

BROWSER = "gzip, deflate, br, zstd"  # what Chromium and Firefox send
STATIC = Path(__file__).resolve().parents[2] / "app" / "static"


def decoded(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def without_csrf(page: bytes) -> bytes:
    """Two renderings of a page differ only by their CSRF token's signature (a JSON
    string signed by itsdangerous, in the forms and in htmx's headers)."""
    page = re.sub(rb"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}", b"TOKEN", page)
    return without_form_keys(page.decode()).encode()  # and each form's own key


@pytest.mark.parametrize(
    ("accept_encoding", "sent"),
    [
        (BROWSER, "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("identity", None),
        ("gzip;q=0, br;q=0", None),  # both refused
        (None, None),  # no header at all (curl, the test client)
    ],
)
def test_a_page_is_compressed_only_as_the_browser_accepts(client, accept_encoding, sent):
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    plain = client.get("/sign-in")

    response = client.get("/sign-in", headers=headers)

    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == sent
    vary = {v.strip() for v in response.headers["Vary"].split(",")}
    assert {"Accept-Encoding", "HX-Request"} <= vary
    assert response.headers["Cache-Control"] == "no-store"
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    assert without_csrf(decoded(response)) == without_csrf(plain.get_data())
    if sent:
        assert len(response.get_data()) * 2 < len(plain.get_data())


def test_an_htmx_partial_is_compressed(client):
    home = make_authority("IE", name="Teaching Council")
    for number in range(12):
        make_authority("PT", name=f"Ordem dos Enfermeiros, secção regional {number}")
    sign_in(client, make_user(home, ["handler"]))

    response = client.get(
        "/directory?q=Enfermeiros", headers={"HX-Request": "true", "Accept-Encoding": BROWSER}
    )

    assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
    body = decoded(response).decode()
    assert "<html" not in body and "secção regional 11" in body
    assert "Accept-Encoding" in response.headers["Vary"]


def test_an_error_page_is_compressed_too(client):
    plain = client.get("/no-such-page")

    response = client.get("/no-such-page", headers={"Accept-Encoding": BROWSER})

    assert response.status_code == 404 and response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert without_csrf(decoded(response)) == without_csrf(plain.get_data())


def test_a_small_answer_or_a_redirect_is_left_as_it_is(client):
    redirect = client.get("/requests", headers={"Accept-Encoding": BROWSER})

    assert redirect.status_code == 302
    assert "Content-Encoding" not in redirect.headers


@pytest.fixture
def static_copy(app, tmp_path, monkeypatch) -> Path:
    """The app's static files, pre-compressed as `make static` does, in a folder of the
    test's own (so that tests can age or remove variants)."""
    folder = tmp_path / "static"
    shutil.copytree(STATIC, folder, ignore=shutil.ignore_patterns("*.br", "*.gz"))
    written = precompress(folder)
    assert {p.relative_to(folder).as_posix() for p in written} >= {
        "css/openimi.css.br",
        "css/openimi.css.gz",
        "js/openimi.js.br",
        "vendor/htmx-2.0.11.min.js.br",
        "vendor/htmx-2.0.11.min.js.gz",
    }
    assert not list(folder.glob("fonts/*.ttf.*"))  # WeasyPrint's, never sent to a browser
    assert precompress(folder) == []  # up to date: nothing to do
    monkeypatch.setattr(app, "static_folder", str(folder))
    return folder


@pytest.mark.parametrize(
    ("accept_encoding", "sent"),
    [(BROWSER, "br"), ("gzip", "gzip"), ("br;q=0.1, gzip;q=0.9", "gzip"), (None, None)],
)
def test_a_static_file_is_sent_precompressed(client, static_copy, accept_encoding, sent):
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    source = (static_copy / "css" / "openimi.css").read_bytes()

    response = client.get("/static/css/openimi.css?v=0123456789ab", headers=headers)

    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == sent
    assert response.mimetype == "text/css"
    assert response.headers["Content-Disposition"] == "inline; filename=openimi.css"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert decoded(response) == source
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    # each representation has a validator of its own, and a revalidation gets a 304
    etag = response.headers["ETag"]
    again = client.get(
        "/static/css/openimi.css?v=0123456789ab", headers={**headers, "If-None-Match": etag}
    )
    assert again.status_code == 304


def test_each_encoding_of_a_static_file_has_its_own_etag(client, static_copy):
    etags = {
        client.get("/static/vendor/htmx-2.0.11.min.js", headers=headers).headers["ETag"]
        for headers in ({}, {"Accept-Encoding": "gzip"}, {"Accept-Encoding": "br"})
    }
    assert len(etags) == 3


def test_a_variant_older_than_its_file_is_not_sent(client, static_copy):
    # given the stylesheet edited after the build
    source = static_copy / "css" / "openimi.css"
    source.write_bytes(source.read_bytes() + b"\n.new-rule { color: red; }\n")
    later = source.stat().st_mtime_ns + 5_000_000_000
    os.utime(source, ns=(later, later))

    # then it goes out as it is now, uncompressed, until the next build
    response = client.get("/static/css/openimi.css", headers={"Accept-Encoding": BROWSER})
    assert "Content-Encoding" not in response.headers
    assert response.get_data().endswith(b".new-rule { color: red; }\n")

    # and the next build brings the variants up to date
    assert len(precompress(static_copy)) == 2
    response = client.get("/static/css/openimi.css", headers={"Accept-Encoding": BROWSER})
    assert response.headers["Content-Encoding"] == "br"
    assert decoded(response).endswith(b".new-rule { color: red; }\n")


def test_a_file_without_variants_goes_out_as_it_is(client, static_copy):
    response = client.get("/static/fonts/LICENSE-DejaVu.txt", headers={"Accept-Encoding": BROWSER})
    assert response.headers.get("Content-Encoding") == "br"  # a text file is compressed

    (static_copy / "fonts" / "LICENSE-DejaVu.txt.br").unlink()
    (static_copy / "fonts" / "LICENSE-DejaVu.txt.gz").unlink()
    response = client.get("/static/fonts/LICENSE-DejaVu.txt", headers={"Accept-Encoding": BROWSER})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (static_copy / "fonts" / "LICENSE-DejaVu.txt").read_bytes()
    font = client.get("/static/fonts/DejaVuSans.ttf", headers={"Accept-Encoding": BROWSER})
    assert "Content-Encoding" not in font.headers
    font.close()


def test_no_path_outside_the_static_folder(client, static_copy):
    response = client.get("/static/../compression.py", headers={"Accept-Encoding": BROWSER})
    assert response.status_code == 404
