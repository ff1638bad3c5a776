"""The interface catalogs, one per language: compiled, complete, with the right plural forms."""

import functools
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from flask_babel import force_locale, gettext, ngettext

from app import i18n_check
from app.reference import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def extract_once():
    """The messages of the code, extracted once for the checks of this module (the code
    does not change between them; an extraction parses every module and template)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(i18n_check, "extract", functools.cache(i18n_check.extract))
        yield


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


def _copy_catalogs(tmp_path):
    copy = tmp_path / "translations"
    for language in LANGUAGES:
        source = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
        target = copy / language / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        target.write_bytes(source.read_bytes())
    return copy


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PLURAL_ENTRY = 'msgid "%(num)s member"\nmsgid_plural "%(num)s members"\n'


def test_checker_reports_a_plural_header_that_differs_from_cldr(tmp_path):
    # given Irish declaring two forms and Polish three forms with the wrong rule
    copy = _copy_catalogs(tmp_path)
    irish = copy / "ga" / "LC_MESSAGES" / "messages.po"
    text = irish.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if "Plural-Forms" in line)
    _edit(irish, header, '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
    polish = copy / "pl" / "LC_MESSAGES" / "messages.po"
    text = polish.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if "Plural-Forms" in line)
    _edit(polish, header, '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n<5 ? 1 : 2);\\n"')
    # when checked
    problems = i18n_check.check_catalogs(copy)
    # then both headers are named, with the number where Polish goes wrong
    assert any(p.startswith("ga: Plural-Forms has nplurals=2, CLDR has 5") for p in problems)
    assert any(p.startswith("pl: Plural-Forms picks form 1 for n=0, CLDR form 2") for p in problems)
    assert {p.split(":")[0] for p in problems} == {"ga", "pl"}


def test_checker_reports_missing_extra_and_empty_plural_forms(tmp_path):
    # given Czech with a plural entry of two forms, Irish with six, Lithuanian with an
    # empty form
    copy = _copy_catalogs(tmp_path)
    for language, change in (("cs", "drop"), ("ga", "add"), ("lt", "empty")):
        path = copy / language / "LC_MESSAGES" / "messages.po"
        text = path.read_text(encoding="utf-8")
        start = text.index(PLURAL_ENTRY)
        end = text.index("\n\n", start)
        entry = text[start:end]
        lines = entry.splitlines()
        if change == "drop":
            lines = lines[:-1]
        elif change == "add":
            lines.append('msgstr[5] "%(num)s ball"')
        else:
            lines[-1] = lines[-1].split(" ", 1)[0] + ' ""'
        path.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
    # when checked
    problems = i18n_check.check_catalogs(copy)
    # then each language's problem is reported
    assert "cs: 2 plural forms instead of 3 in '%(num)s member'" in problems
    assert "ga: 6 plural forms instead of 5 in '%(num)s member'" in problems
    assert "lt: plural form 2 is empty in '%(num)s member'" in problems
    assert {p.split(":")[0] for p in problems} == {"cs", "ga", "lt"}


def test_checker_reports_a_pack_catalog_with_wrong_plural_forms(tmp_path):
    # given a copy of a pack whose Maltese catalog declares two plural forms
    import shutil

    from app.procedures import BUILTIN_DIR, pack_folders
    from app.procedures.catalogs import catalog_path

    folder = pack_folders([BUILTIN_DIR])[0]
    copy = tmp_path / folder.parent.name / folder.name
    shutil.copytree(folder, copy)
    maltese = catalog_path(copy, "mt")
    text = maltese.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if "Plural-Forms" in line)
    _edit(maltese, header, '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
    # when checked
    problems = i18n_check.check_procedure_catalogs([copy])
    # then only the Maltese catalog of that pack is reported
    assert len(problems) == 1
    assert problems[0].startswith(f"{folder.name}: mt: Plural-Forms has nplurals=2, CLDR has 5")


def test_one_english_word_in_two_roles_has_two_translations(app):
    # "Received" as an inbox tab, as the date a registration came in and as an alert's
    # state: French reads "Reçues", "Date de réception" and "Reçue".
    from flask_babel import pgettext

    with force_locale("fr"):
        words = {pgettext(c, "Received") for c in ("inbox tab", "date", "alert recipient state")}
    assert words == {"Reçues", "Date de réception", "Reçue"}


def test_state_labels_agree_with_their_kind_of_case(app):
    # A request (wniosek, masculine), an alert (ostrzeżenie, neuter) and a public case
    # (sprawa, feminine) are closed in three forms in Polish; French has two genders.
    from app.cases import registry

    def closed(kind: str) -> str:
        states = registry.kind(kind).labels()["states"]
        return next(str(label) for state, label in states.items() if state.value == "closed")

    with force_locale("pl"):
        assert [closed(k) for k in ("request", "alert", "public_case")] == [
            "Zamknięty", "Zamknięte", "Zamknięta",
        ]  # fmt: skip
    with force_locale("fr"):
        assert [closed(k) for k in ("request", "public_case")] == ["Clôturée", "Clôturé"]


def test_working_days_are_counted_in_the_plural_of_each_language(app):
    text = "%(num)s working day after %(start)s, counted in %(country)s: Saturdays, Sundays and public holidays do not count."
    plural = text.replace("day after", "days after")
    values = {"start": "1 Jan 2027", "country": "DE"}
    with force_locale("de"):
        assert ngettext(text, plural, 1, **values).startswith("1 Arbeitstag nach")
        assert ngettext(text, plural, 5, **values).startswith("5 Arbeitstage nach")
    with force_locale("en"):
        assert ngettext(text, plural, 1, **values).startswith("1 working day after")


def test_bokmal_uses_the_norwegian_terms_of_the_imi_regulation(app):
    # anmodning (request), varsel (alert), personopplysninger, sperret (blocked);
    # two plural forms, the singular for 1 only
    with force_locale("nb"):
        words = [gettext(w) for w in ("Request", "Alert", "personal data", "Blocked")]
        members = [ngettext("%(num)s member", "%(num)s members", n) for n in (0, 1, 2, 21)]
    assert words == ["Anmodning", "Varsel", "personopplysninger", "Sperret"]
    assert members == ["0 medlemmer", "1 medlem", "2 medlemmer", "21 medlemmer"]
