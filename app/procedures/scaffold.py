"""`flask procedures new`: a draft pack to start from.

The new pack is valid (placeholders the check accepts), English only, and a draft
(`status = "draft"`): `flask procedures check` passes with its other languages reported
as warnings, the preview page shows it, and no officer is offered it until its author
sets `status = "active"`. The area gets an empty term base if it has none.
"""

from __future__ import annotations

from pathlib import Path

from app.procedures import KEY, TERM_BASE, load_pack
from app.procedures.catalogs import write_catalogs

KINDS = ("request", "notification", "alert", "repository", "public")

_HEAD = """\
# Scaffolded by `flask procedures new`. Replace every placeholder text; cite the article
# behind every deadline in a comment; then `flask procedures catalogs`, translate every
# catalog, add the area's legal terms to ../{term_base}, run `flask procedures check`,
# look at the pack on the preview page (Coordination > Procedure preview), and set
# status = "active" when every language is there.
key = "{key}"
version = 1
kind = "{kind}"
policy_area = "{area}"
status = "draft"
name = "{name}"
description = "What this procedure is for and when an authority uses it."
legal_basis = "The act and its article, e.g. Regulation (EU) 2017/2394, Article 11"
# "standard": IMI Regulation (EU) No 1024/2012, Article 14; "extended" only where the
# act provides a longer period.
retention = "standard"
"""

_FIELD = """
[[{table}]]
key = "{key}"
type = "text"   # yes_no, choice (with options), date, number, text{file}
text = "{text}"
help = "An optional hint shown under the field."
personal_data = false   # true where the answer says something about a person
"""

_BODY = {
    "request": """\
# The act's reply deadline in working days (cite the article).
reply_deadline_working_days = 20
roles = ["requester", "responder"]
{request_field}
[[question_sets]]
key = "questions"
title = "Questions to the responding authority"
{question}""",
    "alert": """\
roles = ["alert_sender", "alert_receiver"]
{field}""",
    "notification": """\
roles = ["notifier", "notification_receiver", "notification_assessor", "notification_coordinator"]
{field}
[notification]
recipients = "all"   # or "establishment": the Member State of establishment
validation = "none"  # "required", "optional": the national coordinator validates first
assessment_basis = "The act and the article of the Commission's assessment"
""",
    "repository": """\
roles = ["repository_editor", "repository_reader"]
{field}""",
    "public": """\
roles = ["responder"]
{field}""",
}

TERM_BASE_TEXT = """\
# The term base of this policy area: one [[term]] per legal concept of its acts, with
# the act's own term per language (same format as translations/glossary.toml; read its
# header). `flask procedures check` fails when a pack of the area uses another word.
#
# [[term]]
# key = "competent_authority"
# source = "Regulation (EU) 2017/2394, Article 3(6)"
# en = "competent authority"
# de = "zuständige Behörde"
# ...one key per interface language...
# [term.forms]
# de = ["zuständige[nr]? Behörde"]
"""


def pack_text(area: str, key: str, kind: str) -> str:
    """The procedure.toml of a new draft pack."""
    name = key.replace("_", " ").capitalize()
    field = _FIELD.format(
        table="fields", key="subject", text="What the case is about", file=", file"
    )
    request_field = _FIELD.format(
        table="request_fields", key="subject_detail", text="What the request is about", file=""
    )
    question = _FIELD.format(
        table="question_sets.questions",
        key="first_question",
        text="The first question to the responding authority",
        file=", file",
    )
    body = _BODY[kind].format(field=field, request_field=request_field, question=question)
    return _HEAD.format(key=key, kind=kind, area=area, name=name, term_base=TERM_BASE) + body


def new_pack(directory: Path, area: str, key: str, kind: str, taken: set[str]) -> Path:
    """Write a draft pack `key` of `kind` in `directory/area/key` with its catalogs, and
    an empty term base for a new area; raise ValueError saying why it cannot."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    for what, value in (("area", area), ("key", key)):
        if not KEY.match(value):
            raise ValueError(f"the {what} must match {KEY.pattern} (lower_snake)")
    folder = directory / area / key
    if key in taken or folder.exists():
        raise ValueError(f"a pack {key!r} exists already")
    folder.mkdir(parents=True)
    (folder / "procedure.toml").write_text(pack_text(area, key, kind), "utf-8")
    terms = directory / area / TERM_BASE
    if not terms.exists():
        terms.write_text(TERM_BASE_TEXT, "utf-8")
    write_catalogs(load_pack(folder))
    return folder
