"""Completeness of the 24 interface catalogs, checked against a fresh extraction."""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
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


def check_catalogs() -> list[str]:
    source = extract()
    problems: list[str] = []
    for language in LANGUAGES:
        path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            problems.append(f"{language}: no catalog at {path.relative_to(ROOT)}")
            continue
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
