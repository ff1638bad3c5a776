"""Public cases as a kind of case: the competent authority a confirmed case was routed to
sees it, and a SOLVIT case's lead centre once the case was submitted to it (the
submitter reaches it through the private link, not through an account; the Commission's
SOLVIT desk reads only the summary of a hand-over, `desk_query`)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.cases.areas import where_areas
from app.cases.public import records
from app.cases.public.lifecycle import LIFECYCLE
from app.cases.public.notices import REMINDERS
from app.cases.registry import FreeText, Kind, labels_in, register
from app.models import PublicCase, PublicCaseEvent, PublicCaseState, User
from app.policy import Actor
from app.records import retention


def visible_query(actor: Actor):
    return select(PublicCase).where(
        or_(
            PublicCase.authority_id == actor.authority.id,
            PublicCase.lead_authority_id == actor.authority.id,
        ),
        PublicCase.state != PublicCaseState.UNCONFIRMED,
        retention.live(PublicCase),
        where_areas(actor, PublicCase.procedure_key),
    )


def desk_query(actor: Actor):
    """The SOLVIT cases handed to the actor's authority as the Commission's SOLVIT desk
    (only their summaries are shown), newest first."""
    return (
        select(PublicCase)
        .where(
            PublicCase.desk_id == actor.authority.id,
            retention.live(PublicCase),
            where_areas(actor, PublicCase.procedure_key),
        )
        .order_by(PublicCase.handed_over_at.desc(), PublicCase.id.desc())
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
        labels=labels_in(
            "app.cases.public.labels", outcomes="OUTCOME_LABELS", clocks="CLOCK_LABELS"
        ),
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
        parties=lambda case: [a for a in (case.authority_id, case.lead_authority_id) if a],
        exchanged=PublicCase.state != PublicCaseState.UNCONFIRMED,
        in_country=lambda country: or_(
            PublicCase.country == country, PublicCase.lead_country == country
        ),
        reminders=REMINDERS,
    )
)
