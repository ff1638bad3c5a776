"""Proof of exchange: the one way to a blocked case. A coordinator of a country whose
authority took part names the case by its reference and states why (to prove that an
exchange took place, for a court or a data subject's access request); every look is
audited with that purpose. Live cases are not shown here: their parties see them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Alert, Authority, PublicCase, RepositoryRecord, Request
from app.policy import Actor, governs_case
from app.procedures import find_field, find_question
from app.procedures.store import pinned_pack
from app.records import audit, retention

MAX_PURPOSE = 300
_REFERENCE = re.compile(r"^(REQ|ALR)-\d{4}-(\d{1,9})$|^REC-[A-Z]{2}-(\d{1,9})$|^[A-Z0-9-]{4,16}$")


@dataclass
class Exhibit:
    kind: str
    case: object
    reference: str
    procedure_key: str
    state: str
    authorities: list[Authority]
    closed_at: datetime | None
    blocked_at: datetime | None
    erased_at: datetime | None
    # (label, value) of the personal data, empty once erased
    data: list[tuple[str, str]] = field(default_factory=list)
    # (when, what, authority name, text)
    timeline: list[tuple[datetime, str, str, str]] = field(default_factory=list)


def find(reference: str):
    """The case a reference names, of any kind, or None."""
    reference = reference.strip().upper()
    match = _REFERENCE.match(reference)
    if not match:
        return None
    prefix, number, record_number = match.group(1), match.group(2), match.group(3)
    if prefix:
        case = db.session.get(Request if prefix == "REQ" else Alert, int(number))
    elif record_number:
        case = db.session.get(RepositoryRecord, int(record_number))
    else:
        case = db.session.scalar(select(PublicCase).where(PublicCase.reference == reference))
    return case if case is not None and case.reference == reference else None


def parties(case) -> list[Authority]:
    if isinstance(case, Request):
        return [case.requester_authority, case.responder_authority]
    if isinstance(case, Alert):
        from app.cases.alerts import party_ids

        return [db.session.get(Authority, i) for i in party_ids(case)]
    if isinstance(case, PublicCase):
        return [case.authority]
    return [case.owner_authority]


def reachable(actor: Actor, reference: str):
    """The blocked case, if the actor coordinates one of its parties; else None."""
    case = find(reference)
    if case is None or not retention.is_blocked(case):
        return None
    if not governs_case(actor, case.procedure_key, parties(case)):
        return None
    return case


def show(actor: Actor, case, purpose: str, language: str = "en") -> Exhibit:
    """What the proof shows, audited with the purpose the coordinator gave."""
    kind = retention.KIND_OF[type(case)]
    audit.by_actor(actor, "case.proof_viewed", kind, case.id, purpose=purpose[:MAX_PURPOSE])
    db.session.commit()
    exhibit = Exhibit(
        kind=kind,
        case=case,
        reference=case.reference,
        procedure_key=case.procedure_key,
        state=case.state.value,
        authorities=parties(case),
        closed_at=retention.closure(case),
        blocked_at=case.blocked_at or case.block_due,
        erased_at=case.erased_at,
    )
    if case.erased_at is None:
        exhibit.data = _labelled(case, _data(case), language)
        exhibit.timeline = _timeline(case)
    return exhibit


def _data(case) -> list[tuple[str, str]]:
    if isinstance(case, Request):
        pairs = [("subject", case.subject), ("message", case.message), *case.details.items()]
        pairs += [(q.question_key, q.answer or "") for q in case.questions]
    elif isinstance(case, Alert):
        pairs = [("message", case.message), *case.fields.items()]
    elif isinstance(case, PublicCase):
        pairs = [
            ("name", case.submitter_name),
            ("email", case.submitter_email),
            ("description", case.description),
            *case.details.items(),
        ]
    else:
        pairs = list(case.fields.items())
    return [(key, str(value)) for key, value in pairs if value]


def _labelled(case, pairs: list[tuple[str, str]], language: str) -> list[tuple[str, str]]:
    """The pack's wording of each field or question, in the reader's language; fixed
    fields (subject, message, name...) keep their key, which the page translates."""
    try:
        pack = pinned_pack(case.procedure_key, case.pack_version)
    except LookupError:
        return pairs
    labelled = []
    for key, value in pairs:
        question = find_field(pack, key) or (find_question(pack, key) or (None, None))[1]
        labelled.append((pack.gettext(question.text, language) if question else key, value))
    return labelled


def _timeline(case) -> list[tuple[datetime, str, str, str]]:
    if isinstance(case, RepositoryRecord):
        return [(v.at, v.action, "", v.note) for v in reversed(case.versions)]
    rows = []
    for item in case.events:
        authority = getattr(item, "authority", None)
        rows.append((item.at, item.kind, authority.name if authority else "", item.text))
    return rows
