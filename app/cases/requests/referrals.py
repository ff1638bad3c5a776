"""Disagreements (on the reply date, a forwarding, the answer): either party refers one
to the coordinators of both countries, who record a resolution."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.cases.requests.lifecycle import LIFECYCLE, coordinates
from app.extensions import db
from app.models import Authority, Request
from app.policy import Actor
from app.records import retention


def refer(actor: Actor, request: Request, reason: str) -> None:
    """Refer a disagreement to the coordinators of both sides."""
    LIFECYCLE.require(actor, request, "refer")
    reason = LIFECYCLE.need(reason, "reason")
    request.referral_open = True
    LIFECYCLE.perform(actor, request, "refer", reason, checked=True)


def resolve(actor: Actor, request: Request, resolution: str) -> None:
    LIFECYCLE.require(actor, request, "resolve")
    resolution = LIFECYCLE.need(resolution, "reason")
    request.referral_open = False
    LIFECYCLE.perform(actor, request, "resolve", resolution, checked=True)


def referred_ids(actor: Actor) -> list[int]:
    """The open referrals the actor coordinates (few at any time: decided in Python by the
    one governance rule, app/policy.py `governs_case`)."""
    if not actor.has("coordinator"):
        return []
    # the rule reads both authorities (and a delegated coordinator their access): loaded
    # with the requests, not one statement each
    authorities = [Request.requester_authority, Request.responder_authority]
    rows = db.session.scalars(
        select(Request)
        .where(Request.referral_open.is_(True))
        .options(*[joinedload(a).selectinload(Authority.access) for a in authorities])
    )
    return [r.id for r in rows if coordinates(actor, r)]


def referred_to(actor: Actor) -> list[Request]:
    """Open referrals the actor's coordinator authority governs."""
    return list(
        db.session.scalars(
            select(Request)
            .where(Request.id.in_(referred_ids(actor)), retention.live(Request))
            .order_by(Request.updated_at)
        )
    )
