"""Procedure packs: validated data, and a new procedure is a new folder."""

import shutil
from pathlib import Path

import pytest

from app.procedures import BUILTIN_DIR, PackError, load_pack, load_packs
from app.procedures.catalogs import write_catalogs
from app.reference import LANGUAGES

MINIMAL = """
key = "{key}"
version = 1
kind = "request"
policy_area = "{area}"
name = "Recognition of a driving instructor licence"
description = "Ask whether an instructor licence is valid."
legal_basis = "Directive 2006/126/EC"
reply_deadline_working_days = 15
retention = "standard"
roles = ["requester", "responder"]

[[question_sets]]
key = "licence"
title = "The licence"

[[question_sets.questions]]
key = "valid"
type = "yes_no"
text = "Is the licence valid?"

[[question_sets.questions]]
key = "category"
type = "choice"
text = "Which category does it cover?"
options = [{{ key = "b", label = "Category B" }}, {{ key = "c", label = "Category C" }}]
"""


def write_pack(root: Path, area: str, key: str, body: str | None = None) -> Path:
    folder = root / area / key
    folder.mkdir(parents=True)
    (folder / "procedure.toml").write_text(body or MINIMAL.format(key=key, area=area))
    return folder


def test_shipped_packs_are_valid():
    packs = load_packs([BUILTIN_DIR])
    requests = [p for p in packs.values() if p.kind == "request"]
    assert len(requests) >= 5
    assert len({p.policy_area for p in requests}) >= 4
    for pack in requests:
        types = {q.type for s in pack.question_sets for q in s.questions}
        assert len(types) >= 4, pack.key


def test_shipped_packs_are_translated_into_every_language():
    gaps = {
        pack.key: sorted(pack.missing_translations())
        for pack in load_packs([BUILTIN_DIR]).values()
        if pack.missing_translations()
    }
    assert gaps == {}


def test_a_new_folder_is_a_new_procedure_without_code(tmp_path, apps):
    # given a pack written into a folder of its own
    folder = write_pack(tmp_path, "road_transport", "driving_instructor")
    write_catalogs(load_pack(folder))
    # when an app starts with that folder among its procedure folders
    from tests.conftest import make_apps

    production, _ = make_apps(
        {
            "production": apps[0].config["SQLALCHEMY_DATABASE_URI"],
            "training": apps[1].config["SQLALCHEMY_DATABASE_URI"],
        },
        tmp_path,
        apps[0].config["MAIL_PORT"],
        production={"PROCEDURE_DIRS": [*apps[0].config["PROCEDURE_DIRS"], str(tmp_path)]},
    )
    from app import jobs
    from app.procedures import registry

    jobs._apps["production"], jobs._apps["training"] = apps
    # then the procedure is loaded with its questions
    pack = registry(production)["driving_instructor"]
    assert [q.key for q in pack.question_sets[0].questions] == ["valid", "category"]
    assert pack.reply_deadline_working_days == 15


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('type = "yes_no"', 'type = "colour"'), "type must be one of"),
        (
            (
                'options = [{ key = "b", label = "Category B" }, { key = "c", label = "Category C" }]',
                "",
            ),
            "a choice needs at least two options",
        ),
        (
            ("reply_deadline_working_days = 15", "reply_deadline_working_days = 0"),
            "reply_deadline_working_days",
        ),
        (('key = "valid"', 'key = "category"'), "question keys repeat"),
        (('roles = ["requester", "responder"]', 'roles = ["admin"]'), "roles must be"),
    ],
)
def test_malformed_pack_is_refused_with_the_reason(tmp_path, change, problem):
    body = MINIMAL.format(key="driving_instructor", area="road_transport")
    assert change[0] in body
    folder = write_pack(tmp_path, "road_transport", "driving_instructor", body.replace(*change))
    with pytest.raises(PackError) as error:
        load_pack(folder)
    assert any(problem in p for p in error.value.problems), error.value.problems


def test_folder_and_key_must_agree(tmp_path):
    body = MINIMAL.format(key="other_key", area="road_transport")
    folder = write_pack(tmp_path, "road_transport", "driving_instructor", body)
    with pytest.raises(PackError, match="folder name"):
        load_pack(folder)


def test_check_command_reports_translation_gaps_and_exits_non_zero(tmp_path, app):
    # given the shipped packs plus one whose catalogs are empty but for English
    folder = write_pack(tmp_path, "road_transport", "driving_instructor")
    write_catalogs(load_pack(folder))
    app.config["PROCEDURE_DIRS"] = [*app.config["PROCEDURE_DIRS"], str(tmp_path)]
    try:
        result = app.test_cli_runner().invoke(args=["procedures", "check"])
    finally:
        app.config["PROCEDURE_DIRS"] = app.config["PROCEDURE_DIRS"][:-1]
    assert result.exit_code == 1
    incomplete = len(LANGUAGES) - 1  # every language but English
    assert (
        f"driving_instructor v1 (request, 8 texts): {incomplete} languages incomplete"
        in result.output
    )
    assert "pl: 0/8 translated" in result.output
    # and once translated in every language, the same pack passes
    pack = load_pack(folder)
    for language in LANGUAGES:
        pack.translations[language] = {t: f"[{language}] {t}" for t in pack.source_strings()}
    write_catalogs(pack)
    assert load_pack(folder).missing_translations() == {}


def test_translated_text_falls_back_to_english(tmp_path):
    folder = write_pack(tmp_path, "road_transport", "driving_instructor")
    pack = load_pack(folder)
    pack.translations["de"] = {"Is the licence valid?": "Ist die Fahrlehrerlaubnis gültig?"}
    assert pack.gettext("Is the licence valid?", "de") == "Ist die Fahrlehrerlaubnis gültig?"
    assert pack.gettext("Which category does it cover?", "de") == "Which category does it cover?"


def test_sync_lists_every_pack_for_access_grants(app):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Procedure
    from app.procedures import registry
    from app.procedures.store import sync

    assert sync() == len(registry(app))
    keys = set(db.session.scalars(select(Procedure.key)))
    assert keys == set(registry(app))


def test_pack_copy_of_a_shipped_one_keeps_its_own_version(tmp_path):
    shipped = sorted(load_packs([BUILTIN_DIR]).values(), key=lambda p: p.key)[0]
    copy = tmp_path / shipped.policy_area / shipped.key
    shutil.copytree(shipped.path, copy)
    text = (
        (copy / "procedure.toml")
        .read_text()
        .replace(f"version = {shipped.version}", f"version = {shipped.version + 1}")
    )
    (copy / "procedure.toml").write_text(text)
    assert load_pack(copy).version == shipped.version + 1
    with pytest.raises(PackError, match="is used by"):
        load_packs([BUILTIN_DIR, tmp_path])


ALERT = """
key = "instructor_ban"
version = 1
kind = "alert"
policy_area = "road_transport"
name = "Driving instructor banned from practice"
legal_basis = "Directive 2006/126/EC"
roles = ["alert_sender", "alert_receiver"]
send_within_days = 3
deadline_field = "decision_date"

[[fields]]
key = "decision_date"
type = "date"
text = "Date of the decision"

[[fields]]
key = "full_name"
type = "text"
text = "Name of the instructor"
personal_data = true
"""


def test_alert_pack_with_a_sending_deadline_is_loaded(tmp_path):
    pack = load_pack(write_pack(tmp_path, "road_transport", "instructor_ban", ALERT))
    assert (pack.kind, pack.send_within_days, pack.deadline_field) == ("alert", 3, "decision_date")
    assert [f.key for f in pack.fields] == ["decision_date", "full_name"]
    assert "Name of the instructor" in pack.source_strings()


@pytest.mark.parametrize(
    "change, problem",
    [
        (('deadline_field = "decision_date"', 'deadline_field = "full_name"'), "a date field"),
        (("send_within_days = 3", "send_within_days = 0"), "between 1 and 60"),
        (('kind = "alert"', 'kind = "repository"'), "send_within_days is for alerts"),
    ],
)
def test_alert_deadline_must_name_a_date_field(tmp_path, change, problem):
    folder = write_pack(tmp_path, "road_transport", "instructor_ban", ALERT.replace(*change))
    with pytest.raises(PackError) as error:
        load_pack(folder)
    assert any(problem in p for p in error.value.problems), error.value.problems


def test_non_request_packs_need_fields(tmp_path):
    body = ALERT.split("[[fields]]")[0].replace("send_within_days = 3\n", "")
    body = body.replace('deadline_field = "decision_date"\n', "")
    with pytest.raises(PackError, match="needs fields"):
        load_pack(write_pack(tmp_path, "road_transport", "instructor_ban", body))
