"""Officers search the cases they see: requests, alerts and public cases (the kinds that
declare `case_search`), by reference, procedure, person or company, and any free text, as
written or as translated (machine translations and officers' corrections alike).

Each case keeps a folded `search_text` (case and accents removed, app/text.fold) of all
of that, refreshed after every flush that touches the case, one of its parts (events,
questions), or a translation of one of its texts; so a search is a few LIKEs on one
column per kind, the same on SQLite and PostgreSQL. The scope is the case page's: each
kind's one visibility rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, event, false, or_, select
from sqlalchemy.orm import Session, defer

from app.cases import registry
from app.models import JobStatus, Translation, TranslationCorrection, TranslationJob
from app.models.base import bookkeeping_only
from app.policy import Actor
from app.reference import LANGUAGES
from app.text import fold

LIMIT = 50
MAX_WORDS = 8


# --- keeping search_text up to date ------------------------------------------------------


def _searched() -> list[registry.Kind]:
    return [entry for entry in registry.kinds().values() if entry.case_search]


def _texts(case) -> tuple[list[str], list[tuple[str, int]]]:
    """A case's searchable wording, and the (kind, id) of its translatable texts."""
    entry = registry.of(case)
    parts = [case.reference, *entry.records.texts(case)]
    return [p for p in parts if p], entry.text_ids(case)


def _translated(session: Session, names: list[tuple[str, int]]) -> list[str]:
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in names:
        by_kind.setdefault(kind, []).append(object_id)
    if not by_kind:
        return []
    machine = or_(
        *(
            and_(TranslationJob.kind == kind, TranslationJob.object_id.in_(ids))
            for kind, ids in by_kind.items()
        )
    )
    human = or_(
        *(
            and_(TranslationCorrection.kind == kind, TranslationCorrection.object_id.in_(ids))
            for kind, ids in by_kind.items()
        )
    )
    texts = session.scalars(
        select(Translation.text)
        .join(TranslationJob, TranslationJob.translation_id == Translation.id)
        .where(TranslationJob.status == JobStatus.DONE, machine)
    )
    return [*texts, *session.scalars(select(TranslationCorrection.text).where(human))]


def refresh(session: Session, case) -> None:
    parts, names = _texts(case)
    text = fold(" ".join([*parts, *_translated(session, names)]))
    if case.search_text != text:
        case.search_text = text


def _owners() -> dict[type, str | None]:
    """The models whose change changes a searched case's text, and the attribute leading
    to the case (None: the row is the case)."""
    owners: dict[type, str | None] = {}
    for entry in _searched():
        owners[entry.model] = None
        owners.update(entry.owners)
    return owners


def _case_of(session: Session, obj, owners: dict[type, str | None]):
    if isinstance(obj, TranslationJob | TranslationCorrection):
        found = registry.free_text(obj.kind)
        if found is None or not found[0].case_search:
            return None
        row = session.get(found[1].model, obj.object_id)
        return found[1].case_of(row) if row is not None else None
    attribute = owners[type(obj)]
    return getattr(obj, attribute) if attribute else obj


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    touched = session.info.setdefault("openimi_search_dirty", set())
    owners = _owners()
    # dirty holds rows that were only set to the values they had, and cases whose
    # bookkeeping alone changed (a read clearing an inbox flag): their text has not
    # changed, and reading it again would cost every first visit of a case.
    dirty = (o for o in session.dirty if session.is_modified(o) and not bookkeeping_only(o))
    for obj in (*session.new, *dirty):
        if type(obj) in owners or isinstance(obj, TranslationJob | TranslationCorrection):
            touched.add(obj)


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session: Session, _context) -> None:
    touched = session.info.pop("openimi_search_dirty", set())
    if not touched:
        return
    owners = _owners()
    cases = {}
    with session.no_autoflush:
        for obj in touched:
            case = _case_of(session, obj, owners)
            if case is not None and case.id is not None:
                cases[type(case), case.id] = case
        for case in cases.values():
            refresh(session, case)


# --- searching ----------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str  # request, alert, public_case
    id: int
    reference: str
    procedure_key: str
    state: str
    updated_at: datetime


def _like(column, word: str):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def _procedure_names() -> dict[str, str]:
    """Each procedure's key and names in the interface languages, folded; built once per app."""
    names = current_app.extensions.get("openimi_procedure_names")
    if names is None:
        names = {
            pack.key: fold(
                " ".join([pack.key, *(pack.gettext(pack.name, lang) for lang in LANGUAGES)])
            )
            for pack in current_app.extensions["procedures"].values()
        }
        current_app.extensions["openimi_procedure_names"] = names
    return names


def _procedures_named(word: str) -> set[str]:
    """The procedures whose key or name, in any interface language, contains the word."""
    return {key for key, names in _procedure_names().items() if word in names}


def _matching(model, words: list[str]):
    conditions = []
    for word in words:
        keys = _procedures_named(word)
        by_procedure = model.procedure_key.in_(keys) if keys else false()
        conditions.append(or_(_like(model.search_text, word), by_procedure))
    return conditions


def search(actor: Actor, query: str) -> list[Hit]:
    """The actor's authority's cases matching every word of the query, newest first."""
    words = fold(query).split()[:MAX_WORDS]
    if not words:
        return []
    from app.extensions import db

    hits: list[Hit] = []
    for entry in _searched():
        model = entry.model
        cases = db.session.scalars(
            entry.visible_query(actor)
            .where(*_matching(model, words))
            # a case's whole wording and its translations: matched here, never shown
            .options(defer(model.search_text))
            .order_by(model.updated_at.desc(), model.id.desc())
            .limit(LIMIT)
        )
        hits += [
            Hit(entry.name, c.id, c.reference, c.procedure_key, c.state.value, c.updated_at)
            for c in cases
        ]
    return sorted(hits, key=lambda h: h.updated_at, reverse=True)[:LIMIT]


def reindex_all(batch: int = 500) -> int:
    """Rebuild every case's search text, a batch at a time."""
    from app.extensions import db

    count = 0
    for model in (entry.model for entry in _searched()):
        last = 0
        while True:
            rows = list(
                db.session.scalars(
                    select(model).where(model.id > last).order_by(model.id).limit(batch)
                )
            )
            if not rows:
                break
            for row in rows:
                refresh(db.session, row)
            db.session.commit()
            count += len(rows)
            last = rows[-1].id
    return count
