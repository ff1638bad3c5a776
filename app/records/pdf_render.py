"""HTML to an archival, tagged PDF with WeasyPrint, fetching nothing but our own files.

Case records hold text that other authorities and citizens wrote. WeasyPrint would
follow any URL in the HTML it renders (images, CSS url(), `<a rel="attachment">` file
embedding), so every document is rendered with `StaticOnlyFetcher`: only the files
under app/static/, named from a base that can never resolve (https://pdf.invalid/static/),
and data: URLs. Everything else -- other hosts, file:, ../ tricks, redirects -- raises,
and WeasyPrint leaves the resource out.
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()
BASE_URL = "https://pdf.invalid/static/"
# What our own stylesheet loads; nothing else under static/ is needed by a PDF.
MEDIA_TYPES = {".ttf": "font/ttf", ".css": "text/css"}
# PDF/A-3b (archival) with a structure tree (tagged, for screen readers). pdf/ua-1
# would tag too but claims no PDF/A; pdf/a-3a claims more accessibility than
# WeasyPrint's experimental tagging guarantees.
PDF_VARIANT = "pdf/a-3b"


class FetchRefused(ValueError):
    """A URL a case document may not load."""


class StaticOnlyFetcher(URLFetcher):
    """Serve the app's static files and data: URLs; refuse every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=2)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(BASE_URL):
            path = unquote(urlsplit(url).path)[len(urlsplit(BASE_URL).path) :]
            target = (STATIC_DIR / path).resolve()
            if (
                target.is_relative_to(STATIC_DIR)
                and target.suffix in MEDIA_TYPES
                and target.is_file()
            ):
                return URLFetcherResponse(
                    url,
                    body=target.read_bytes(),
                    headers={"Content-Type": MEDIA_TYPES[target.suffix]},
                )
        raise FetchRefused(f"blocked: {url[:200]}")


@lru_cache(maxsize=1)
def _shared() -> tuple[FontConfiguration, CSS]:
    """One font configuration and one parsed stylesheet per process (workers stay warm)."""
    fonts = FontConfiguration()
    css = CSS(
        string=(STATIC_DIR / "css" / "pdf.css").read_text(),
        base_url=BASE_URL + "css/",
        url_fetcher=StaticOnlyFetcher(),
        font_config=fonts,
    )
    return fonts, css


def warm_up() -> None:
    """Load fonts and the stylesheet now (a worker does it before forking its jobs)."""
    _shared()


def css_string(text: str) -> str:
    """A CSS string literal of any text: everything but letters, digits and spaces is
    escaped, so no quote or backslash can end the string."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


# Stand-ins for the page counters inside a translated "Page %(page)s of %(pages)s".
PAGE, PAGES = "\x01", "\x02"


def page_numbers_css(label: str) -> str:
    """`Page X of Y` in the bottom margin: `label` is the translated wording with PAGE
    and PAGES where the numbers go (in whatever order the language puts them)."""
    counters = {PAGE: "counter(page)", PAGES: "counter(pages)"}
    parts = re.split(f"({PAGE}|{PAGES})", label)
    content = " ".join(counters.get(part) or css_string(part) for part in parts if part)
    return f"@page {{ @bottom-right {{ content: {content}; }} }}"


def render(html: str, page_css: str = "") -> bytes:
    """The PDF of a document: PDF/A-3b, tagged, fonts embedded, nothing fetched."""
    fonts, css = _shared()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    stylesheets = [css]
    if page_css:
        stylesheets.append(CSS(string=page_css, url_fetcher=StaticOnlyFetcher(), font_config=fonts))
    return document.write_pdf(
        stylesheets=stylesheets,
        font_config=fonts,
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        # No <a rel="attachment"> or <link rel="attachment"> may embed a file, ever.
        attachments=[],
        uncompressed_pdf=False,
    )


def write_atomically(data: bytes, target: Path) -> None:
    """Write to a temporary file beside the target, then rename: never a half PDF."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
