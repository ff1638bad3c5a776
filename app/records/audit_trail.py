"""Searching the audit trail (Art. 17(3) IMI Regulation: who processed which personal
data, when and why). A national coordinator sees the rows written by the authorities
and users of its country, and the rows about objects its country's authorities take
part in (each kind of case declares which: `in_country` in app/cases/registry.py), or
registrations and authorities of its country. Everybody else is refused by default."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import String, and_, cast, false, func, or_, select

from app.cases import registry
from app.cases.paging import Filters, Keyset
from app.extensions import db
from app.models import AuditEvent, Authority, AuthorityKind, Membership, Registration, User
from app.policy import Actor

PAGE = 50
# Newest first: the ids grow with the time of writing (the trail is append-only).
ORDER = Keyset(AuditEvent.id)


def may_search(actor: Actor) -> bool:
    """National coordinators only (deny by default)."""
    return actor.has("coordinator") and actor.authority.kind == AuthorityKind.NATIONAL_COORDINATOR


@dataclass
class Query(Filters):
    cursor = "before"

    reference: str = ""
    object_type: str = ""
    object_id: str = ""
    email: str = ""
    authority: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    # The cursor of the page: the id of the last row of the page before.
    before: str = ""


@dataclass
class Row:
    event: AuditEvent
    email: str
    authority: str
    reference: str


@dataclass
class Page:
    rows: list[Row] = field(default_factory=list)
    next_before: str | None = None


def object_of_reference(reference: str) -> tuple[str, str] | None:
    """(object type, id) of a case or record reference, or None if there is no such one."""
    named = registry.named(reference)
    return (named[0].name, str(named[1])) if named else None


def _scope(actor: Actor):
    """The rows a national coordinator may see, as a condition."""
    country = actor.authority.country
    authorities = select(Authority.id).where(Authority.country == country)
    users = select(Membership.user_id).where(Membership.authority_id.in_(authorities))

    def about(object_type: str, ids):
        return and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(ids))

    cases = [
        about(entry.name, select(cast(entry.model.id, String)).where(entry.in_country(country)))
        for entry in registry.kinds().values()
        if entry.in_country is not None
    ]
    return or_(
        AuditEvent.authority_id.in_(authorities),
        AuditEvent.actor_id.in_(users),
        *cases,
        about(
            "registration",
            select(cast(Registration.id, String)).where(Registration.authority_id.in_(authorities)),
        ),
        about("authority", select(cast(Authority.id, String)).where(Authority.country == country)),
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def search(actor: Actor, query: Query) -> Page:
    """Newest first, PAGE rows at a time (keyset on the id)."""
    stmt = select(AuditEvent).where(_scope(actor))
    target = object_of_reference(query.reference) if query.reference else None
    if query.reference and target is None:
        stmt = stmt.where(false())
    if target:
        stmt = stmt.where(AuditEvent.object_type == target[0], AuditEvent.object_id == target[1])
    if query.object_type:
        stmt = stmt.where(AuditEvent.object_type == query.object_type)
    if query.object_id:
        stmt = stmt.where(AuditEvent.object_id == query.object_id)
    if query.email:
        users = select(User.id).where(func.lower(User.email) == query.email.strip().lower())
        stmt = stmt.where(AuditEvent.actor_id.in_(users))
    if query.authority:
        pattern = "%" + query.authority.replace("\\", "").replace("%", "").replace("_", "") + "%"
        stmt = stmt.where(
            AuditEvent.authority_id.in_(select(Authority.id).where(Authority.name.ilike(pattern)))
        )
    if query.action:
        stmt = stmt.where(AuditEvent.action == query.action)
    if query.since:
        stmt = stmt.where(AuditEvent.at >= _day_start(query.since))
    if query.until:
        stmt = stmt.where(AuditEvent.at < _day_start(query.until + timedelta(days=1)))
    shown, next_before = ORDER.page(stmt, query.before, PAGE)
    return Page(_resolve(shown), next_before)


def _resolve(events: list[AuditEvent]) -> list[Row]:
    """E-mails, authority names and references in a few queries, not one per row."""
    user_ids = {e.actor_id for e in events if e.actor_id}
    authority_ids = {e.authority_id for e in events if e.authority_id}
    emails = dict(
        db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all()
    )
    names = dict(
        db.session.execute(
            select(Authority.id, Authority.name).where(Authority.id.in_(authority_ids))
        ).all()
    )
    references: dict[tuple[str, str], str] = {}
    for entry in registry.kinds().values():
        model = entry.model
        ids = {
            int(e.object_id)
            for e in events
            if e.object_type == entry.name and e.object_id.isdigit()
        }
        if ids:
            for item in db.session.scalars(select(model).where(model.id.in_(ids))):
                references[entry.name, str(item.id)] = item.reference
    return [
        Row(
            e,
            emails.get(e.actor_id, ""),
            names.get(e.authority_id, ""),
            references.get((e.object_type, e.object_id), ""),
        )
        for e in events
    ]
