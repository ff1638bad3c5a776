"""What every machine translation engine shares: its errors, its results, the files it
may be handed, cutting a text into pieces, one HTTP call, and a cache of its pairs."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol

import requests
from flask import current_app, has_app_context

# Longest piece sent in one call; eTranslation refuses text snippets over 5,000 characters.
MAX_PART = 4500


class MTError(Exception):
    code = "error"


class Unsupported(MTError):
    code = "unsupported"


class Unavailable(MTError):
    code = "unavailable"


class Rejected(MTError):
    code = "rejected"


@dataclass(frozen=True)
class Result:
    text: str
    version: str


@dataclass(frozen=True)
class Document:
    """A file to translate, or translated: its bytes and what they are."""

    data: bytes
    content_type: str
    version: str = ""


# The file types an engine may be handed (those attachments may be), by the extension
# that names them in the engines' APIs.
DOCUMENT_EXTENSIONS = {
    "text/plain": "txt",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_BY_EXTENSION = {extension: mime for mime, extension in DOCUMENT_EXTENSIONS.items()}


def document_name(content_type: str) -> str:
    """The neutral name a file is sent under (engines read its type from the extension;
    the officer's file name stays here)."""
    return f"document.{DOCUMENT_EXTENSIONS[content_type]}"


def translates_documents(engine: Provider, content_type: str) -> bool:
    """Whether the engine takes files of this type (False for an engine without a
    document API)."""
    types = getattr(engine, "document_types", None)
    return types is not None and content_type in types()


class Provider(Protocol):
    name: str
    is_async: bool

    def supports(self, source: str, target: str) -> bool: ...

    def translate(
        self, text: str, source: str, target: str, terms: dict[str, str] | None = None
    ) -> Result: ...

    def submit(
        self, text: str, source: str, target: str, reference: str, done_url: str, error_url: str
    ) -> str: ...


def split(text: str, limit: int = MAX_PART) -> list[str]:
    """Cut text into pieces of at most `limit` characters, at paragraph, line or sentence
    ends where possible, so that every piece translates on its own."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
            cut = cut + 1 if cut >= limit // 2 else -1
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def _http(method: str, url: str, **kwargs) -> requests.Response:
    """One call to an engine; network trouble and overload become `Unavailable`. Outside
    the app (`python -m app.translation.quality`) an engine has a minute to answer."""
    timeout = current_app.config["MT_TIMEOUT"] if has_app_context() else 60
    try:
        response = requests.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as error:
        raise Unavailable(str(error)) from error
    if response.status_code == 429 or response.status_code >= 500:
        raise Unavailable(f"{url} answered {response.status_code}")
    return response


class _Cached:
    """The language pairs an engine offers, asked again every few minutes."""

    ttl = 300.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: object = None
        self._at = 0.0

    def get(self, load):
        with self._lock:
            if self._value is None or time.monotonic() - self._at > self.ttl:
                self._value = load()
                self._at = time.monotonic()
            return self._value
