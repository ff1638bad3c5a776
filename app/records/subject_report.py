"""Data-subject reports (GDPR Art. 15, IMI Regulation Art. 17): in which exchanges a
person is named, under which procedure and legal basis, between which authorities and
when. The report is made for a stated purpose, which the audit trail keeps.

Who may make one: a national coordinator, for the cases its country's authorities take
part in (each kind's `in_country`, app/cases/registry.py); a local administrator
(`admin`, the authority's data administrator), for the cases their authority sees (each
kind's one visibility rule). Drafts were never exchanged and are left out. Nobody else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload

from app.cases import registry
from app.extensions import db
from app.models import Authority, AuthorityKind
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


def _reach(actor: Actor, entry: registry.Kind) -> Select:
    """The cases of a kind the actor may report on: a national coordinator's country's,
    or those the actor's authority sees."""
    if _national_coordinator(actor):
        if entry.in_country is None:
            return select(entry.model).where(false())
        cases = select(entry.model).where(entry.in_country(actor.authority.country))
        return cases.where(retention.live(entry.model))
    return entry.visible_query(actor)


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


def find_exchanges(actor: Actor, person: Person) -> list[Exchange]:
    """The exchanges naming the person, within the actor's scope, newest first.

    Blocked cases are left out, like everywhere (app/records/retention.py): the
    coordinators prove those exchanges through the audited proof of exchange. No cap:
    an incomplete report would be wrong; the text pre-selection keeps it small.
    """
    found: list[Exchange] = []
    for entry in registry.kinds().values():
        model = entry.model
        cases = (
            _reach(actor, entry)
            .where(entry.exchanged, *_text_filter(model.search_text, person))
            .options(*(selectinload(getattr(model, name)) for name in entry.with_texts))
        )
        for case in db.session.scalars(cases):
            if _matches(person, [str(v) for v in entry.records.texts(case) if v]):
                found.append(
                    Exchange(entry.name, case.id, case.reference, case.procedure_key,
                             case.pack_version, case.state.value,
                             getattr(case, entry.sent_column), entry.closure(case),
                             entry.parties(case))
                )  # fmt: skip
    # Newest first; an exchange without a date (an alert awaiting validation) last.
    found.sort(key=lambda e: (e.sent_at is not None, e.sent_at), reverse=True)
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
