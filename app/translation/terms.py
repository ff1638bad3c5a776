"""Known terms beat machine translation.

Where a free text contains a term of the interface glossary (translations/glossary.toml)
or of its procedure pack's term base (`terms` in procedure.toml, worded per language in
the pack's catalogs), the translation carries the official term of the target language,
not the engine's guess (`apply`). Two ways, the first preferred:

- The engine's own rendering of the term (the term translated alone) is replaced by the
  official term where the translation holds that rendering as often as the text holds
  the term: the words around it were translated in context and still agree with it.
- Otherwise the engine never sees the term: `protect` puts a placeholder tag where it
  stood, which the engine passes through as markup, and `restore` writes the official
  term there. Apertium's HTML deformatter keeps a tag as a "superblank", in place,
  through every step of a route. LibreTranslate with `format: "html"` (its documented
  markup mode, https://docs.libretranslate.com/guides/api_usage, "Translate
  HTML/Markup") parses the text with BeautifulSoup's html.parser and translates the text
  around a tag, keeping the tag in place; it writes an empty tag back as `<t ...></t>`
  and unescapes its whole answer (LibreTranslate 1.9.6 `app.py`, argos-translate-files
  1.4.4 `translatehtml.py`). The text around the tag is translated in fragments there,
  hence the first way first.

eTranslation's text snippets take plain text only (no markup mode is documented for
`textToTranslate`; markup goes as a document), so only the first way is used for it
(app/translation/callbacks.py).

Glossary format: one `[[term]]` table per concept, with its `key`, its `source` and one
string per language code (`en = "alert"`, `de = "Vorwarnung"`, ...); other keys and
sub-tables (`[term.forms]`, `[term.avoid]`, `[term.match]`) are not used here.
"""

from __future__ import annotations

import html
import re
import secrets
import tomllib
from collections.abc import Callable
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


def protect(text: str, terms: dict[str, str], escape: bool = False) -> tuple[str, dict[str, str]]:
    """The text with each known term replaced by a placeholder tag that the engine
    passes through unchanged; and placeholder -> official term. With `escape`, the rest
    of the text is escaped as HTML text (`<`, `>`, `&`), so that an engine reading
    markup reads the writer's characters as text."""
    if not terms:
        return text, {}
    nonce = secrets.token_hex(4)
    kept: dict[str, str] = {}
    out, at = [], 0
    for match in _pattern(terms).finditer(text):
        tag = f'<t-{nonce} n="{len(kept)}"/>'
        kept[tag] = _cased(match, terms[_key(match.group())])
        between = text[at : match.start()]
        out += [html.escape(between, quote=False) if escape else between, tag]
        at = match.end()
    rest = text[at:]
    out.append(html.escape(rest, quote=False) if escape else rest)
    return "".join(out), kept


def _placeholder(tag: str) -> re.Pattern:
    """A placeholder as an engine may give it back: as sent (`<t-x n="0"/>`) or as an
    HTML serializer writes an empty element (`<t-x n="0"></t-x>`)."""
    name = tag[1:].split(" ", 1)[0]
    return re.compile(re.escape(tag[:-2]) + r"\s*(?:/>|>\s*</" + re.escape(name) + ">)")


def restore(text: str, kept: dict[str, str]) -> str:
    """The engine's output with the official terms in place of their placeholders."""
    for tag, wording in kept.items():
        text = _placeholder(tag).sub(lambda _m, w=wording: w, text)
    return text


def all_kept(text: str, kept: dict[str, str]) -> bool:
    """Whether the engine gave back every placeholder."""
    return all(_placeholder(tag).search(text) for tag in kept)


def apply(
    text: str,
    terms: dict[str, str],
    translate: Callable[[str], str],
    translate_marked: Callable[[str], str] | None = None,
    escape: bool = False,
) -> str:
    """The text through `translate`, carrying the official wording of each of `terms`
    (source wording -> official target wording) it contains: the engine's rendering
    replaced where kept in context, the other terms held out of the engine as
    placeholders through `translate_marked` (an engine reading markup; `escape` when it
    reads HTML). An answer that lost a placeholder is not used."""
    counts = found(text, terms)
    output = translate(text)
    if not counts:
        return output
    renderings = {term: translate(term) for term in counts}
    kept = kept_renderings(output, counts, renderings)
    others = {term: terms[term] for term in counts if term not in kept}
    if others and translate_marked is not None:
        protected, placeholders = protect(text, others, escape)
        marked = translate_marked(protected)
        if all_kept(marked, placeholders):
            output = restore(marked, placeholders)
    return replace_renderings(output, kept, terms)
