"""Officers search their own cases: requests, alerts and public cases of their authority,
by reference, procedure, person or company, and any free text, as written or as
translated (machine translations and officers' corrections alike).

Each case keeps a folded `search_text` (case and accents removed, app/text.fold) of all
of that, refreshed after every flush that touches the case, one of its events, or a
translation of one of its texts; so a search is a few LIKEs on one column per kind, the
same on SQLite and PostgreSQL. The scope is the inbox's: the actor's own authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, url_for
from sqlalchemy import and_, event, false, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Alert,
    AlertEvent,
    JobStatus,
    PublicCase,
    PublicCaseEvent,
    PublicCaseState,
    Request,
    RequestEvent,
    RequestQuestion,
    RequestState,
    Translation,
    TranslationCorrection,
    TranslationJob,
)
from app.policy import Actor
from app.records import retention
from app.reference import LANGUAGES
from app.text import fold

LIMIT = 50
MAX_WORDS = 8


# --- keeping search_text up to date ------------------------------------------------------


def _texts(case) -> tuple[list[str], list[tuple[str, int]]]:
    """A case's searchable wording, and the (kind, id) of its translatable texts."""
    if isinstance(case, Request):
        parts = [case.reference, case.subject, case.message, *case.details.values()]
        parts += [e.text for e in case.events]
        parts += [q.comment for q in case.questions] + [q.answer or "" for q in case.questions]
        names = [("request", case.id)] + [("request_event", e.id) for e in case.events if e.text]
    elif isinstance(case, Alert):
        parts = [case.reference, case.message, *map(str, case.fields.values())]
        parts += [e.text for e in case.events]
        names = [("alert", case.id)] + [("alert_event", e.id) for e in case.events if e.text]
    else:
        parts = [case.reference, case.submitter_name, case.description]
        parts += [*map(str, case.details.values()), *(e.text for e in case.events)]
        names = [("public_case", case.id)]
        names += [("public_event", e.id) for e in case.events if e.text]
    return [p for p in parts if p], names


def translatable(case) -> list[tuple[str, int]]:
    """The (kind, id) of a case's free texts that can be machine-translated."""
    return _texts(case)[1]


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


_OWNERS = {
    RequestEvent: lambda e: e.request,
    RequestQuestion: lambda q: q.request,
    AlertEvent: lambda e: e.alert,
    PublicCaseEvent: lambda e: e.case,
}
_TEXT_OWNERS = {
    "request": (Request, None),
    "request_event": (RequestEvent, "request"),
    "alert": (Alert, None),
    "alert_event": (AlertEvent, "alert"),
    "public_case": (PublicCase, None),
    "public_event": (PublicCaseEvent, "case"),
}


def _case_of(session: Session, obj):
    if isinstance(obj, Request | Alert | PublicCase):
        return obj
    owner = _OWNERS.get(type(obj))
    if owner:
        return owner(obj)
    if isinstance(obj, TranslationJob | TranslationCorrection):
        model, parent = _TEXT_OWNERS[obj.kind]
        row = session.get(model, obj.object_id)
        return getattr(row, parent) if row is not None and parent else row
    return None


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    touched = session.info.setdefault("openimi_search_dirty", set())
    # dirty holds rows that were only set to the values they had (a read clearing an
    # inbox flag): their text has not changed.
    for obj in (*session.new, *(o for o in session.dirty if session.is_modified(o))):
        if type(obj) in _OWNERS or isinstance(
            obj, Request | Alert | PublicCase | TranslationJob | TranslationCorrection
        ):
            touched.add(obj)


@event.listens_for(Session, "after_flush_postexec")
def _refresh(session: Session, _context) -> None:
    touched = session.info.pop("openimi_search_dirty", set())
    if not touched:
        return
    cases = {}
    with session.no_autoflush:
        for obj in touched:
            case = _case_of(session, obj)
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
    url: str


def _like(column, word: str):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def _procedure_names() -> dict[str, str]:
    """Each procedure's key and names in the 24 languages, folded; built once per app."""
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
    """The procedures whose key or name, in any of the 24 languages, contains the word."""
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

    own = actor.authority.id
    hits: list[Hit] = []
    requests = db.session.scalars(
        select(Request)
        .where(
            or_(
                Request.requester_authority_id == own,
                and_(Request.responder_authority_id == own, Request.state != RequestState.DRAFT),
            ),
            retention.live(Request),
            *_matching(Request, words),
        )
        .order_by(Request.updated_at.desc(), Request.id.desc())
        .limit(LIMIT)
    )
    hits += [
        Hit("request", r.id, r.reference, r.procedure_key, r.state.value, r.updated_at,
            url_for("requests.case", request_id=r.id))
        for r in requests
    ]  # fmt: skip
    from app.cases import alerts as alert_service

    alerts = db.session.scalars(
        alert_service.visible_query(actor)
        .where(*_matching(Alert, words))
        .order_by(Alert.updated_at.desc(), Alert.id.desc())
        .limit(LIMIT)
    )
    hits += [
        Hit("alert", a.id, a.reference, a.procedure_key, a.state.value, a.updated_at,
            url_for("alerts.case", alert_id=a.id))
        for a in alerts
    ]  # fmt: skip
    cases = db.session.scalars(
        select(PublicCase)
        .where(
            PublicCase.authority_id == own,
            PublicCase.state != PublicCaseState.UNCONFIRMED,
            retention.live(PublicCase),
            *_matching(PublicCase, words),
        )
        .order_by(PublicCase.updated_at.desc(), PublicCase.id.desc())
        .limit(LIMIT)
    )
    hits += [
        Hit("public_case", c.id, c.reference, c.procedure_key, c.state.value, c.updated_at,
            url_for("public_cases.case", case_id=c.id))
        for c in cases
    ]  # fmt: skip
    return sorted(hits, key=lambda h: h.updated_at, reverse=True)[:LIMIT]


def reindex_all(batch: int = 500) -> int:
    """Rebuild every case's search text, a batch at a time."""
    from app.extensions import db

    count = 0
    for model in (Request, Alert, PublicCase):
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
