"""A procedure pack's catalogs: `translations/<lang>/LC_MESSAGES/procedures.po` in its
folder, one per interface language (gettext domain `procedures`), read when the pack
loads and written from its English texts for translators."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from app.reference import LANGUAGES

if TYPE_CHECKING:  # the pack module reads its catalogs through this one
    from app.procedures import Pack

DOMAIN = "procedures"


def catalog_path(folder: Path, language: str) -> Path:
    return folder / "translations" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_translations(folder: Path) -> dict[str, dict[str, str]]:
    translations = {}
    for language in LANGUAGES:
        path = catalog_path(folder, language)
        if path.exists():
            translations[language] = dict(_parse_catalog(language, path.read_bytes()))
    return translations


# Parsed catalogs by language and content. Parsing a .po file takes ~10 ms and the packs
# have ~300: every app (production, training, each CLI run and worker) loads them all,
# and the apps of one process now parse each catalog once.
_parsed: dict[tuple[str, bytes], dict[str, str]] = {}


def _parse_catalog(language: str, data: bytes) -> dict[str, str]:
    """The translated texts of a catalog."""
    key = (language, hashlib.sha256(data).digest())
    if key not in _parsed:
        catalog = read_po(io.BytesIO(data), locale=language)
        _parsed[key] = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    return _parsed[key]


def write_catalogs(pack: Pack) -> None:
    """Create or update the pack's catalogs, one per interface language, with its current
    English texts (keeping existing translations), for translators."""
    for language in LANGUAGES:
        path = catalog_path(pack.path, language)
        old = pack.translations.get(language, {})
        catalog = Catalog(locale=language, domain=DOMAIN, project=f"OpenIMI {pack.key}")
        for text in pack.source_strings():
            catalog.add(text, text if language == "en" else old.get(text, ""))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False)
