"""Machine translation engines behind one interface, chosen by `MT_PROVIDER`.

- `apertium`: Apertium's APY server (offline, self-hosted; Debian `apertium-apy` and its
  language pairs). Where no direct pair exists it pivots through other languages.
- `libretranslate`: a LibreTranslate server's HTTP API (synchronous).
- `etranslation`: the European Commission's eTranslation (asynchronous: the text is
  submitted with callback addresses and the translation is posted back to the app).
- `none`: no engine; readers may still write their own translation.

Engines raise `Unsupported` for a language pair they cannot translate (final),
`Unavailable` when they are down, slow or overloaded (retried later) and `Rejected` when
they refuse the text (final). Language codes are ISO 639-1 throughout the app.
"""

from __future__ import annotations

import base64
import threading
from urllib.parse import urlsplit, urlunsplit

from flask import current_app
from requests.auth import HTTPDigestAuth

from app.translation import terms as known_terms
from app.translation.apertium import (
    APERTIUM_CODES,
    ApertiumProvider,
    apertium_graph,
    without_marks,
)
from app.translation.engine import (
    _BY_EXTENSION,
    DOCUMENT_EXTENSIONS,
    MAX_PART,
    Document,
    MTError,
    Provider,
    Rejected,
    Result,
    Unavailable,
    Unsupported,
    _Cached,
    _http,
    document_name,
    split,
    translates_documents,
)

# What callers use as mt.<name>: the engines' shared base and Apertium live in their own
# modules (app/translation/engine.py, app/translation/apertium.py).
__all__ = [
    "APERTIUM_CODES",
    "DOCUMENT_EXTENSIONS",
    "MAX_PART",
    "ApertiumProvider",
    "Document",
    "ETranslationProvider",
    "LibreTranslateProvider",
    "MTError",
    "Provider",
    "Rejected",
    "Result",
    "Unavailable",
    "Unsupported",
    "apertium_graph",
    "document_name",
    "provider",
    "split",
    "translates_documents",
    "without_marks",
]


# --- LibreTranslate -----------------------------------------------------------------------


class LibreTranslateProvider:
    name = "libretranslate"
    is_async = False

    def __init__(self, url: str, api_key: str = "") -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self._languages = _Cached()
        self._files = _Cached()

    def _targets(self) -> dict[str, set[str]]:
        def load():
            response = _http("GET", f"{self.url}/languages")
            return {
                entry["code"]: set(entry.get("targets", []))
                for entry in response.json()
                if isinstance(entry, dict) and "code" in entry
            }

        return self._languages.get(load)

    def supports(self, source: str, target: str) -> bool:
        return target in self._targets().get(source, set())

    def translate(
        self, text: str, source: str, target: str, terms: dict[str, str] | None = None
    ) -> Result:
        """The text in target; the official wording of each of `terms` found in it, held
        out of the engine as a tag in its HTML mode where its own rendering cannot be
        replaced (app/translation/terms.py)."""
        if not self.supports(source, target):
            raise Unsupported(f"{source}>{target}")

        def plain(part: str) -> str:
            return self._translate(part, source, target, "text")

        def marked(part: str) -> str:
            return self._translate(part, source, target, "html")

        return Result(known_terms.apply(text, terms or {}, plain, marked, escape=True), "")

    def _translate(self, text: str, source: str, target: str, form: str) -> str:
        body = {"q": text, "source": source, "target": target, "format": form}
        if self.api_key:
            body["api_key"] = self.api_key
        response = _http("POST", f"{self.url}/translate", json=body)
        if response.status_code == 400:
            raise Rejected(response.text[:200])
        if response.status_code != 200:
            raise Unavailable(f"{response.status_code}: {response.text[:200]}")
        return response.json()["translatedText"]

    def submit(self, *args) -> str:  # pragma: no cover - synchronous engine
        raise NotImplementedError

    def document_types(self) -> frozenset[str]:
        """The types the server translates, as its /frontend/settings lists them
        (`supportedFilesFormat`; none when `filesTranslation` is off)."""

        def load():
            response = _http("GET", f"{self.url}/frontend/settings")
            if response.status_code != 200:
                return frozenset()
            settings = response.json()
            if not settings.get("filesTranslation", True):
                return frozenset()
            extensions = {e.lstrip(".").lower() for e in settings.get("supportedFilesFormat", [])}
            return frozenset(_BY_EXTENSION[e] for e in extensions if e in _BY_EXTENSION)

        return self._files.get(load)

    def translate_document(self, document: Document, source: str, target: str) -> Document:
        """POST /translate_file (multipart), then GET the `translatedFileUrl` it answers
        with, on this server whatever host name the answer uses."""
        if not self.supports(source, target):
            raise Unsupported(f"{source}>{target}")
        if document.content_type not in self.document_types():
            raise Unsupported(document.content_type)
        form = {"source": source, "target": target}
        if self.api_key:
            form["api_key"] = self.api_key
        response = _http(
            "POST",
            f"{self.url}/translate_file",
            data=form,
            files={"file": (document_name(document.content_type), document.data)},
        )
        if response.status_code in (400, 403):
            raise Rejected(response.text[:200])
        if response.status_code != 200:
            raise Unavailable(f"{response.status_code}: {response.text[:200]}")
        answer = urlsplit(response.json().get("translatedFileUrl", ""))
        if not answer.path:
            raise Rejected("no translatedFileUrl")
        base = urlsplit(self.url)
        where = urlunsplit((base.scheme, base.netloc, answer.path, answer.query, ""))
        download = _http("GET", where)
        if download.status_code != 200:
            raise Unavailable(f"{where} answered {download.status_code}")
        return Document(download.content, document.content_type)


# --- eTranslation -------------------------------------------------------------------------

# The languages eTranslation translates between (every pair of them).
ETRANSLATION_LANGUAGES = frozenset(APERTIUM_CODES)


class ETranslationProvider:
    name = "etranslation"
    is_async = True

    def __init__(self, url: str, application: str, password: str, domain: str = "GEN") -> None:
        self.url = url
        self.application = application
        self.password = password
        self.domain = domain

    def supports(self, source: str, target: str) -> bool:
        return source in ETRANSLATION_LANGUAGES and target in ETRANSLATION_LANGUAGES

    def translate(self, *args) -> Result:  # pragma: no cover - asynchronous engine
        raise NotImplementedError

    def submit(
        self, text: str, source: str, target: str, reference: str, done_url: str, error_url: str
    ) -> str:
        """Hand the text over; the translation comes back to done_url. Returns the
        engine's request id."""
        if not self.supports(source, target):
            raise Unsupported(f"{source}>{target}")
        body = {
            "callerInformation": {"application": self.application, "username": "openimi"},
            "sourceLanguage": source.upper(),
            "targetLanguages": [target.upper()],
            "textToTranslate": text,
            "requesterCallback": done_url,
            "errorCallback": error_url,
            "externalReference": reference,
            "domain": self.domain,
        }
        return self._post(body)

    def _post(self, body: dict) -> str:
        """Send a request to eTranslation; its request id, or the fault it names."""
        response = _http(
            "POST",
            self.url,
            json=body,
            auth=HTTPDigestAuth(self.application, self.password),
        )
        if response.status_code in (401, 403):
            raise Unavailable(f"eTranslation refused our credentials ({response.status_code})")
        if response.status_code != 200:
            raise Unavailable(f"eTranslation answered {response.status_code}")
        try:
            request_id = int(response.text.strip())
        except ValueError as error:
            raise Unavailable(f"eTranslation answered {response.text[:100]!r}") from error
        if request_id < 0:
            # Negative codes name the fault in the request (bad language, too long...).
            raise Rejected(f"eTranslation error {request_id}")
        return str(request_id)

    def document_types(self) -> frozenset[str]:
        """eTranslation takes every document type attachments may be, images aside."""
        return frozenset(DOCUMENT_EXTENSIONS)

    def submit_document(
        self,
        document: Document,
        source: str,
        target: str,
        reference: str,
        done_url: str,
        error_url: str,
    ) -> str:
        """Hand a file over (base64 in `documentToTranslateBase64`); the translated file
        is posted to done_url (an HTTP destination). Returns the engine's request id."""
        if not self.supports(source, target):
            raise Unsupported(f"{source}>{target}")
        extension = DOCUMENT_EXTENSIONS.get(document.content_type)
        if extension is None:
            raise Unsupported(document.content_type)
        body = {
            "callerInformation": {"application": self.application, "username": "openimi"},
            "sourceLanguage": source.upper(),
            "targetLanguages": [target.upper()],
            "documentToTranslateBase64": {
                "content": base64.b64encode(document.data).decode("ascii"),
                "format": extension,
                "fileName": "document",
            },
            "destinations": {"httpDestinations": [done_url]},
            "errorCallback": error_url,
            "externalReference": reference,
            "domain": self.domain,
        }
        return self._post(body)


_engines: dict[tuple, Provider] = {}
_engines_lock = threading.Lock()


def provider(config=None) -> Provider | None:
    """The configured engine, or None when machine translation is switched off. One
    object per configuration, so that its cached language pairs outlive a request."""
    config = config or current_app.config
    name = config["MT_PROVIDER"]
    if name == "apertium":
        key: tuple = (name, config["APERTIUM_URL"])
    elif name == "libretranslate":
        key = (name, config["LIBRETRANSLATE_URL"], config["LIBRETRANSLATE_API_KEY"])
    elif name == "etranslation":
        key = (
            name,
            config["ETRANSLATION_URL"],
            config["ETRANSLATION_APPLICATION"],
            config["ETRANSLATION_PASSWORD"],
        )
    else:
        return None
    with _engines_lock:
        if key not in _engines:
            if name == "apertium":
                _engines[key] = ApertiumProvider(*key[1:])
            elif name == "libretranslate":
                _engines[key] = LibreTranslateProvider(*key[1:])
            else:
                _engines[key] = ETranslationProvider(*key[1:])
        return _engines[key]
