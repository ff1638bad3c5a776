"""The 24 catalogs: compiled, complete, with the right plural forms."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from flask_babel import force_locale, gettext, ngettext

from app import i18n_check
from app.reference import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_a_compiled_catalog(language):
    assert (ROOT / "translations" / language / "LC_MESSAGES" / "messages.mo").is_file()


def test_catalogs_are_complete():
    assert i18n_check.check_catalogs() == []


def test_plural_forms_follow_each_language(app):
    # Polish has three forms, Irish five: the catalogs must use them.
    with force_locale("pl"):
        forms = {n: ngettext("%(num)s member", "%(num)s members", n) for n in (1, 2, 5, 22)}
    assert forms[2] != forms[5]
    assert forms[22].split()[1] == forms[2].split()[1]
    with force_locale("ga"):
        irish = {
            ngettext("%(num)s member", "%(num)s members", n).split()[1] for n in (1, 2, 4, 7, 11)
        }
    assert len(irish) >= 2


def test_interface_is_translated_beyond_english(app):
    with force_locale("de"):
        german = gettext("Sign in")
    with force_locale("el"):
        greek = gettext("Sign in")
    assert german != "Sign in" and greek != "Sign in"


def test_checker_reports_a_missing_entry_and_a_placeholder_mismatch(tmp_path, monkeypatch):
    # given a copy of the catalogs where Polish lost one entry and broke a placeholder
    copy = tmp_path / "translations"
    for language in LANGUAGES:
        source = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
        target = copy / language / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        target.write_bytes(source.read_bytes())
    polish = copy / "pl" / "LC_MESSAGES" / "messages.po"
    with polish.open("rb") as handle:
        catalog = read_po(handle, locale="pl")
    catalog.delete("Sign in")
    catalog["Welcome, %(name)s"].string = "Witaj, %(imie)s"
    with polish.open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(i18n_check, "TRANSLATIONS", copy)
    # when checked
    problems = i18n_check.check_catalogs()
    # then both problems are reported for Polish only
    assert any(p.startswith("pl: missing: 'Sign in'") for p in problems)
    assert any(p.startswith("pl: placeholders differ in 'Welcome, %(name)s'") for p in problems)
    assert all(p.startswith("pl:") for p in problems)
