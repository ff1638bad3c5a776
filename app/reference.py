"""Reference data: the 30 EEA countries and the interface languages (the 24 official EU
languages and the EEA's own: Norwegian Bokmål).

Names come from CLDR through Babel, so every country and language is named in every
interface language without a catalog entry of ours. Lists of them are sorted as the
reader's language sorts (ICU's collation for that language, through PyICU): Österreich
between Niederlande and Polen in German, Österrike last in Swedish, Chorvatsko after
Francie in Czech. Babel has no collation, and sorting by code points or by letters
stripped of their accents gets these wrong. Where PyICU could not be built (the embedded
mode on a machine without ICU's headers), lists fall back to that plain order, which is
right for German and English but not for Swedish, Czech or Polish.
"""

import unicodedata
from collections.abc import Callable, Collection, Iterable
from functools import cache, lru_cache
from typing import Any

from babel import Locale

try:
    import icu
except ImportError:  # pragma: no cover - CI and production install the `icu` extra
    icu = None

# The interface languages: the 24 official languages of the EU, Icelandic and Norwegian
# Bokmål (the EEA's own), in the order of their own names.
LANGUAGES: tuple[str, ...] = (
    "bg", "cs", "da", "de", "et", "el", "en", "es", "fr", "ga", "hr", "is", "it",
    "lv", "lt", "hu", "mt", "nl", "nb", "pl", "pt", "ro", "sk", "sl", "fi", "sv",
)  # fmt: skip

# EEA country -> its official languages, the first the one its officers read by default
# (Norway's is Bokmål; Nynorsk readers read Bokmål too).
OFFICIAL_LANGUAGES: dict[str, tuple[str, ...]] = {
    "AT": ("de",), "BE": ("nl", "fr", "de"), "BG": ("bg",), "HR": ("hr",), "CY": ("el",),
    "CZ": ("cs",), "DK": ("da",), "EE": ("et",), "FI": ("fi", "sv"), "FR": ("fr",),
    "DE": ("de",), "GR": ("el",), "HU": ("hu",), "IE": ("en", "ga"), "IT": ("it",),
    "LV": ("lv",), "LT": ("lt",), "LU": ("fr", "de"), "MT": ("mt", "en"), "NL": ("nl",),
    "PL": ("pl",), "PT": ("pt",), "RO": ("ro",), "SK": ("sk",), "SI": ("sl",),
    "ES": ("es",), "SE": ("sv",), "IS": ("is",), "LI": ("de",), "NO": ("nb",),
}  # fmt: skip

# EEA country -> its official languages among the interface languages; a country with
# none of them would write and read English.
COUNTRIES: dict[str, tuple[str, ...]] = {
    country: tuple(code for code in codes if code in LANGUAGES) or ("en",)
    for country, codes in OFFICIAL_LANGUAGES.items()
}

# What browsers ask for -> the interface language that serves it: many Norwegian
# browsers say "no" (Norwegian) or "nn" (Nynorsk), whose readers read Bokmål.
LANGUAGE_ALIASES = {"no": "nb", "nn": "nb"}


def accepted_language(accepted: Any, among: Collection[str] = LANGUAGES) -> str | None:
    """The language of `among` a browser's Accept-Language (werkzeug's LanguageAccept,
    best first) prefers, a regional tag counting for its language ("de-AT" asks for
    German before "en;q=0.5" asks for English, where werkzeug's best_match takes the
    exact "en"), "no" and "nn" served by Bokmål; None when it asks for none of them."""
    for value, quality in accepted:
        code = value.replace("_", "-").split("-")[0].lower()
        code = LANGUAGE_ALIASES.get(code, code)
        if quality > 0 and code in among:
            return code
    return None


EU_MEMBERS = frozenset(COUNTRIES) - {"IS", "LI", "NO"}
COMMISSION = "EU"


# Names are kept once looked up: every page's language menu names every language, each in
# itself (one locale parsed per language, about 0.2 ms a page).
@lru_cache(maxsize=4096)
def language_name(code: str, in_language: str | None = None) -> str:
    """A language's name in another language (default: in itself)."""
    return Locale.parse(in_language or code).languages.get(code, code)


@lru_cache(maxsize=4096)
def country_name(code: str, in_language: str = "en") -> str:
    return Locale.parse(in_language).territories.get(code, code)


@cache
def collation_key(in_language: str) -> Callable[[str], Any]:
    """A sort key that orders text as the language does (one collator per language)."""
    if icu is None:
        return plain_key
    return icu.Collator.createInstance(icu.Locale(in_language)).getSortKey


def plain_key(text: str) -> tuple[str, str]:
    """Without ICU: the letters without their accents, then the text itself."""
    letters = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in letters if not unicodedata.combining(c)), text


def sorted_by_name(pairs: Iterable[tuple[str, str]], in_language: str) -> list[tuple[str, str]]:
    """(code, name) pairs in the order of their names in `in_language`."""
    key = collation_key(in_language)
    return sorted(pairs, key=lambda pair: key(pair[1]))


@cache
def sorted_countries(in_language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the 30 EEA countries, sorted by their name in the given language
    (computed once per language: every filter form shows the list)."""
    names = [(code, country_name(code, in_language)) for code in COUNTRIES]
    return tuple(sorted_by_name(names, in_language))


def countries_among(codes: Collection[str], in_language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the countries `codes`, sorted as `sorted_countries`: a filter that
    offers only the countries where something is (an authority answering a procedure)."""
    return tuple(country for country in sorted_countries(in_language) if country[0] in codes)


@cache
def sorted_languages(in_language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of the interface languages for a choice list, named and sorted in the
    reader's language, each followed by its own name where that differs, so that a
    reader of another language still finds theirs: "Griechisch (Ελληνικά)", and after a
    dash where the name has brackets already: "Norwegisch (Bokmål) – norsk bokmål"."""
    named = []
    for code in LANGUAGES:
        name, own = language_name(code, in_language), language_name(code)
        if name.casefold() != own.casefold():
            name = f"{name} – {own}" if name.endswith(")") else f"{name} ({own})"
        named.append((code, name))
    return tuple(sorted_by_name(named, in_language))
