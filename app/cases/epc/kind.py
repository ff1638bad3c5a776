"""EPC applications as a kind of case: the home and the host authority see them."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.cases.areas import where_areas
from app.cases.epc import records
from app.cases.epc.lifecycle import LIFECYCLE
from app.cases.epc.notices import REMINDERS
from app.cases.registry import Kind, labels_in, register
from app.models import EpcApplication, EpcEvent, EpcState, User
from app.policy import Actor
from app.records import retention


def visible_query(actor: Actor):
    return select(EpcApplication).where(
        or_(
            EpcApplication.home_authority_id == actor.authority.id,
            EpcApplication.host_authority_id == actor.authority.id,
        ),
        retention.live(EpcApplication),
        where_areas(actor, EpcApplication.procedure_key),
    )


KIND = register(
    Kind(
        "epc_application",
        EpcApplication,
        visible_query,
        LIFECYCLE,
        shown=(
            selectinload(EpcApplication.documents),
            selectinload(EpcApplication.events).joinedload(EpcEvent.user).load_only(User.full_name),
        ),
        page=("epc.case", "case_id"),
        labels=labels_in("app.cases.epc.labels", "EVENT_LABELS"),
        records=records,
        with_texts=("events",),
        closes=(EpcState.REFUSED, EpcState.REVOKED, EpcState.EXPIRED),
        reminders=REMINDERS,
        sent_column="submitted_at",
        parties=lambda case: [case.home_authority_id, case.host_authority_id],
        in_country=lambda country: or_(
            EpcApplication.home_country == country, EpcApplication.host_country == country
        ),
    )
)
