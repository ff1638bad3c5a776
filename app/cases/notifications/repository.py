"""An accepted notification to a repository (the EPC repositories of Implementing
Regulation (EU) 2015/983) writes the notifying authority's record there: the fields the
repository's pack shares with the notification's. A record of the notifier with the same
values in the pack's `repository_match` fields is updated (a new version); otherwise a
new record is created. The record belongs to the notifying authority, as if its editors
had written it, and its history names the notification."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.cases import repositories
from app.cases.notifications.lifecycle import NotificationError
from app.cases.repositories.lifecycle import LIFECYCLE as RECORDS
from app.extensions import db
from app.models import Notification, RecordState, RepositoryRecord, RepositoryRecordVersion
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import registry
from app.procedures.store import pin_version


def write(actor: Actor, item: Notification, rules) -> RepositoryRecord:
    pack = registry(current_app).get(rules.repository)
    if pack is None or pack.kind != "repository":
        raise NotificationError("repository")
    keys = {f.key for f in pack.fields}
    values = {k: v for k, v in item.fields.items() if k in keys and v not in ("", None)}
    match = {k: item.fields.get(k) for k in rules.repository_match}
    record = _matching(pack.key, item.notifier_authority_id, match)
    now = utcnow()
    note = item.reference
    if record is None:
        record = RepositoryRecord(
            procedure_key=pack.key,
            pack_version=pin_version(pack).version,
            owner_authority_id=item.notifier_authority_id,
            country=item.notifier_country,
            fields=values,
            search_text=repositories.search_text(pack, values),
            state=RecordState.ACTIVE,
            version=1,
            created_at=now,
            created_by_id=item.notifier_user_id,
            updated_at=now,
            updated_by_id=item.notifier_user_id,
        )
        db.session.add(record)
        db.session.flush()
        changed, action = sorted(values), "created"
    else:
        merged = {**record.fields, **values}
        changed = sorted(k for k in merged if merged.get(k) != record.fields.get(k))
        record.fields = merged
        record.search_text = repositories.search_text(pack, merged)
        record.version += 1
        record.updated_at = now
        record.updated_by_id = item.notifier_user_id
        action = "updated"
    db.session.add(
        RepositoryRecordVersion(
            record_id=record.id,
            number=record.version,
            fields=dict(record.fields),
            changed=changed,
            action=action,
            note=note,
            user_id=item.notifier_user_id,
            authority_id=item.notifier_authority_id,
            at=now,
        )
    )
    RECORDS.audit(actor, record, action, notification=item.id)
    return record


def _matching(key: str, owner: int, match: dict) -> RepositoryRecord | None:
    """The owner's active record of the repository with the same `match` values."""
    if not match:
        return None
    rows = db.session.scalars(
        select(RepositoryRecord)
        .where(
            RepositoryRecord.procedure_key == key,
            RepositoryRecord.owner_authority_id == owner,
            RepositoryRecord.state == RecordState.ACTIVE,
        )
        .order_by(RepositoryRecord.id)
    )
    return next((r for r in rows if all(r.fields.get(k) == v for k, v in match.items())), None)
