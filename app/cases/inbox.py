"""The request inbox: received, sent, drafts and assigned to me, filtered and keyset-paged.

Every list starts from the actor's own authority (or the actor's own assignments), so
nothing of another authority can come into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload

from app.cases import paging
from app.cases.paging import Keyset, Page
from app.extensions import db
from app.models import OPEN_STATES, PENDING_REPLY, Request, RequestState
from app.policy import Actor
from app.records import retention

BOXES = ("received", "sent", "drafts", "assigned")
SORTS = ("activity", "due")
PAGE_SIZE = 25
ORDERS = {
    # the latest activity first; the nearest reply date first
    "activity": Keyset(Request.id, Request.updated_at),
    "due": Keyset(Request.id, Request.reply_due, date.fromisoformat, descending=False),
}


@dataclass
class Filters(paging.Filters):
    choices = {"box": BOXES, "sort": SORTS, "state": {s.value for s in RequestState}}

    box: str = "received"
    state: str = ""
    procedure: str = ""
    country: str = ""
    overdue: bool = False
    sort: str = "activity"
    after: str = ""


def _box(actor: Actor, box: str) -> list:
    """The conditions of a box: always the actor's own authority (or own assignments)."""
    own = actor.authority.id
    if box == "received":
        return [Request.responder_authority_id == own, Request.state != RequestState.DRAFT]
    if box == "sent":
        return [Request.requester_authority_id == own, Request.state != RequestState.DRAFT]
    if box == "drafts":
        return [Request.requester_authority_id == own, Request.state == RequestState.DRAFT]
    return [
        Request.responder_authority_id == own,
        Request.handler_id == actor.user.id,
        Request.state != RequestState.DRAFT,
    ]


def counts(actor: Actor, today: date) -> dict[str, int]:
    """Open items per box (drafts: all of them), and the overdue among received, in one
    round trip. Each count reads only columns of an index (ix_request_*_due), so
    PostgreSQL answers it from the index."""
    conditions = {
        box: [*_box(actor, box), *([] if box == "drafts" else [Request.state.in_(OPEN_STATES)])]
        for box in BOXES
    }
    conditions["overdue"] = [
        *_box(actor, "received"),
        Request.state.in_(PENDING_REPLY),
        Request.reply_due < today,
    ]
    columns = [
        select(func.count()).select_from(Request).where(*where).scalar_subquery().label(name)
        for name, where in conditions.items()
    ]
    row = db.session.execute(select(*columns)).one()
    return dict(row._mapping)


def page(actor: Actor, filters: Filters, today: date, limit: int | None = None) -> Page:
    limit = limit or PAGE_SIZE
    stmt = (
        select(Request)
        .where(*_box(actor, filters.box), retention.live(Request))
        .options(
            joinedload(Request.requester_authority),
            joinedload(Request.responder_authority),
            # what a list row does not show
            defer(Request.message),
            defer(Request.details),
            defer(Request.due_basis),
            defer(Request.reminders_sent),
        )
    )
    if filters.state:
        stmt = stmt.where(Request.state == filters.state)
    if filters.procedure:
        stmt = stmt.where(Request.procedure_key == filters.procedure)
    if filters.country:
        stmt = stmt.where(
            Request.requester_country == filters.country
            if filters.box in ("received", "assigned")
            else Request.responder_country == filters.country
        )
    if filters.overdue:
        stmt = stmt.where(Request.state.in_(PENDING_REPLY), Request.reply_due < today)
    if filters.sort == "due":
        stmt = stmt.where(Request.reply_due.is_not(None))
    rows, next_cursor = ORDERS[filters.sort].page(stmt, filters.after, limit)
    return Page(rows, next_cursor)
