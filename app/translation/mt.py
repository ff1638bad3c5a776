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
import re
import threading
import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import requests
from flask import current_app, has_app_context
from requests.auth import HTTPDigestAuth

from app.translation import quality
from app.translation import terms as known_terms

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


# --- Apertium -----------------------------------------------------------------------------

# Apertium names languages in ISO 639-3, some with a variant (por_BR, hbs_HR, eng_US).
APERTIUM_CODES = {
    "bg": "bul", "cs": "ces", "da": "dan", "de": "deu", "el": "ell", "en": "eng",
    "es": "spa", "et": "est", "fi": "fin", "fr": "fra", "ga": "gle", "hr": "hbs",
    "hu": "hun", "it": "ita", "lt": "lit", "lv": "lav", "mt": "mlt", "nl": "nld",
    "pl": "pol", "pt": "por", "ro": "ron", "sk": "slk", "sl": "slv", "sv": "swe",
    "nb": "nob", "is": "isl",
}  # fmt: skip
# Older pairs use two-letter names.
_APERTIUM_ALIASES = {"es": "spa", "fr": "fra", "pt": "por", "ro": "ron", "it": "ita", "en": "eng"}
# Where a pair offers variants of a target, the one to use.
_PREFERRED_VARIANT = {"hbs": "hbs_HR"}
_APERTIUM_TO_ISO = {v: k for k, v in APERTIUM_CODES.items()}
# Apertium marks a word it could not handle: `*` unknown (the source word is kept), `@`
# not in the bilingual dictionary, `#` not inflected (also seen after a word, before its
# full stop). A mark starts a word: at the start of the text or after a space or an
# opening bracket or quote, so an e-mail's @ stays.
_MARK = re.compile(r"""(?:^|(?<=[\s(\[{"'«„“‘]))[*@#]+(?=\w)|(?<=\w)#(?=[^\w#]|$)""")
_MARKED = re.compile(r"[*@#]+\w+|\w+#")


def without_marks(text: str, source: str = "") -> str:
    """Apertium's output without its marks (see _MARK); a marked word written so in the
    source text (an officer's "#12", "C#") keeps its mark."""
    written = set(_MARKED.findall(source))

    def unmark(match: re.Match) -> str:
        before = re.search(r"\w+$", text[: match.start()])
        after = re.match(r"\w+", text[match.end() :])
        word = match.group() + after.group() if after else before.group() + match.group()
        return match.group() if word in written else ""

    return _MARK.sub(unmark, text)


def _iso(apertium_code: str) -> str | None:
    base = apertium_code.split("_")[0]
    base = _APERTIUM_ALIASES.get(base, base)
    return _APERTIUM_TO_ISO.get(base)


def apertium_graph(url: str) -> dict[str, dict[str, str]]:
    """The direct pairs of the Apertium server at url, for the interface languages: source ->
    target -> the `langpair` Apertium wants, the variant the app chose where a pair has
    several (hbs_HR)."""
    response = _http("GET", f"{url}/listPairs")
    graph: dict[str, dict[str, str]] = {}
    for pair in response.json().get("responseData", []):
        source, target = _iso(pair["sourceLanguage"]), _iso(pair["targetLanguage"])
        if not source or not target or source == target:
            continue
        name = f"{pair['sourceLanguage']}|{pair['targetLanguage']}"
        wanted = _PREFERRED_VARIANT.get(pair["targetLanguage"].split("_")[0])
        known = graph.setdefault(source, {}).get(target)
        # Prefer the plain language, or the variant the app chose, to another one.
        plain = "_" not in pair["targetLanguage"] or pair["targetLanguage"] == wanted
        if known is None or (plain and "_" in known.split("|")[1]):
            graph[source][target] = name
    return graph


class ApertiumProvider:
    name = "apertium"
    is_async = False

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._pairs = _Cached()

    def _graph(self) -> dict[str, dict[str, str]]:
        """source -> target -> the `langpair` Apertium wants, for the interface languages."""
        return self._pairs.get(lambda: apertium_graph(self.url))

    def route(self, source: str, target: str) -> list[str]:
        """The route from source to target that was measured good enough to offer
        (app/translation/quality.py), shortest first; a direct pair never measured is
        offered, a route through other languages only once measured."""
        graph = self._graph()
        entries = quality.measured().get(f"{source}>{target}")
        if entries is None:
            return [source, target] if target in graph.get(source, {}) else []
        for entry in entries:
            path = entry["path"].split(">")
            steps = zip(path, path[1:], strict=False)
            if quality.acceptable(entry) and all(b in graph.get(a, {}) for a, b in steps):
                return path
        return []

    def supports(self, source: str, target: str) -> bool:
        return bool(self.route(source, target))

    def pairs(self) -> list[str]:
        """The direct pairs offered ("fr>es"), without the routes through them."""
        return sorted(
            f"{s}>{t}"
            for s, targets in self._graph().items()
            for t in targets
            if self.route(s, t) == [s, t]
        )

    def translate(
        self, text: str, source: str, target: str, terms: dict[str, str] | None = None
    ) -> Result:
        """The text in target; each of `terms` (source wording -> official target
        wording, app/translation/terms.py) found in it comes out as the official term,
        kept out of the engine as a tag where the engine's own rendering cannot be
        replaced in context."""
        path = self.route(source, target)
        if not path:
            raise Unsupported(f"{source}>{target}")

        def through(part: str) -> str:
            return self._through(path, part)

        return Result(known_terms.apply(text, terms or {}, through, through), ">".join(path))

    def _through(self, path: list[str], text: str) -> str:
        """The text translated along a route, without Apertium's marks."""
        graph = self._graph()
        for step, following in zip(path, path[1:], strict=False):
            response = _http(
                "POST",
                f"{self.url}/translate",
                data={"langpair": graph[step][following], "q": text, "markUnknown": "no"},
            )
            if response.status_code == 400:
                raise Unsupported(response.text[:200])
            if response.status_code != 200:
                raise Rejected(f"{response.status_code}: {response.text[:200]}")
            text = without_marks(response.json()["responseData"]["translatedText"], text)
        return text

    def submit(self, *args) -> str:  # pragma: no cover - synchronous engine
        raise NotImplementedError

    # The types APy's /translateDoc takes (apertium_apy/handlers/translate_doc.py), of
    # those attachments may be; it tells them apart with `file` or `mimetype`.
    DOCUMENT_TYPES = frozenset(
        {
            "text/plain",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.oasis.opendocument.text",
        }
    )

    def document_types(self) -> frozenset[str]:
        return self.DOCUMENT_TYPES

    def translate_document(self, document: Document, source: str, target: str) -> Document:
        """The file through APy's /translateDoc, pair after pair along the route (each
        step gives back a file of the same type); unknown words are left unmarked."""
        path = self.route(source, target)
        if not path:
            raise Unsupported(f"{source}>{target}")
        if document.content_type not in self.DOCUMENT_TYPES:
            raise Unsupported(document.content_type)
        graph = self._graph()
        data = document.data
        for step, following in zip(path, path[1:], strict=False):
            response = _http(
                "POST",
                f"{self.url}/translateDoc",
                data={"langpair": graph[step][following]},
                files={"file": (document_name(document.content_type), data)},
            )
            if response.status_code != 200:
                raise Rejected(f"{response.status_code}: {response.text[:200]}")
            data = response.content
        return Document(data, document.content_type, ">".join(path))


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
