"""Repositories: registers of records that authorised authorities create, update and search.

Who may do what comes from the authority's access to the repository's procedure:
repository_reader and repository_editor read and search (any EEA country),
repository_editor creates (its officers other than read-only viewers), and only editors of
the record's OWNER authority update, archive or restore it (the lifecycle's table,
lifecycle.py). Everything else is invisible: the views answer 404. Every change is a new
version (fields, changed keys, note, who, when).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.cases import fields as pack_fields
from app.cases import paging
from app.cases.areas import in_areas
from app.cases.paging import Keyset, Page
from app.cases.registry import visible
from app.cases.repositories.lifecycle import LIFECYCLE, RepositoryError, may_create
from app.cases.repositories.lifecycle import reached as reached
from app.cases.repositories.lifecycle import state_action as state_action
from app.extensions import db
from app.models import ProcedureAccess, RecordState, RepositoryRecord, RepositoryRecordVersion
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import Pack, registry
from app.procedures.store import pin_version, pinned_pack
from app.records import audit, retention

READ_ROLES = frozenset({"repository_reader", "repository_editor"})
PAGE_SIZE = 25


# --- who reads ----------------------------------------------------------------------------


def readable_keys(actor: Actor) -> list[str]:
    """The repositories (procedure keys) the actor reads: its authority's, as reader or
    editor, in the areas where the actor holds a role. The readers' rule, on which the
    kind's `visible_query` builds."""
    rows = db.session.scalars(
        select(ProcedureAccess).where(ProcedureAccess.authority_id == actor.authority.id)
    )
    return in_areas(actor, [a.procedure_key for a in rows if READ_ROLES & set(a.roles)])


def repository_packs() -> list[Pack]:
    packs = registry(current_app).values()
    return sorted((p for p in packs if p.kind == "repository"), key=lambda p: p.key)


def readable(actor: Actor) -> list[Pack]:
    """The repositories the actor's authority may read."""
    keys = set(readable_keys(actor))
    return [p for p in repository_packs() if p.key in keys]


def may_read(actor: Actor, key: str) -> bool:
    return key in readable_keys(actor)


def readable_pack(actor: Actor, key: str) -> Pack | None:
    pack = registry(current_app).get(key)
    if pack is None or pack.kind != "repository" or not may_read(actor, key):
        return None
    return pack


def visible_record(actor: Actor, record_id: int) -> RepositoryRecord | None:
    return visible(actor, "repository_record", record_id)


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
class Filters(paging.Filters):
    choices = {"state": ("active", "archived", "all")}

    q: str = ""
    country: str = ""
    state: str = "active"
    after: str = ""


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


def create(actor: Actor, pack: Pack, values: dict[str, str], note: str = "") -> RepositoryRecord:
    """A new record, owned by the actor's authority; RepositoryError lists every problem."""
    if pack.kind != "repository" or not may_create(actor, pack.key):
        raise RepositoryError({"access": "access"})
    fields, errors = pack_fields.typed_fields(pack.fields, values)
    if errors:
        raise RepositoryError(errors)
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
    LIFECYCLE.audit(actor, record, "created")
    db.session.commit()
    return record


def update(
    actor: Actor, record: RepositoryRecord, values: dict[str, str], note: str
) -> RepositoryRecord:
    """A new version of the record (its editors, while it is active)."""
    LIFECYCLE.require(actor, record, "update")
    pack = record_pack(record)
    fields, errors = pack_fields.typed_fields(pack.fields, values)
    if not note.strip():
        errors["note"] = "note"
    if errors:
        raise RepositoryError(errors)
    changed = sorted(k for k in {*fields, *record.fields} if fields.get(k) != record.fields.get(k))
    if not changed:
        raise RepositoryError({"fields": "unchanged"})
    record.fields = fields
    record.search_text = search_text(pack, fields)
    _new_version(actor, record, "update", note, changed)
    return record


def change_state(actor: Actor, record: RepositoryRecord, action: str, note: str) -> None:
    """Archive an active record or restore an archived one (`action`), with a reason."""
    transition = LIFECYCLE.require(actor, record, action)
    _new_version(actor, record, action, LIFECYCLE.need(note, transition.needs_text), [])


def _new_version(
    actor: Actor, record: RepositoryRecord, action: str, note: str, changed: list[str]
) -> None:
    """The version `action` (checked already) makes, then the lifecycle's change and
    audit record; commits."""
    now = utcnow()
    record.version += 1
    record.updated_at = now
    record.updated_by_id = actor.user.id
    made_by = LIFECYCLE.table[action].audit_as
    _version(actor, record, changed, made_by, note.strip()[:2000], now)
    details = {"changed": changed} if changed else {}
    LIFECYCLE.perform(actor, record, action, note, details=details, checked=True)


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
        LIFECYCLE.audit(actor, record, "viewed")
        audit.commit_read()
