"""The interface glossary (translations/glossary.toml): one term per concept and language,
and the check that the 24 catalogs use it.

A term names its English word, the legal term per language, and optionally accepted
inflected forms (`forms`), competing words that must not be used (`avoid`), an English
pattern deciding which msgids speak of it (`match`) and msgids where the English word
has another sense (`exception`). A language the term has no entry for is skipped, so a
language can be added to the catalogs before it is added to the glossary.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "translations" / "glossary.toml"
# Keys of a term that are not a language.
_META = {"key", "source", "note", "forms", "avoid", "match", "exception"}


@dataclass(frozen=True)
class Term:
    key: str
    english: str
    source: str
    words: dict[str, str]  # language -> the official term
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    avoid: dict[str, tuple[str, ...]] = field(default_factory=dict)
    match: re.Pattern[str] | None = None
    exceptions: tuple[tuple[str, frozenset[str]], ...] = ()  # (msgid, languages or all)

    def speaks_of(self, msgid: str) -> bool:
        pattern = self.match or _default_match(self.english)
        return bool(pattern.search(msgid))

    def excepted(self, msgid: str, language: str) -> bool:
        return any(
            text == msgid and (not languages or language in languages)
            for text, languages in self.exceptions
        )

    def accepts(self, language: str, text: str) -> bool:
        """The text uses the term, or one of its accepted forms, in this language."""
        folded = text.casefold()
        if self.words[language].casefold() in folded:
            return True
        return any(re.search(form, text, re.IGNORECASE) for form in self.forms.get(language, ()))

    def avoided(self, language: str, text: str) -> str | None:
        """The first competing word the text uses, if any."""
        return next(
            (word for word in self.avoid.get(language, ()) if re.search(word, text, re.I)),
            None,
        )


def _default_match(english: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(english)}(s|es)?\b", re.IGNORECASE)


def _read(path: Path | None) -> dict:
    with (path or GLOSSARY).open("rb") as handle:
        return tomllib.load(handle)


def load_register(path: Path | None = None) -> dict[str, tuple[re.Pattern[str], ...]]:
    """Per language, the words of informal address the catalogs must not use (they
    address officers formally)."""
    register = _read(path).get("register", {})
    return {
        language: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
        for language, patterns in register.items()
    }


def check_register(
    catalog: Catalog, language: str, register: dict[str, tuple[re.Pattern[str], ...]]
) -> list[str]:
    """One line per entry that addresses the reader informally."""
    problems: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        for string in _strings(message.string):
            found = next(
                (m.group(0) for p in register.get(language, ()) if (m := p.search(string))), None
            )
            if found:
                problems.append(
                    f"{language}: {_strings(message.id)[0]!r} uses the informal {found!r}; "
                    "address the reader formally"
                )
                break
    return problems


def load(path: Path | None = None) -> list[Term]:
    data = _read(path)
    terms = []
    for entry in data.get("term", []):
        words = {k: v for k, v in entry.items() if k not in _META}
        match = entry.get("match", {}).get("en")
        terms.append(
            Term(
                key=entry["key"],
                english=words["en"],
                source=entry.get("source", ""),
                words=words,
                forms={k: tuple(v) for k, v in entry.get("forms", {}).items()},
                avoid={k: tuple(v) for k, v in entry.get("avoid", {}).items()},
                match=re.compile(match, re.IGNORECASE) if match else None,
                exceptions=tuple(
                    (e["msgid"], frozenset(e.get("languages", ())))
                    for e in entry.get("exception", [])
                ),
            )
        )
    return terms


def _strings(value: str | tuple | list) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def check_catalog(catalog: Catalog, language: str, terms: list[Term]) -> list[str]:
    """One line per entry that speaks of a glossary term without using it, or that uses
    a word the glossary rules out for it."""
    problems: list[str] = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = _strings(message.id)
        for term in terms:
            if language not in term.words or language == "en":
                continue
            if not any(term.speaks_of(text) for text in ids):
                continue
            if term.excepted(ids[0], language):
                continue
            for string in _strings(message.string):
                if not string:
                    continue
                avoided = term.avoided(language, string)
                if avoided:
                    problems.append(
                        f"{language}: {ids[0]!r} uses {avoided!r} for {term.english!r}; "
                        f"the glossary term is {term.words[language]!r}"
                    )
                    break
                if not term.accepts(language, string):
                    problems.append(
                        f"{language}: {ids[0]!r} does not use the glossary term "
                        f"{term.words[language]!r} for {term.english!r}: {string!r}"
                    )
                    break
    return problems
