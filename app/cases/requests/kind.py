"""Requests as a kind of case: who sees one, its lifecycle and its reminders.

The two authorities see a request (the responder once it is sent); the coordinators of
either side while a disagreement is referred to them, for the procedures they coordinate.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.cases.areas import ALL, area_keys
from app.cases.registry import FreeText, Kind, labels_in, register
from app.cases.requests import notices, records
from app.cases.requests.lifecycle import LIFECYCLE
from app.cases.requests.referrals import referred_ids
from app.models import Authority, Request, RequestEvent, RequestQuestion, RequestState, User
from app.policy import Actor
from app.records import retention


def visible_query(actor: Actor):
    return visible_to(actor.authority.id, referred_ids(actor), keys=area_keys(actor))


def visible_to(own, referred, now=None, keys=ALL):
    """The rule of `visible_query` on the actor's authority, the referrals it
    coordinates and the procedures of the areas where the actor holds a role (`keys`;
    ALL adds no condition), given as values or as bind parameters (a statement kept and
    run with each actor's values: app/cases/inbox.py)."""
    stmt = select(Request).where(
        retention.live(Request, now),
        or_(
            Request.requester_authority_id == own,
            (Request.responder_authority_id == own) & (Request.state != RequestState.DRAFT),
            Request.referral_open.is_(True) & Request.id.in_(referred),
        ),
    )
    return stmt if keys is ALL else stmt.where(Request.procedure_key.in_(keys))


KIND = register(
    Kind(
        "request",
        Request,
        visible_query,
        LIFECYCLE,
        shown=(
            joinedload(Request.requester_authority),
            joinedload(Request.responder_authority),
            selectinload(Request.questions),
            selectinload(Request.attachments),
            # a timeline row names its author and authority: only those columns (not
            # every officer's password hash and every authority's address)
            selectinload(Request.events).options(
                joinedload(RequestEvent.user).load_only(User.full_name),
                joinedload(RequestEvent.authority).load_only(Authority.name, Authority.country),
            ),
        ),
        page=("requests.case", "request_id"),
        reference=r"REQ-\d{4}-(\d{1,10})",
        labels=labels_in("app.cases.requests.labels", "EVENT_LABELS"),
        files="attachments",
        records=records,
        with_texts=("events", "questions"),
        free_texts=(
            FreeText("request", Request, "message"),
            FreeText("request_event", RequestEvent, "text", case="request", rows="events"),
        ),
        parts=((RequestQuestion, "request"),),
        case_search=True,
        closes=(RequestState.CLOSED, RequestState.WITHDRAWN, RequestState.REFUSED),
        parties=records.parties,
        exchanged=Request.state != RequestState.DRAFT,
        in_country=records.in_country,
        reminders=notices.REMINDERS,
    )
)
