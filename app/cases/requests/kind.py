"""Requests as a kind of case: who sees one, its lifecycle and its reminders.

The two authorities see a request (the responder once it is sent); the coordinators of
either side while a disagreement is referred to them, for the procedures they coordinate.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from app.cases.registry import Kind, register
from app.cases.requests import notices
from app.cases.requests.lifecycle import LIFECYCLE
from app.cases.requests.referrals import referred_ids
from app.models import Request, RequestState
from app.policy import Actor
from app.records import retention


def visible_query(actor: Actor):
    own = actor.authority.id
    return select(Request).where(
        retention.live(Request),
        or_(
            Request.requester_authority_id == own,
            (Request.responder_authority_id == own) & (Request.state != RequestState.DRAFT),
            Request.referral_open.is_(True) & Request.id.in_(referred_ids(actor)),
        ),
    )


KIND = register(
    Kind("request", Request, visible_query, lifecycle=LIFECYCLE, reminders=notices.REMINDERS)
)
