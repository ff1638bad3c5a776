"""Completeness of the interface catalogs (one per language of app.reference.LANGUAGES),
checked against a fresh extraction, and the plural forms of every catalog (interface and
procedure packs) against CLDR."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from app.reference import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
PLURAL_HEADER = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")
MSGSTR_INDEX = re.compile(r"^msgstr\[(\d+)\]", re.MULTILINE)
# Integers the plural expressions are compared on: covers every rule of the interface
# languages (Irish 7..10, Maltese and Latvian mod 100, Icelandic 21 and 11, millions in
# Romance languages).
SAMPLES = (*range(0, 1001), 1_000_000, 2_000_000)


def extract() -> Catalog:
    """The messages the code and templates use now."""
    catalog = Catalog()
    method_map = [
        ("app/**.py", "python"),
        ("app/templates/**.html", "jinja2"),
        ("app/templates/**.txt", "jinja2"),
    ]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        if filename.startswith("app/"):
            catalog.add(
                message, None, [(filename, lineno)], auto_comments=comments, context=context
            )
    return catalog


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _plural_header(text: str) -> tuple[int, str] | None:
    for line in text.splitlines():
        if line.strip('"').startswith("Plural-Forms:"):
            header = line.strip('"').removeprefix("Plural-Forms:").replace("\\n", "").strip()
            match = PLURAL_HEADER.match(header)
            return (int(match.group(1)), match.group(2)) if match else (0, header)
    return None


def check_plural_forms(path: Path, language: str) -> list[str]:
    """The catalog's Plural-Forms header agrees with CLDR's rule for the language (as
    gettext numbers it, through Babel), and every plural entry has exactly that many
    forms, none empty."""
    text = path.read_text(encoding="utf-8")
    expected = get_plural(language)
    problems: list[str] = []
    header = _plural_header(text)
    if header is None:
        problems.append(f"{language}: no Plural-Forms header")
    else:
        count, expression = header
        if count != expected.num_plurals:
            problems.append(
                f"{language}: Plural-Forms has nplurals={count}, CLDR has "
                f"{expected.num_plurals} ({expected.plural_forms})"
            )
        else:
            try:
                ours, cldr = gettext.c2py(expression), gettext.c2py(expected.plural_expr)
                wrong = next((n for n in SAMPLES if ours(n) != cldr(n)), None)
            except (ValueError, SyntaxError, RecursionError):
                problems.append(f"{language}: Plural-Forms expression does not parse")
            else:
                if wrong is not None:
                    problems.append(
                        f"{language}: Plural-Forms picks form {ours(wrong)} for n={wrong}, "
                        f"CLDR form {cldr(wrong)} ({expected.plural_forms})"
                    )
    for block in re.split(r"\n\s*\n", text):
        if "msgid_plural" not in block or block.lstrip().startswith("#~"):
            continue
        entry = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        label = re.search(r'^msgid "(.*)"', entry, re.MULTILINE)
        label_text = label.group(1) if label else "?"
        if "#, fuzzy" in block:
            continue
        indexes = [int(i) for i in MSGSTR_INDEX.findall(entry)]
        if len(indexes) != expected.num_plurals:
            problems.append(
                f"{language}: {len(indexes)} plural forms instead of "
                f"{expected.num_plurals} in {label_text!r}"
            )
        for index, form in re.findall(r'^msgstr\[(\d+)\] (".*"(?:\n".*")*)', entry, re.MULTILINE):
            if not "".join(re.findall(r'"(.*)"', form)):
                problems.append(f"{language}: plural form {index} is empty in {label_text!r}")
    return problems


def check_procedure_catalogs(folders: list[Path]) -> list[str]:
    """Plural forms and compilation of the packs' catalogs (the `procedures` domain)."""
    from app.procedures.catalogs import catalog_path

    problems: list[str] = []
    for folder in folders:
        for language in LANGUAGES:
            path = catalog_path(folder, language)
            if not path.exists():
                continue  # a gap, which `flask procedures check` reports
            problems += [f"{folder.name}: {p}" for p in check_plural_forms(path, language)]
            try:
                with path.open("rb") as handle:
                    write_mo(io.BytesIO(), read_po(handle, locale=language))
            except Exception as error:
                problems.append(f"{folder.name}: {language}: does not compile: {error}")
    return problems


def check_catalogs(directory: Path | None = None) -> list[str]:
    """Every problem of the interface catalogs under `directory` (default: the
    project's translations/)."""
    directory = directory or TRANSLATIONS
    source = extract()
    problems: list[str] = []
    for language in LANGUAGES:
        path = directory / language / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            problems.append(f"{language}: no catalog at {path}")
            continue
        problems += check_plural_forms(path, language)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in source:
            if not message.id:
                continue
            found = catalog.get(message.id, message.context)
            label = message.id if isinstance(message.id, str) else message.id[0]
            if found is None:
                problems.append(f"{language}: missing: {label!r}")
                continue
            if found.fuzzy:
                problems.append(f"{language}: fuzzy: {label!r}")
            strings = found.string if isinstance(found.string, tuple | list) else (found.string,)
            if not all(strings):
                problems.append(f"{language}: untranslated: {label!r}")
                continue
            wanted = _placeholders(label)
            for string in strings:
                if _placeholders(string) != wanted and language != "en":
                    problems.append(f"{language}: placeholders differ in {label!r}: {string!r}")
        try:
            write_mo(io.BytesIO(), catalog)
        except Exception as error:  # a catalog that does not compile
            problems.append(f"{language}: does not compile: {error}")
    return problems


def check_glossary(directory: Path | None = None, glossary: Path | None = None) -> list[str]:
    """Every entry of the interface catalogs that speaks of a glossary term without
    using the language's term, or with a word the glossary rules out, and every entry
    that addresses the reader informally in a language whose catalog is formal."""
    from app import glossary as terms_module

    directory = directory or TRANSLATIONS
    terms = terms_module.load(glossary)
    register = terms_module.load_register(glossary)
    problems: list[str] = []
    for language in LANGUAGES:
        path = directory / language / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            continue  # reported by check_catalogs
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        problems += terms_module.check_catalog(catalog, language, terms)
        problems += terms_module.check_register(catalog, language, register)
    return problems
