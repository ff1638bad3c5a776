"""Compressed responses in every mode, `make run` included (issue 17): officers work on
400 kbit/s links, and a page's HTML shrinks to about a fifth, htmx to a third.

- Pages and htmx partials: compressed per response by Flask-Compress, brotli when the
  browser accepts it, else gzip, with `Vary: Accept-Encoding`.
- Static files: compressed once at build (`make static`, which `make run`,
  `make test` and `make bench` run; `flask compress-static` in a deployment) into `.br`
  and `.gz` files next to each one, at the highest levels, which would be too slow per
  request. The static view sends the variant the browser accepts, with its own ETag, the
  same Cache-Control, and Vary; nginx's gzip_static/brotli_static can send the same files.
  A variant older or newer than its file (the file was edited since the build) is not
  used: the file goes out uncompressed until the next build, never stale.
- Downloads are never compressed: a stored attachment, a PDF, a report (any response with
  a Content-Disposition, any file sent by send_file) goes out byte for byte, with its
  ETag. Most are compressed already, and a download must be the file that was stored.

BREACH: a compressed page that holds a secret (the CSRF token) and reflects what an
attacker sent can leak the secret to someone who sees the encrypted sizes of many probe
requests sent with the victim's cookie. The session cookie is SameSite=Lax, so a cross-
site page cannot send such requests except as top-level navigations; nginx gzip, which the
README recommended before, had the same exposure.
"""

from __future__ import annotations

import gzip
import mimetypes
import os
import sys
from pathlib import Path

import brotli
from flask import Flask, Response, current_app, request, send_from_directory
from flask_compress import Compress
from werkzeug.security import safe_join

# What the browser loads from app/static. Not the fonts: they are WeasyPrint's, read from
# disk for PDFs and never sent to a browser (and brotli -11 takes seconds on each).
PRECOMPRESSED_SUFFIXES = frozenset({".css", ".js", ".mjs", ".svg", ".json", ".txt", ".map"})
# In the order preferred when the browser accepts both equally.
VARIANTS = (("br", ".br"), ("gzip", ".gz"))

SETTINGS = {
    "COMPRESS_REGISTER": False,  # called from our own hook, which leaves files alone
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/plain",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    ],
    "COMPRESS_LEVEL": 6,  # gzip
    # Brotli 2, not 5: an inbox page (17 KB) compresses to 3.6 KB instead of 3.0 (gzip -6:
    # 3.5 KB), for 1.3M instructions less, 6% of the whole request (bench/calls.py
    # --callgrind: 20.5M -> 19.2M); every page stays within its budgets (bench/pages.py).
    "COMPRESS_BR_LEVEL": 2,
    # A 256 KB window, not 4 MB: pages are far smaller, and the big window's setup took a
    # quarter of the time to compress an inbox page (0.20 ms, 0.15 with this; same bytes).
    "COMPRESS_BR_WINDOW": 18,
    "COMPRESS_MIN_SIZE": 500,  # below this, a frame costs more than it saves
    # Pages are rendered whole; a streamed response is a file, which stays as it is.
    "COMPRESS_STREAMS": False,
    # Pages carry no ETag (Cache-Control: no-store); files make their own conditionals.
    "COMPRESS_EVALUATE_CONDITIONAL_REQUEST": False,
}


def init_app(app: Flask) -> None:
    """Register early, so that the hook runs after every other one (Flask runs them in the
    reverse order of registration) and compresses the body they leave."""
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    compressor = Compress(app)
    app.view_functions["static"] = send_static

    @app.after_request
    def compress_response(response: Response) -> Response:
        if (
            request.endpoint == "static"
            or response.direct_passthrough  # send_file: a stored file or a PDF
            or "Content-Disposition" in response.headers  # a download
        ):
            return response
        accepted = request.accept_encodings
        if not any(accepted.quality(encoding) > 0 for encoding, _ in VARIANTS):
            # Flask-Compress 1.25 takes "gzip;q=0" (gzip refused) for a yes.
            response.vary.add("Accept-Encoding")
            return response
        status = response.status_code
        if 400 <= status < 600:
            # A form sent back with its errors (400) is a whole page too; Flask-Compress
            # only compresses 2xx answers, so it is shown this one as a 200.
            response.status_code = 200
            compressor.after_request(response)
            response.status_code = status
            return response
        return compressor.after_request(response)

    @app.cli.command("compress-static")
    def compress_static_command() -> None:
        """Write .br and .gz next to each static file (nginx can send them too)."""
        for path in precompress(Path(app.static_folder)):
            print(path)


def send_static(filename: str) -> Response:
    """The static file, or its pre-compressed variant when the browser accepts one."""
    app = current_app
    folder = app.static_folder
    source = safe_join(folder, filename)
    if source is None or Path(source).suffix not in PRECOMPRESSED_SUFFIXES:
        return app.send_static_file(filename)
    encoding = _chosen_variant(Path(source))
    if encoding is None:
        response = app.send_static_file(filename)
    else:
        response = send_from_directory(
            folder,
            filename + dict(VARIANTS)[encoding],
            mimetype=mimetypes.guess_type(filename)[0] or "application/octet-stream",
            download_name=Path(filename).name,  # Content-Disposition: the file's own name
            max_age=app.get_send_file_max_age(filename),
        )
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    return response


def _chosen_variant(source: Path) -> str | None:
    """The encoding to send: the browser's most wanted among the up-to-date variants."""
    accepted = request.accept_encodings
    ranked = sorted(
        (
            (accepted.quality(encoding), -order, encoding)
            for order, (encoding, _) in enumerate(VARIANTS)
        ),
        reverse=True,
    )
    for quality, _, encoding in ranked:
        if quality > 0 and is_fresh(source, variant_path(source, encoding)):
            return encoding
    return None


def variant_path(source: Path, encoding: str) -> Path:
    return source.with_name(source.name + dict(VARIANTS)[encoding])


def is_fresh(source: Path, variant: Path) -> bool:
    """A variant is written with its file's modification time: any other time means the
    file changed since (or the variant did)."""
    try:
        return variant.stat().st_mtime_ns == source.stat().st_mtime_ns
    except FileNotFoundError:
        return False


def _packed(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=11, mode=brotli.MODE_TEXT)
    return gzip.compress(data, compresslevel=9, mtime=0)


def precompress(folder: Path) -> list[Path]:
    """Write the variants of every static file that lacks an up-to-date one; return what
    was written. A variant no smaller than its file is removed, not written. Each is
    written to a temporary name and renamed, so that a reader (a test worker, a running
    server) never sees half a file."""
    written = []
    for source in sorted(folder.rglob("*")):
        if not source.is_file() or source.suffix not in PRECOMPRESSED_SUFFIXES:
            continue
        stat = source.stat()
        data = None
        for encoding, _ in VARIANTS:
            target = variant_path(source, encoding)
            if is_fresh(source, target):
                continue
            data = source.read_bytes() if data is None else data
            packed = _packed(data, encoding)
            if len(packed) >= len(data):
                target.unlink(missing_ok=True)
                continue
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_bytes(packed)
            os.utime(temporary, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            os.replace(temporary, target)
            written.append(target)
    return written


def main() -> None:
    """`make static`: python -c 'from app.compression import main; main()' [FOLDER]"""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "static"
    done = precompress(folder)
    print(f"static: {len(done)} compressed file(s) written in {folder}")
