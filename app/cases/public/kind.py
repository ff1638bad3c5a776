"""Public cases as a kind of case: the competent authority a confirmed case was routed to
sees it (the submitter reaches it through the private link, not through an account)."""

from __future__ import annotations

from sqlalchemy import select

from app.cases.public.lifecycle import LIFECYCLE
from app.cases.registry import Kind, register
from app.models import PublicCase, PublicCaseState
from app.policy import Actor
from app.records import retention


def visible_query(actor: Actor):
    return select(PublicCase).where(
        PublicCase.authority_id == actor.authority.id,
        PublicCase.state != PublicCaseState.UNCONFIRMED,
        retention.live(PublicCase),
    )


KIND = register(Kind("public_case", PublicCase, visible_query, LIFECYCLE))
