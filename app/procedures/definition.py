"""A pack version as a case pins it: every field a reader of the case sees, stored as
JSON (app/procedures/store.py), and read back translated by the current pack."""

from __future__ import annotations

from pathlib import Path

from app.procedures import Option, Pack, Question, QuestionSet, notification, workflow
from app.procedures import epc as epc_settings

# The plain fields of a pack and of a question, stored as they are, in this order (a
# stored definition is compared with the current one: the order keeps its JSON the same).
PACK_FIELDS = (
    "key",
    "version",
    "kind",
    "policy_area",
    "name",
    "description",
    "legal_basis",
    "reply_deadline_working_days",
    "retention",
)
QUESTION_FIELDS = ("key", "type", "text", "help", "personal_data", "required")


def pack_definition(pack: Pack) -> dict:
    """What a case pins of its pack: every field a reader of the case sees."""
    definition = {
        **{name: getattr(pack, name) for name in PACK_FIELDS},
        "roles": list(pack.roles),
        "request_fields": [_question_definition(q) for q in pack.request_fields],
        "question_sets": [
            {
                "key": s.key,
                "title": s.title,
                "questions": [_question_definition(q) for q in s.questions],
            }
            for s in pack.question_sets
        ],
    }
    # Only the kinds that have them (request packs stored before these keys existed
    # keep an identical definition).
    if pack.fields:
        definition["fields"] = [_question_definition(q) for q in pack.fields]
    if pack.send_within_days:
        definition["send_within_days"] = pack.send_within_days
        definition["deadline_field"] = pack.deadline_field
    if not pack.workflow.is_default:
        definition["workflow"] = pack.workflow.definition()
    if pack.refusal_grounds:
        definition["refusal_grounds"] = [
            {"key": o.key, "label": o.label} for o in pack.refusal_grounds
        ]
    if pack.notification is not None:
        definition["notification"] = pack.notification.definition()
    if pack.epc.periods:
        definition["epc"] = pack.epc.definition()
    return definition


def _question_definition(q: Question) -> dict:
    return {
        **{name: getattr(q, name) for name in QUESTION_FIELDS},
        "options": [{"key": o.key, "label": o.label} for o in q.options],
    }


def _question_from(q: dict) -> Question:
    return Question(
        **{name: q[name] for name in QUESTION_FIELDS},
        options=tuple(Option(o["key"], o["label"]) for o in q["options"]),
    )


def pack_from_definition(definition: dict, current: Pack | None) -> Pack:
    """A pinned pack version, translated by the current pack's catalogs (a text that
    changed since shows in English)."""
    sets = tuple(
        QuestionSet(
            s["key"],
            s["title"],
            tuple(_question_from(q) for q in s["questions"]),
        )
        for s in definition["question_sets"]
    )
    pack = Pack(
        **{name: definition[name] for name in PACK_FIELDS},
        roles=tuple(definition["roles"]),
        question_sets=sets,
        path=current.path if current else Path(),
        request_fields=tuple(_question_from(q) for q in definition.get("request_fields", [])),
        fields=tuple(_question_from(q) for q in definition.get("fields", [])),
        send_within_days=definition.get("send_within_days"),
        deadline_field=definition.get("deadline_field", ""),
        workflow=workflow.from_definition(definition.get("workflow")),
        refusal_grounds=tuple(
            Option(o["key"], o["label"]) for o in definition.get("refusal_grounds", ())
        ),
        notification=notification.from_definition(definition.get("notification")),
        epc=epc_settings.from_definition(definition.get("epc")),
    )
    if current is not None:
        pack.translations.update(current.translations)
    return pack
