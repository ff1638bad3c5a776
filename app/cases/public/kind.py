"""Public cases as a kind of case: the competent authority a confirmed case was routed to
sees it (the submitter reaches it through the private link, not through an account)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cases.areas import where_areas
from app.cases.public import records
from app.cases.public.lifecycle import LIFECYCLE
from app.cases.registry import FreeText, Kind, labels_in, register
from app.models import PublicCase, PublicCaseEvent, PublicCaseState, User
from app.policy import Actor
from app.records import retention


def visible_query(actor: Actor):
    return select(PublicCase).where(
        PublicCase.authority_id == actor.authority.id,
        PublicCase.state != PublicCaseState.UNCONFIRMED,
        retention.live(PublicCase),
        where_areas(actor, PublicCase.procedure_key),
    )


KIND = register(
    Kind(
        "public_case",
        PublicCase,
        visible_query,
        LIFECYCLE,
        shown=(
            selectinload(PublicCase.documents),
            selectinload(PublicCase.events)
            .joinedload(PublicCaseEvent.user)
            .load_only(User.full_name),
        ),
        page=("public_cases.case", "case_id"),
        labels=labels_in("app.cases.public.labels"),
        files="documents",
        records=records,
        with_texts=("events",),
        free_texts=(
            FreeText("public_case", PublicCase, "description"),
            FreeText("public_event", PublicCaseEvent, "text", case="case", rows="events"),
        ),
        case_search=True,
        closes=(PublicCaseState.CLOSED,),
        sent_column="submitted_at",
        parties=lambda case: [case.authority_id],
        exchanged=PublicCase.state != PublicCaseState.UNCONFIRMED,
        in_country=lambda country: PublicCase.country == country,
    )
)
