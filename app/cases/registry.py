"""The kinds of case, and what each declares (the way eq-questionnaire-runner maps block
types to their handlers).

A kind names its model, its lifecycle and its one visibility rule, `visible_query`: the
case page, inboxes, counters, case search, translations, PDF records, retention, the audit
trail and the data-subject report all start from it, so that who sees a case is written
once. Code that works on "any case" asks the registry (`kind`, `of`, `visible`) instead of
testing which kind it holds.

Each kind registers itself in its package's `kind` module; the registry imports them on
first use, so that the kinds may use everything else without an import cycle.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from importlib import import_module
from typing import Any

from sqlalchemy import Select, select, true

from app.cases.kernel import Lifecycle
from app.cases.reminders import Reminders
from app.extensions import db
from app.policy import Actor

PACKAGES = ("requests", "alerts", "public", "repositories", "notifications", "epc")

# One line of a case's history: (when, what happened, authority name, text).
Entry = tuple[datetime, str, str, str]


@dataclass(frozen=True)
class FreeText:
    """A free text that can be translated: the `field` of `model` rows, named `name` in
    translation jobs and corrections. `case` is the attribute leading from a row to its
    case and `rows` the case's list of them; both empty when the row is the case itself."""

    name: str
    model: type
    field: str
    case: str = ""
    rows: str = ""

    def case_of(self, row: Any) -> Any:
        return getattr(row, self.case) if self.case else row


def event_rows(case: Any) -> list[Entry]:
    """A case's timeline events as history lines; the names of the authorities that acted
    are read in one query, not one per event."""
    from app.models import Authority

    events = case.events
    ids = {getattr(item, "authority_id", None) for item in events} - {None}
    found = select(Authority.id, Authority.name).where(Authority.id.in_(ids))
    names: dict[int, str] = dict(db.session.execute(found).all()) if ids else {}
    return [
        (item.at, item.kind, names.get(getattr(item, "authority_id", None), ""), item.text)
        for item in events
    ]


def _nothing(_case: Any) -> list:
    return []


def _no_labels() -> dict:
    return {"states": {}, "events": {}}


def labels_in(module: str, events: str = "", **more: str) -> Callable[[], dict]:
    """A kind's `labels`: the STATE_LABELS of `module`, its dict named `events` and the
    dicts named in `more` (under their keyword), imported when first asked for (the words
    live beside the pages that show them)."""

    def labels() -> dict:
        found = import_module(module)
        return {
            "states": found.STATE_LABELS,
            "events": getattr(found, events) if events else {},
            **{key: getattr(found, name) for key, name in more.items()},
        }

    return labels


@dataclass(frozen=True)
class Kind:
    """One kind of case.

    name: the object type in audit records, PDF exports and translation jobs.
    model: the case's table.
    visible_query: select(model) of every case of the kind the actor may see, blocked
        cases excluded.
    lifecycle: its transitions (None for a kind without states to move through).
    shown: the loader options of the rows its page and PDF show with it, each kind of row
        read in one statement (app/cases/pages.py).

    What the records, the case search and translations ask of a kind:
    page: the case page's endpoint and the argument naming the case.
    reference: the form of its references, a regex whose group 1 is the id; None: the
        `reference` column holds them.
    labels: () -> {"states": ..., "events": ...}, the words the case page uses.
    records: the kind's records module (its records.py), with
        texts(case): every field value and free text, as searched and as a data-subject
            report reads them;
        data(case): its personal data as (field key, value) pairs (the proof of exchange);
        erase(case): blanks its personal data when retention erases it (files go
            separately).
    files: the relationship holding its files (filename, size, sha256, storage_name).
    timeline: its history lines (the proof of exchange shows them).
    events: the relationship holding its timeline rows (the PDF counts them without
        reading what `timeline` reads of each, such as its authority).
    with_texts: the relationships its records' `texts` reads, loaded at once for many cases.
    free_texts: the texts that can be translated; parts: (model, attribute to the case) of
        the rows besides those whose change changes `texts`.
    case_search: officers find it by search (app/cases/search.py keeps its search_text).
    closes: the states that formally close it; closed_column: when it was closed.
    sent_column: when the exchange began; parties: the ids of the authorities it went
        between; exchanged: the condition of a case that was exchanged (not a draft).
    in_country: country -> the condition of its cases that a country's authorities take
        part in (governance: a coordinator's audit trail and data-subject reports).
    reminders: the reminders of its date (None for a kind without one).
    """

    name: str
    model: type
    visible_query: Callable[[Actor], Select]
    lifecycle: Lifecycle | None = None
    shown: tuple = field(default=(), compare=False)
    page: tuple[str, str] = ("", "")
    reference: str | None = None
    labels: Callable[[], dict] = _no_labels
    records: Any = None
    files: str = ""
    timeline: Callable[[Any], list[Entry]] = event_rows
    events: str = "events"
    with_texts: tuple[str, ...] = ()
    free_texts: tuple[FreeText, ...] = ()
    parts: tuple[tuple[type, str], ...] = ()
    case_search: bool = False
    closes: tuple[Enum, ...] = ()
    closed_column: str = "closed_at"
    sent_column: str = "sent_at"
    parties: Callable[[Any], list[int]] = _nothing
    exchanged: Any = field(default_factory=true, compare=False)
    in_country: Callable[[str], Any] | None = None

    @property
    def pdf_template(self) -> str:
        """The case as a PDF record."""
        return f"pdf/{self.name}.html"

    @property
    def owners(self) -> dict[type, str]:
        """The models of the rows whose change changes `texts`, and the attribute leading
        from one to its case."""
        rows = {text.model: text.case for text in self.free_texts if text.case}
        return rows | dict(self.parts)

    def file_rows(self, case: Any) -> list:
        return getattr(case, self.files) if self.files else []

    @property
    def file_model(self) -> type | None:
        return getattr(self.model, self.files).property.mapper.class_ if self.files else None

    def text_ids(self, case: Any) -> list[tuple[str, int]]:
        """The (name, id) of a case's translatable texts (its own, and its rows' that
        hold any)."""
        ids = []
        for text in self.free_texts:
            if not text.rows:
                ids.append((text.name, case.id))
                continue
            rows = getattr(case, text.rows)
            ids += [(text.name, row.id) for row in rows if getattr(row, text.field)]
        return ids

    def closure(self, case: Any) -> datetime | None:
        """When the exchange was formally closed, or None while it is open."""
        return getattr(case, self.closed_column) if case.state in self.closes else None

    reminders: Reminders | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, Kind]:
    """Every kind, each package's `kind` module imported on first use (all of them: one
    imported directly before must not leave the others out)."""
    if len(_KINDS) < len(PACKAGES):
        for package in PACKAGES:
            import_module(f"app.cases.{package}.kind")
    return _KINDS


def kind(name: str) -> Kind | None:
    return kinds().get(name)


def of(case: Any) -> Kind:
    """The kind of a case object."""
    for entry in kinds().values():
        if isinstance(case, entry.model):
            return entry
    raise LookupError(type(case).__name__)


def by_model() -> dict[type, Kind]:
    return {entry.model: entry for entry in kinds().values()}


def free_text(name: str) -> tuple[Kind, FreeText] | None:
    """The kind a translatable text belongs to, and the text."""
    for entry in kinds().values():
        for text in entry.free_texts:
            if text.name == name:
                return entry, text
    return None


def named(reference: str) -> tuple[Kind, int] | None:
    """The kind and id a case reference names, or None. A reference of a stored form is
    looked up; one whose form gives the id is not (the caller checks the case)."""
    reference = reference.strip().upper()
    for entry in kinds().values():
        match = re.fullmatch(entry.reference, reference) if entry.reference else None
        if match:
            return entry, int(match.group(1))
    for entry in kinds().values():
        if entry.reference is None:
            found = db.session.scalar(
                select(entry.model.id).where(entry.model.reference == reference)
            )
            if found is not None:
                return entry, found
    return None


def visible(actor: Actor, name: str, case_id: int, shown: bool = False) -> Any | None:
    """The case if the actor may see it, else None (the route answers 404); `shown`:
    with the rows its page shows (`Kind.shown`), read with it as app/cases/pages.py
    reads them, for a page that changes nothing before it renders."""
    entry = kind(name)
    if entry is None:
        return None
    stmt = entry.visible_query(actor).where(entry.model.id == case_id)
    if shown:
        stmt = stmt.options(*entry.shown)
    return db.session.scalars(stmt).unique().one_or_none()
