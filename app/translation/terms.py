"""Known terms beat machine translation.

Where a free text contains a term of the interface glossary (translations/glossary.toml)
or of its procedure pack's term base (`terms` in procedure.toml, worded per language in
the pack's catalogs), the translation carries the official term of the target language,
not the engine's guess. The engine never sees the term: `protect` puts a placeholder
where it stood, which the engine passes through as formatting (Apertium's HTML
deformatter keeps a tag as a "superblank", in place, through every step of a route), and
`restore` writes the official term there.

Glossary format: one `[[term]]` table per concept, with its `key`, its `source` and one
string per language code (`en = "alert"`, `de = "Vorwarnung"`, ...); other keys and
sub-tables (`[term.forms]`, `[term.avoid]`, `[term.match]`) are not used here.
"""

from __future__ import annotations

import re
import secrets
import tomllib
from functools import cache
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parents[2] / "translations" / "glossary.toml"


@cache
def glossary(path: Path = GLOSSARY) -> tuple[dict[str, str], ...]:
    """Each glossary term of several English words as {language: wording}. Single words
    ("request", "closed", "record") are general language in free text, where the engine
    chooses from context and agrees them with their sentence; a fixed word would often be
    wrong ("la porte est clôturé"). Compound terms are where engines go astray
    ("autorité" becoming "puissance")."""
    try:
        raw = tomllib.loads(path.read_text())
    except FileNotFoundError:
        return ()
    return tuple(
        {lang: word.strip() for lang, word in entry.items() if len(lang) == 2 and word.strip()}
        for entry in raw.get("term", [])
        if isinstance(entry, dict) and len(str(entry.get("en", "")).split()) > 1
    )


def pack_terms(pack) -> tuple[dict[str, str], ...]:
    """Each term of a pack's term base as {language: wording}, in the languages its
    catalogs word it in (English is the source)."""
    found = []
    for term in getattr(pack, "terms", ()):
        wordings = {"en": term}
        for language, catalog in pack.translations.items():
            if catalog.get(term):
                wordings[language] = catalog[term]
        found.append(wordings)
    return tuple(found)


def pairs(source: str, target: str, pack=None) -> dict[str, str]:
    """Source wording (lower case) -> target wording, for the terms worded in both
    languages; the pack's term base wins over the glossary."""
    found: dict[str, str] = {}
    for wordings in (*glossary(), *(pack_terms(pack) if pack is not None else ())):
        if wordings.get(source) and wordings.get(target):
            found[wordings[source].lower()] = wordings[target]
    return found


def _cased(match: re.Match, term: str) -> str:
    """The official term in the case the text gives it: in capitals where the text is
    in capitals, with a capital first letter where a sentence starts; otherwise as the
    glossary writes it."""
    found = match.group()
    if sum(c.isalpha() for c in found) > 1 and found.isupper():
        return term.upper()
    starts = not match.string[: match.start()].strip() or re.search(
        r"[.!?:]\s*$", match.string[: match.start()]
    )
    if starts and term[:1].islower():
        return term[:1].upper() + term[1:]
    return term


def _pattern(wordings) -> re.Pattern:
    """Any of the wordings as whole words, in any case, longest first."""
    alternatives = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in wordings}, key=len)
    return re.compile(r"(?<!\w)(" + "|".join(reversed(alternatives)) + r")(?!\w)", re.IGNORECASE)


def _key(found: str) -> str:
    return re.sub(r"\s+", " ", found).lower()


def found(text: str, terms: dict[str, str]) -> dict[str, int]:
    """The terms the text contains (lower-case source wording) and how often."""
    if not terms:
        return {}
    counts: dict[str, int] = {}
    for match in _pattern(terms).finditer(text):
        counts[_key(match.group())] = counts.get(_key(match.group()), 0) + 1
    return counts


def kept_renderings(output: str, counts: dict[str, int], renderings: dict[str, str]) -> dict:
    """The terms whose rendering by the engine alone (lower case) the output holds
    exactly as often as the source holds the term, each rendering another."""
    kept = {}
    for term, count in counts.items():
        rendering = renderings[term].strip().lower()
        unique = rendering and rendering not in kept.values()
        if unique and len(_pattern([rendering]).findall(output)) == count:
            kept[term] = rendering
    return kept


def replace_renderings(output: str, kept: dict[str, str], terms: dict[str, str]) -> str:
    """The output with the engine's renderings of the kept terms replaced by the
    official terms."""
    if not kept:
        return output
    wanted = {rendering: terms[term] for term, rendering in kept.items()}
    return _pattern(wanted).sub(lambda m: _cased(m, wanted[_key(m.group())]), output)


def protect(text: str, terms: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The text with each known term replaced by a placeholder tag that the engine
    passes through unchanged; and placeholder -> official term."""
    if not terms:
        return text, {}
    nonce = secrets.token_hex(4)
    kept: dict[str, str] = {}

    def placeholder(match: re.Match) -> str:
        tag = f'<t-{nonce} n="{len(kept)}"/>'
        kept[tag] = _cased(match, terms[_key(match.group())])
        return tag

    return _pattern(terms).sub(placeholder, text), kept


def restore(text: str, kept: dict[str, str]) -> str:
    """The engine's output with the official terms in place of their placeholders."""
    for tag, wording in kept.items():
        text = text.replace(tag, wording)
    return text
