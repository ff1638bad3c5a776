"""Proof of exchange: the one way to a blocked case. A coordinator of a country whose
authority took part names the case by its reference and states why (to prove that an
exchange took place, for a court or a data subject's access request); every look is
audited with that purpose. Live cases are not shown here: their parties see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.cases import registry
from app.extensions import db
from app.models import Authority
from app.policy import Actor, governs_case
from app.procedures import find_field, find_question
from app.procedures.store import pinned_pack
from app.records import audit, retention

MAX_PURPOSE = 300


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
    named = registry.named(reference)
    case = db.session.get(named[0].model, named[1]) if named else None
    return case if case is not None and case.reference == reference else None


def parties(case) -> list[Authority]:
    """The authorities the case went between, in the kind's order, read in one query."""
    ids = registry.of(case).parties(case)
    found = db.session.scalars(select(Authority).where(Authority.id.in_(ids)))
    by_id = {authority.id: authority for authority in found}
    return [by_id[i] for i in ids if i in by_id]


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
    kind = registry.of(case).name
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
    pairs = registry.of(case).records.data(case)
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
    return registry.of(case).timeline(case)
