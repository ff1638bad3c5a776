"""Apertium's APY server: offline, self-hosted (Debian `apertium-apy` and its language
pairs). Where no direct pair exists it pivots through other languages, on the routes
app/translation/quality.py measured good enough to offer."""

from __future__ import annotations

import re

from app.translation import quality
from app.translation import terms as known_terms
from app.translation.engine import (
    Document,
    Rejected,
    Result,
    Unsupported,
    _Cached,
    _http,
    document_name,
)

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
