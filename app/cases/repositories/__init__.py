"""Repositories: registers of records that authorised authorities create, update and search.

Who may do what comes from the authority's access to the repository's procedure:
repository_reader and repository_editor read and search (any EEA country),
repository_editor creates (its officers other than read-only viewers), and only editors of the record's OWNER authority update,
archive or restore it. Everything else is invisible: the views answer 404.
Every change is a new version (fields, changed keys, note, who, when).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.cases.paging import Keyset
from app.cases.requests import RequestError, validate_answer
from app.extensions import db
from app.models import ProcedureAccess, RecordState, RepositoryRecord, RepositoryRecordVersion
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import Pack, registry
from app.procedures.store import pin_version, pinned_pack
from app.records import audit, retention

READ_ROLES = frozenset({"repository_reader", "repository_editor"})
PAGE_SIZE = 25


class RepositoryError(Exception):
    """A refused change; `errors` maps a field key (or "note", "access") to a reason code."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}={v}" for k, v in errors.items()))
        self.errors = errors


# --- who may do what ----------------------------------------------------------------------


def roles_for(actor: Actor, key: str) -> set[str]:
    access = db.session.scalar(
        select(ProcedureAccess).where(
            ProcedureAccess.authority_id == actor.authority.id,
            ProcedureAccess.procedure_key == key,
        )
    )
    return set(access.roles) if access else set()


def repository_packs() -> list[Pack]:
    packs = registry(current_app).values()
    return sorted((p for p in packs if p.kind == "repository"), key=lambda p: p.key)


def readable(actor: Actor) -> list[Pack]:
    """The repositories the actor's authority may read."""
    rows = db.session.scalars(
        select(ProcedureAccess).where(ProcedureAccess.authority_id == actor.authority.id)
    )
    keys = {a.procedure_key for a in rows if READ_ROLES & set(a.roles)}
    return [p for p in repository_packs() if p.key in keys]


def may_read(actor: Actor, key: str) -> bool:
    return bool(READ_ROLES & roles_for(actor, key))


def may_create(actor: Actor, key: str) -> bool:
    """An officer of an editing authority who is more than a viewer."""
    officer = bool(set(actor.membership.roles) - {"viewer"})
    return officer and "repository_editor" in roles_for(actor, key)


def may_edit(actor: Actor, record: RepositoryRecord) -> bool:
    return record.owner_authority_id == actor.authority.id and may_create(
        actor, record.procedure_key
    )


def readable_pack(actor: Actor, key: str) -> Pack | None:
    pack = registry(current_app).get(key)
    if pack is None or pack.kind != "repository" or not may_read(actor, key):
        return None
    return pack


def visible_record(actor: Actor, record_id: int) -> RepositoryRecord | None:
    record = db.session.get(RepositoryRecord, record_id)
    if record is None or retention.is_blocked(record) or not may_read(actor, record.procedure_key):
        return None
    return record


def record_pack(record: RepositoryRecord) -> Pack:
    return pinned_pack(record.procedure_key, record.pack_version)


def has_personal_data(pack: Pack) -> bool:
    return any(f.personal_data for f in pack.fields)


# --- search text ------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Müller" and "MULLER" both give "muller"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def search_text(pack: Pack, fields: dict[str, str]) -> str:
    parts = []
    for field in pack.fields:
        value = fields.get(field.key, "")
        if field.type == "choice":
            value = next((o.label for o in field.options if o.key == value), value)
        parts.append(value)
    return fold(" ".join(p for p in parts if p))


@dataclass
class Filters:
    q: str = ""
    country: str = ""
    state: str = "active"
    after: str = ""

    def __post_init__(self) -> None:
        if self.state not in ("active", "archived", "all"):
            self.state = "active"

    def args(self, **changes) -> dict:
        values = {"q": self.q, "country": self.country, "state": self.state, **changes}
        return {k: v for k, v in values.items() if v}


@dataclass
class Page:
    items: list[RepositoryRecord]
    next_cursor: str | None


# The search list: the newest change first.
SEARCH_ORDER = Keyset(RepositoryRecord.id, RepositoryRecord.updated_at)


def search(actor: Actor, pack: Pack, filters: Filters, limit: int | None = None) -> Page:
    """Records of a repository the actor may read, newest change first, keyset-paged."""
    limit = limit or PAGE_SIZE
    if not may_read(actor, pack.key):
        return Page([], None)
    stmt = (
        select(RepositoryRecord)
        .where(RepositoryRecord.procedure_key == pack.key, retention.live(RepositoryRecord))
        .options(joinedload(RepositoryRecord.owner_authority))
    )
    for word in fold(filters.q).split()[:10]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(RepositoryRecord.search_text.like(f"%{escaped}%", escape="\\"))
    if filters.country:
        stmt = stmt.where(RepositoryRecord.country == filters.country)
    if filters.state != "all":
        stmt = stmt.where(RepositoryRecord.state == filters.state)
    rows, next_cursor = SEARCH_ORDER.page(stmt, filters.after, limit)
    return Page(rows, next_cursor)


# --- changes ------------------------------------------------------------------------------


def typed_fields(pack: Pack, values: dict[str, str]) -> dict[str, str]:
    """The pack's fields from `values`, typed; RepositoryError lists every problem."""
    fields, errors = {}, {}
    for field in pack.fields:
        try:
            typed = validate_answer(field, values.get(field.key, ""))
        except RequestError:
            errors[field.key] = "answer_type"
            continue
        if typed is None:
            if field.required:
                errors[field.key] = "required"
            continue
        fields[field.key] = typed
    if errors:
        raise RepositoryError(errors)
    return fields


def create(actor: Actor, pack: Pack, values: dict[str, str], note: str = "") -> RepositoryRecord:
    if pack.kind != "repository" or not may_create(actor, pack.key):
        raise RepositoryError({"access": "access"})
    fields = typed_fields(pack, values)
    now = utcnow()
    pinned = pin_version(pack)
    record = RepositoryRecord(
        procedure_key=pack.key,
        pack_version=pinned.version,
        owner_authority_id=actor.authority.id,
        country=actor.authority.country,
        fields=fields,
        search_text=search_text(pack, fields),
        state=RecordState.ACTIVE,
        version=1,
        created_at=now,
        created_by_id=actor.user.id,
        updated_at=now,
        updated_by_id=actor.user.id,
    )
    db.session.add(record)
    db.session.flush()
    _version(actor, record, sorted(fields), "created", note.strip()[:2000], now)
    _audit(actor, "repository_record.created", record)
    db.session.commit()
    return record


def update(
    actor: Actor, record: RepositoryRecord, values: dict[str, str], note: str
) -> RepositoryRecord:
    """A new version of the record (owner authority's editors only, while active)."""
    if not may_edit(actor, record) or record.state != RecordState.ACTIVE:
        raise RepositoryError({"access": "access"})
    pack = record_pack(record)
    errors = {}
    try:
        fields = typed_fields(pack, values)
    except RepositoryError as error:
        errors, fields = error.errors, {}
    if not note.strip():
        errors["note"] = "note"
    if errors:
        raise RepositoryError(errors)
    changed = sorted(k for k in {*fields, *record.fields} if fields.get(k) != record.fields.get(k))
    if not changed:
        raise RepositoryError({"fields": "unchanged"})
    now = utcnow()
    record.fields = fields
    record.search_text = search_text(pack, fields)
    _bump(actor, record, now)
    _version(actor, record, changed, "updated", note.strip()[:2000], now)
    _audit(actor, "repository_record.updated", record, changed=changed)
    db.session.commit()
    return record


def set_state(actor: Actor, record: RepositoryRecord, state: RecordState, note: str) -> None:
    """Archive an active record or restore an archived one, with a reason."""
    if not may_edit(actor, record) or record.state == state:
        raise RepositoryError({"access": "access"})
    if not note.strip():
        raise RepositoryError({"note": "note"})
    now = utcnow()
    record.state = state
    _bump(actor, record, now)
    action = "archived" if state == RecordState.ARCHIVED else "restored"
    _version(actor, record, [], action, note.strip()[:2000], now)
    _audit(actor, f"repository_record.{action}", record)
    db.session.commit()


def _bump(actor: Actor, record: RepositoryRecord, now) -> None:
    record.version += 1
    record.updated_at = now
    record.updated_by_id = actor.user.id


def _version(actor, record, changed, action, note, now) -> None:
    db.session.add(
        RepositoryRecordVersion(
            record_id=record.id,
            number=record.version,
            fields=dict(record.fields),
            changed=changed,
            action=action,
            note=note,
            user_id=actor.user.id,
            authority_id=actor.authority.id,
            at=now,
        )
    )


def record_view(actor: Actor, record: RepositoryRecord) -> None:
    """Audit a reading of a record that holds personal data."""
    if has_personal_data(record_pack(record)):
        _audit(actor, "repository_record.viewed", record)
        audit.commit_read()


def _audit(actor: Actor, action: str, record: RepositoryRecord, **details) -> None:
    audit.by_actor(actor, action, "repository_record", record.id, **details)
