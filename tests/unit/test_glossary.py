"""The interface glossary: the catalogs use one term per concept, and the check says where
they do not."""

import tomllib
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from app import glossary, i18n_check
from app.reference import LANGUAGES
from tests.unit.test_i18n import _copy_catalogs

ROOT = Path(__file__).resolve().parents[2]


def test_the_catalogs_follow_the_glossary():
    assert i18n_check.check_glossary() == []


def test_every_term_names_its_source_and_the_24_languages():
    terms = glossary.load()
    assert {"request", "alert", "repository", "record", "imi_coordinator"} <= {t.key for t in terms}
    for term in terms:
        assert term.source, term.key
        assert set(LANGUAGES) <= set(term.words), term.key


def _catalog(language: str, *entries: tuple) -> Catalog:
    catalog = Catalog(locale=language)
    for entry in entries:
        msgid, msgstr, context = (*entry, None)[:3]
        catalog.add(msgid, msgstr, context=context)
    return catalog


GLOSSARY = """
[[term]]
key = "alert"
source = "test"
en = "alert"
de = "Vorwarnung"
pl = "ostrzeżenie"
[term.forms]
pl = ["ostrzeże", "ostrzeżeń"]

[[term]]
key = "imi_coordinator"
source = "test"
en = "IMI coordinator"
fr = "coordinateur IMI"
[term.match]
en = "\\\\bcoordinators?\\\\b"
[term.forms]
fr = ["coordinat(eur|rice)"]
[term.avoid]
fr = ["coordonnat"]

[[term]]
key = "request"
source = "test"
en = "request"
de = "Anfrage"
[term.match]
en = "\\\\brequests?\\\\b"
[[term.exception]]
msgid = "Bad request"
reason = "HTTP"

[register]
it = ["\\\\b(tuo|tua)\\\\b", "^(Salva|Scarica)\\\\b"]
pl = ["\\\\b(twój|twoje)\\\\b"]
"""

# (language, msgid, msgstr, context) -> the problem reported, or None
CASES = [
    ("de", "Alerts", "Vorwarnungen", None, None),
    ("de", "Close the alert", "Warnmeldung schließen", None, "'Vorwarnung' for 'alert'"),
    ("pl", "Alerts", "Ostrzeżenia", None, None),
    ("pl", "%(num)s alert", ("%(num)s ostrzeżenie", "%(num)s ostrzeżenia", "%(num)s ostrzeżeń"),
     None, None),
    ("pl", "Alert closed", "Zamknięto alert", None, "'ostrzeżenie' for 'alert'"),
    ("fr", "Coordinator", "Coordinateur", None, None),
    ("fr", "Your national coordinator", "Votre coordinatrice nationale", None, None),
    ("fr", "Coordinator", "Coordonnateur", None, "uses 'coordonnat'"),
    ("fr", "Refer it to the coordinators", "Le soumettre aux responsables", None,
     "'coordinateur IMI' for 'IMI coordinator'"),
    ("de", "Bad request", "Ungültige Abfrage", None, None),
    ("de", "Send the request", "Ersuchen senden", None, "'Anfrage' for 'request'"),
    ("de", "Sign in", "Anmelden", None, None),
    ("es", "Alerts", "Avisos", None, None),  # a language the test glossary lacks
    ("it", "Save the translation", "Salva la traduzione", None, "the informal 'Salva'"),
    ("it", "Save the translation", "Salvare la traduzione", None, None),
    ("it", "Your searches", "Le tue ricerche e la tua pratica", None, "the informal 'tua'"),
    ("pl", "Your searches", "Twoje wyszukiwania", None, "the informal 'Twoje'"),
    ("pl", "Your searches", "Pana/Pani wyszukiwania", None, None),
    ("de", "Your searches", "Deine Suchen", None, None),  # no register listed for de here
]  # fmt: skip


@pytest.mark.parametrize(("language", "msgid", "msgstr", "context", "problem"), CASES)
def test_check_reports_an_entry_without_the_term_or_in_the_informal_register(
    tmp_path, language, msgid, msgstr, context, problem
):
    path = tmp_path / "glossary.toml"
    path.write_text(GLOSSARY, encoding="utf-8")
    terms = glossary.load(path)
    ids = (msgid, msgid.replace("alert", "alerts")) if isinstance(msgstr, tuple) else msgid
    catalog = _catalog(language, (ids, msgstr, context))
    problems = glossary.check_catalog(catalog, language, terms) + glossary.check_register(
        catalog, language, glossary.load_register(path)
    )
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert problems[0].startswith(f"{language}: {msgid!r}")
        assert problem in problems[0]


def test_a_wrong_word_in_a_real_catalog_fails_the_check(tmp_path):
    # given a copy of the catalogs where French names the coordinator "coordonnateur" again
    copy = _copy_catalogs(tmp_path)
    french = copy / "fr" / "LC_MESSAGES" / "messages.po"
    text = french.read_text(encoding="utf-8")
    french.write_text(text.replace('msgstr "Coordinateur"', 'msgstr "Coordonnateur"'), "utf-8")
    # when checked
    problems = i18n_check.check_glossary(copy)
    # then one line names the language, the msgid and the expected term
    assert problems == [
        "fr: 'Coordinator' uses 'coordonnat' for 'IMI coordinator'; "
        "the glossary term is 'coordinateur IMI'"
    ]


def test_the_glossary_file_keeps_the_shape_other_tools_read():
    with (ROOT / "translations" / "glossary.toml").open("rb") as handle:
        data = tomllib.load(handle)
    for entry in data["term"]:
        assert isinstance(entry["key"], str) and isinstance(entry["en"], str)
        for table in ("forms", "avoid"):
            assert all(isinstance(v, list) for v in entry.get(table, {}).values())
