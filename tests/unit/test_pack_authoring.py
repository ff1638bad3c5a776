"""Authoring a pack: the area's term base, drafts and `flask procedures new`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.procedures import TERM_BASE, load_pack, load_packs, pack_folders
from app.procedures.catalogs import write_catalogs
from app.reference import LANGUAGES
from tests.unit.test_procedure_packs import write_pack

TERMS = """
[[term]]
key = "licence"
source = "Directive 2006/126/EC, Article 1"
en = "licence"
de = "Führerschein"
fr = "permis de conduire"
[term.match]
en = "\\\\blicences?\\\\b"
[term.forms]
de = ["Führerschein"]
[term.avoid]
de = ["Fahrerlaubnis"]
"""


def translated(folder: Path, **wording: str) -> None:
    """Every catalog of the pack filled; `wording` gives a language's text of the
    licence question."""
    pack = load_pack(folder)
    words = {"de": "Führerschein", "fr": "permis de conduire"}
    for language in LANGUAGES:
        pack.translations[language] = {
            t: f"[{language}] {t.replace('licence', words.get(language, 'licence'))}"
            for t in pack.source_strings()
        }
    pack.translations["de"]["Is the licence valid?"] = wording.get(
        "de", "Ist der Führerschein gültig?"
    )
    pack.translations["fr"]["Is the licence valid?"] = "Le permis de conduire est-il valable ?"
    write_catalogs(pack)


def check(app, directory: Path):
    """`flask procedures check` over `directory` alone."""
    kept = app.config["PROCEDURE_DIRS"]
    app.config["PROCEDURE_DIRS"] = [str(directory)]
    try:
        return app.test_cli_runner().invoke(args=["procedures", "check"])
    finally:
        app.config["PROCEDURE_DIRS"] = kept


def test_a_pack_must_use_its_areas_terms(tmp_path, app):
    folder = write_pack(tmp_path, "road_transport", "driving_instructor")
    (tmp_path / "road_transport" / TERM_BASE).write_text(TERMS)
    # another word for the term, where the act says "Führerschein": red, with the line
    translated(folder, de="Ist die Fahrerlaubnis gültig?")
    result = check(app, tmp_path)
    assert result.exit_code == 1, result.output
    line = next(x for x in result.output.splitlines() if "Fahrerlaubnis" in x)
    assert line.strip().startswith("driving_instructor: de:")
    assert "'Is the licence valid?'" in line and "'Führerschein'" in line
    # a text that does not use the term at all: red too
    translated(folder, de="Ist das Dokument gültig?")
    result = check(app, tmp_path)
    assert result.exit_code == 1
    assert "does not use the glossary term 'Führerschein'" in result.output
    assert "'Ist das Dokument gültig?'" in result.output
    # the act's term: green
    translated(folder)
    result = check(app, tmp_path)
    assert result.exit_code == 0, result.output


def test_an_area_without_a_term_base_fails_the_check(tmp_path, app):
    folder = write_pack(tmp_path, "road_transport", "driving_instructor")
    translated(folder)
    result = check(app, tmp_path)
    assert result.exit_code == 1
    assert "road_transport: no term base" in result.output
    (tmp_path / "road_transport" / TERM_BASE).write_text("")  # an empty one is a term base
    assert check(app, tmp_path).exit_code == 0


def test_a_malformed_term_base_fails_the_check(tmp_path, app):
    folder = write_pack(tmp_path, "road_transport", "driving_instructor")
    translated(folder)
    (tmp_path / "road_transport" / TERM_BASE).write_text("[[term]]\nkey = 'x'\n")
    result = check(app, tmp_path)
    assert result.exit_code == 1 and "cannot be read" in result.output


def test_a_term_base_is_not_a_pack(tmp_path):
    write_pack(tmp_path, "road_transport", "driving_instructor")
    (tmp_path / "road_transport" / TERM_BASE).write_text(TERMS)
    assert pack_folders([tmp_path]) == [tmp_path / "road_transport" / "driving_instructor"]
    assert list(load_packs([tmp_path])) == ["driving_instructor"]


def test_status_is_active_or_draft(tmp_path):
    folder = write_pack(tmp_path, "road_transport", "driving_instructor")
    assert load_pack(folder).status == "active"
    toml = folder / "procedure.toml"
    toml.write_text(
        toml.read_text().replace('kind = "request"', 'kind = "request"\nstatus = "off"')
    )
    with pytest.raises(Exception, match="status must be one of active, draft"):
        load_pack(folder)


@pytest.mark.parametrize("kind", ["request", "notification", "alert", "repository", "public"])
def test_new_scaffolds_a_draft_that_passes_the_check_in_english(tmp_path, app, kind):
    runner = app.test_cli_runner()
    args = ["procedures", "new", "road_transport", f"rt_{kind}", "--kind", kind]
    result = runner.invoke(args=[*args, "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "road_transport" / f"rt_{kind}"
    pack = load_pack(folder)
    assert pack.kind == kind and pack.is_draft
    assert (tmp_path / "road_transport" / TERM_BASE).exists()  # the area's empty term base
    assert sorted(p.parts[-3] for p in folder.glob("translations/*/LC_MESSAGES/*.po")) == sorted(
        LANGUAGES
    )
    # the check passes, the other languages reported missing (warnings)
    result = check(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert "(draft: not offered to officers)" in result.output
    warnings = re.findall(r"warning: (\w+): 0/\d+ translated", result.output)
    assert sorted(warnings) == sorted(set(LANGUAGES) - {"en"})
    # the same key again is refused
    again = runner.invoke(args=[*args, "--directory", str(tmp_path)])
    assert again.exit_code != 0 and "exists already" in again.output
    # turned on while languages are missing: the check fails
    toml = folder / "procedure.toml"
    toml.write_text(toml.read_text().replace('status = "draft"', 'status = "active"'))
    result = check(app, tmp_path)
    assert result.exit_code == 1
    assert "warning:" not in result.output and "de: 0/" in result.output


def test_new_refuses_a_bad_key_or_kind(tmp_path, app):
    runner = app.test_cli_runner()
    base = ["procedures", "new", "road_transport"]
    result = runner.invoke(
        args=[*base, "Bad-Key", "--kind", "request", "--directory", str(tmp_path)]
    )
    assert result.exit_code != 0 and "lower_snake" in result.output
    result = runner.invoke(
        args=[*base, "pq_good_standing", "--kind", "request", "--directory", str(tmp_path)]
    )
    assert result.exit_code != 0 and "exists already" in result.output
    result = runner.invoke(args=[*base, "rt_x", "--kind", "epc", "--directory", str(tmp_path)])
    assert result.exit_code != 0
    assert not (tmp_path / "road_transport").exists()
