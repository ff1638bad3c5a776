"""Data-subject reports (GDPR Art. 15, IMI Regulation Art. 17): in which exchanges a
person is named, under which procedure and legal basis, between which authorities and
when. The report is made for a stated purpose, which the audit trail keeps.

Who may make one: a national coordinator, for the cases its country's authorities take
part in; a local administrator (`admin`, the authority's data administrator), for their
own authority's cases. Nobody else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.cases.alerts import party_ids as alert_parties
from app.extensions import db
from app.models import (
    Alert,
    AlertDissemination,
    AlertRecipient,
    AlertState,
    Authority,
    AuthorityKind,
    PublicCase,
    PublicCaseState,
    RepositoryRecord,
    Request,
    RequestState,
)
from app.policy import Actor
from app.procedures.store import pinned_pack
from app.records import audit, retention
from app.text import fold


class ReportError(Exception):
    """A refused report; the code names the message shown to the user."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def may_report(actor: Actor) -> bool:
    return actor.has("admin") or _national_coordinator(actor)


def _national_coordinator(actor: Actor) -> bool:
    return actor.has("coordinator") and actor.authority.kind == AuthorityKind.NATIONAL_COORDINATOR


def _authorities(actor: Actor):
    """The authorities whose cases the actor may report on, as a select of ids."""
    if _national_coordinator(actor):
        return select(Authority.id).where(Authority.country == actor.authority.country)
    return select(Authority.id).where(Authority.id == actor.authority.id)


def _words(text: str) -> list[str]:
    """The words of a text, folded, without the punctuation around them ("Kowalska,")."""
    return re.findall(r"\w+", fold(text or ""))


@dataclass
class Person:
    name: str = ""
    identifier: str = ""

    @property
    def words(self) -> list[str]:
        return _words(self.name)

    @property
    def key(self) -> str:
        return _normalized(self.identifier)


@dataclass
class Exchange:
    kind: str  # request, alert, public_case, repository_record
    id: int
    reference: str
    procedure_key: str
    pack_version: int
    state: str
    sent_at: datetime | None
    closed_at: datetime | None
    authority_ids: list[int] = field(default_factory=list)


DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


def _normalized(value: str) -> str:
    """An identifier without case, accents, spaces or punctuation; a date as YYYYMMDD."""
    value = (value or "").strip()
    match = DATE.match(value)
    if match:
        day, month, year = match.groups()
        value = f"{year}{int(month):02d}{int(day):02d}"
    return re.sub(r"[\W_]+", "", fold(value))


def _names(person: Person, values: list[str]) -> bool:
    """Every word of the name is a word of one of the values (any order, folded): a name
    in a field of its own or in a sentence of free text alike."""
    wanted = set(person.words)
    return any(wanted <= set(_words(v)) for v in values if v)


# An identifier written with spaces ("DE 123 456 789") spans up to this many words.
IDENTIFIER_WORDS = 4


def _names_identifier(key: str, value: str) -> bool:
    """The identifier is the value, or a run of its words ("born 02.07.1988 in Łódź")."""
    tokens = [_normalized(t.strip(".,;:!?()[]{}\"'")) for t in value.split()]
    return any(
        "".join(tokens[start : start + length]) == key
        for start in range(len(tokens))
        for length in range(1, IDENTIFIER_WORDS + 1)
        if start + length <= len(tokens)
    )


def _matches(person: Person, values: list[str]) -> bool:
    values = [v for v in values if v]
    if person.words and not _names(person, values):
        return False
    return not person.key or any(_names_identifier(person.key, v) for v in values)


def _text_filter(column, person: Person):
    """A coarse pre-selection on the folded search text (every field and free text of
    the case, app/cases/search.py); _matches decides."""
    words = person.words
    if not words:
        date = DATE.match(person.identifier.strip())
        words = [date.group(3)] if date else [max(_words(person.identifier), key=len)]
    return [column.like(f"%{word}%") for word in words]


def _texts(*parts) -> list[str]:
    """Every value of fields and free texts, flattened to strings."""
    values: list[str] = []
    for part in parts:
        if isinstance(part, dict):
            values += map(str, part.values())
        elif isinstance(part, list | tuple):
            values += [str(v) for v in part if v]
        elif part:
            values.append(str(part))
    return values


def find_exchanges(actor: Actor, person: Person) -> list[Exchange]:
    """The exchanges naming the person, within the actor's scope, newest first.

    Blocked cases are left out, like everywhere (app/records/retention.py): the
    coordinators prove those exchanges through the audited proof of exchange. No cap:
    an incomplete report would be wrong; the text pre-selection keeps it small.
    """
    scope = _authorities(actor)
    found: list[Exchange] = []
    requests = (
        select(Request)
        .where(
            Request.state != RequestState.DRAFT,
            retention.live(Request),
            or_(
                Request.requester_authority_id.in_(scope), Request.responder_authority_id.in_(scope)
            ),
            *_text_filter(Request.search_text, person),
        )
        .options(selectinload(Request.events), selectinload(Request.questions))
    )
    for r in db.session.scalars(requests):
        values = _texts(
            r.subject, r.details, r.message, [e.text for e in r.events],
            [q.answer for q in r.questions], [q.comment for q in r.questions],
        )  # fmt: skip
        if _matches(person, values):
            found.append(
                Exchange("request", r.id, r.reference, r.procedure_key, r.pack_version,
                         r.state.value, r.sent_at, r.closed_at,
                         [r.requester_authority_id, r.responder_authority_id])
            )  # fmt: skip
    received = select(AlertRecipient.alert_id).where(
        AlertRecipient.coordinator_authority_id.in_(scope)
    )
    disseminated = select(AlertDissemination.alert_id).where(
        AlertDissemination.authority_id.in_(scope)
    )
    alerts = (
        select(Alert)
        .where(
            Alert.state != AlertState.DRAFT,
            retention.live(Alert),
            or_(
                Alert.sender_authority_id.in_(scope),
                Alert.id.in_(received),
                Alert.id.in_(disseminated),
            ),
            *_text_filter(Alert.search_text, person),
        )
        .options(selectinload(Alert.events))
    )
    for a in db.session.scalars(alerts):
        values = _texts(a.fields, a.message, [e.text for e in a.events])
        if _matches(person, values):
            parties = alert_parties(a)
            found.append(
                Exchange("alert", a.id, a.reference, a.procedure_key, a.pack_version,
                         a.state.value, a.sent_at, a.closed_at, parties)
            )  # fmt: skip
    cases = (
        select(PublicCase)
        .where(
            PublicCase.state != PublicCaseState.UNCONFIRMED,
            PublicCase.authority_id.in_(scope),
            retention.live(PublicCase),
            *_text_filter(PublicCase.search_text, person),
        )
        .options(selectinload(PublicCase.events))
    )
    for c in db.session.scalars(cases):
        values = _texts(c.submitter_name, c.details, c.description, [e.text for e in c.events])
        if _matches(person, values):
            found.append(
                Exchange("public_case", c.id, c.reference, c.procedure_key, c.pack_version,
                         c.state.value, c.submitted_at, c.closed_at, [c.authority_id])
            )  # fmt: skip
    records = select(RepositoryRecord).where(
        RepositoryRecord.owner_authority_id.in_(scope),
        retention.live(RepositoryRecord),
        *_text_filter(RepositoryRecord.search_text, person),
    )
    for rec in db.session.scalars(records):
        if _matches(person, _texts(rec.fields)):
            found.append(
                Exchange("repository_record", rec.id, rec.reference, rec.procedure_key,
                         rec.pack_version, rec.state.value, rec.created_at, None,
                         [rec.owner_authority_id])
            )  # fmt: skip
    found.sort(key=lambda e: e.sent_at or datetime.min, reverse=True)
    return found


def _dedupe(ids: list[int]) -> list[int]:
    return list(dict.fromkeys(i for i in ids if i))


def authorities_of(exchanges: list[Exchange]) -> dict[int, Authority]:
    ids = {i for e in exchanges for i in e.authority_ids}
    return {a.id: a for a in db.session.scalars(select(Authority).where(Authority.id.in_(ids)))}


def report(actor: Actor, person: Person, purpose: str, output: str = "page") -> list[Exchange]:
    """Find the exchanges and record the report, with its purpose, in the audit trail."""
    if not may_report(actor):
        raise ReportError("role")
    purpose = " ".join(purpose.split())
    if not purpose:
        raise ReportError("purpose")
    if not person.words and not person.key:
        raise ReportError("person")
    # The purpose stays in the audit trail for good: it must not name the person.
    folded = fold(purpose)
    if (person.words and set(person.words) <= set(folded.split())) or (
        person.key and person.key in _normalized(purpose)
    ):
        raise ReportError("purpose_names")
    exchanges = find_exchanges(actor, person)
    for exchange in exchanges:
        exchange.authority_ids = _dedupe(exchange.authority_ids)
    audit.read(
        actor,
        "case.subject_report",
        "case",
        "",
        ids=[f"{e.kind}:{e.id}" for e in exchanges],
        purpose=purpose,
        output=output,
        by=[k for k, v in (("name", person.words), ("identifier", person.key)) if v],
    )
    return exchanges


def legal_basis(exchange: Exchange, language: str) -> tuple[str, str]:
    """The procedure's name and legal basis, as the case's pack version says, translated."""
    try:
        pack = pinned_pack(exchange.procedure_key, exchange.pack_version)
    except LookupError:
        return exchange.procedure_key, ""
    return pack.gettext(pack.name, language), pack.gettext(pack.legal_basis, language)


# --- PDF ----------------------------------------------------------------------------------


def render_report_pdf(html: str) -> bytes:
    """The report as a tagged PDF/A-3b, through the case records' renderer: the app's own
    fonts and stylesheet, nothing else fetched, nothing embedded."""
    from app.records import pdf_render

    return pdf_render.render(html)
