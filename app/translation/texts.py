"""Free text put into the reader's language: on demand, or as it arrives for readers who
asked for it; cached per wording, language pair and engine; with a human correction
shown as such; the original always kept and one click away.

A text is named by its kind and row. Each kind of case declares its translatable texts
(app/cases/registry.py `FreeText`: where the wording lives, how a row leads to its case);
a text is read by those who see its case (the kind's one visibility rule), so that a
translation is only ever given to someone who may read the original.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from rq import Retry
from sqlalchemy import and_, or_, select

from app.cases import registry
from app.extensions import db
from app.jobs import enqueue_after_commit
from app.models import (
    JobStatus,
    Membership,
    Translation,
    TranslationCorrection,
    TranslationJob,
    User,
)
from app.models.accounts import UserStatus
from app.models.base import utcnow
from app.policy import Actor
from app.records import audit
from app.reference import LANGUAGES
from app.translation import mt, terms

log = logging.getLogger(__name__)

MAX_CORRECTION = 20_000
# Waits between tries while an engine is down; after the last, the job is failed and a
# reader may try again.
RETRY = Retry(max=3, interval=[30, 300, 1800])


class TranslationError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def names() -> tuple[str, ...]:
    """The names of every kind's translatable texts."""
    return tuple(text.name for entry in registry.kinds().values() for text in entry.free_texts)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Text:
    kind: str
    object_id: int
    text: str
    language: str
    row: Any

    @property
    def hash(self) -> str:
        return fingerprint(self.text)

    @property
    def case(self) -> Any:
        """The case the text belongs to."""
        return _spec(self.kind)[1].case_of(self.row)

    @property
    def case_kind(self) -> str:
        """The name of the kind of case the text belongs to."""
        return _spec(self.kind)[0].name


def _spec(kind: str) -> tuple[registry.Kind, registry.FreeText]:
    found = registry.free_text(kind)
    if found is None:
        raise LookupError(kind)
    return found


def _load(kind: str, object_id: int) -> Text | None:
    found = registry.free_text(kind)
    if found is None:
        return None
    spec = found[1]
    row = db.session.get(spec.model, object_id)
    if row is None or not getattr(row, spec.field):
        return None
    return Text(kind, object_id, getattr(row, spec.field), row.language, row)


def free_text(name: str) -> registry.FreeText:
    """Where the translatable text named `name` lives (its model and field)."""
    return _spec(name)[1]


def readable(actor: Actor, kind: str, object_id: int) -> Text | None:
    """The text, if the actor may see its case; None otherwise (the route answers 404)."""
    found = _load(kind, object_id)
    if found is None or registry.visible(actor, _spec(kind)[0].name, found.case.id) is None:
        return None
    return found


def available() -> bool:
    return mt.provider() is not None


# --- asking for a translation --------------------------------------------------------------


def request(actor: Actor | None, text: Text, target: str, again: bool = False) -> TranslationJob:
    """Ask for text in target; a cached translation answers at once, otherwise a job is
    queued. Asking again after a failure tries again."""
    if target not in LANGUAGES or target == text.language:
        raise TranslationError("language")
    engine = mt.provider()
    if engine is None:
        raise TranslationError("off")
    from app.translation.shown import view

    job = view(text, target).job
    if job is None:
        job = TranslationJob(
            kind=text.kind,
            object_id=text.object_id,
            source_hash=text.hash,
            source_language=text.language,
            target_language=target,
            requested_by_id=actor.user.id if actor else None,
        )
        db.session.add(job)
    elif job.status == JobStatus.DONE or (
        job.status in (JobStatus.PENDING, JobStatus.SUBMITTED) and not again
    ):
        return job
    job.status = JobStatus.PENDING
    job.error = ""
    job.engine = engine.name
    job.updated_at = utcnow()
    cached = _cached(_key(text.hash, text.language, target, engine.name))
    if cached is not None:
        _finish(job, cached)
    else:
        db.session.flush()
        enqueue_after_commit(
            run_job, job.id, queue_name="translation", retry=RETRY, job_id=rq_job_id(job.id)
        )
    if actor is not None:
        audit.by_actor(actor, "translation.request", text.kind, text.object_id, target=target)
    return job


def auto_translate(authority_id: int, texts: list[tuple[str, Any]]) -> None:
    """Queue translations of texts arriving at an authority, into the languages of its
    officers who want incoming text in their language."""
    if mt.provider() is None:
        return
    wanted = set(
        db.session.scalars(
            select(User.language)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.authority_id == authority_id,
                User.auto_translate.is_(True),
                User.status == UserStatus.ACTIVE,
            )
        )
    )
    for kind, row in texts:
        wording = getattr(row, _spec(kind)[1].field) if row is not None else ""
        if not wording:
            continue
        text = Text(kind, row.id, wording, row.language, row)
        for target in sorted(wanted & set(LANGUAGES) - {text.language}):
            request(None, text, target)


def _key(source_hash: str, source: str, target: str, engine: str) -> dict[str, str]:
    """What a stored translation is found by: its source (the text's hash and language),
    the language it is in and the engine that made it."""
    return {
        "source_hash": source_hash,
        "source_language": source,
        "target_language": target,
        "engine": engine,
    }


def _job_key(job: TranslationJob) -> dict[str, str]:
    return _key(job.source_hash, job.source_language, job.target_language, job.engine)


def _cached(key: dict[str, str]) -> Translation | None:
    return db.session.scalar(select(Translation).filter_by(**key))


def _finish(job: TranslationJob, translation: Translation) -> None:
    job.translation = translation
    job.status = JobStatus.DONE
    job.error = ""
    job.parts = {}
    job.updated_at = utcnow()


def store(job: TranslationJob, text: str, version: str) -> Translation:
    key = _job_key(job)
    translation = _cached(key)
    if translation is None:
        translation = Translation(**key, engine_version=version[:100], text=text)
        db.session.add(translation)
    _finish(job, translation)
    return translation


# --- the job -------------------------------------------------------------------------------


def rq_job_id(job_id: int) -> str:
    """The RQ job of a translation job row (one name per instance and row)."""
    return f"{current_app.config['REDIS_PREFIX']}-translation-{job_id}"


# A pending row younger than this may still be on its way to Redis (queued after commit).
LOST_AFTER = timedelta(minutes=1)
# eTranslation calls back within minutes; after an hour of silence, hand the job over again
SUBMITTED_LOST_AFTER = timedelta(hours=1)


def flush(app: Flask) -> int:
    """Queue again the pending translation jobs whose RQ job was lost (Redis down or hung
    at commit): each one neither waiting, scheduled for a retry nor running. How many."""
    return requeue_lost(app, TranslationJob, rq_job_id, run_job)


def requeue_lost(app: Flask, model, job_name, function) -> int:
    """Queue `function(row id)` again on the translation queue for each row of `model`
    whose RQ job (named `job_name(id)`) is gone: PENDING and untouched for LOST_AFTER, or
    SUBMITTED to an engine that calls back (eTranslation) and untouched for
    SUBMITTED_LOST_AFTER (its callbacks never came, or the worker died between marking
    it submitted and handing it over). How many were queued; none while Redis is down."""
    from app.jobs import job_alive, redis_connection, run_or_enqueue

    if redis_connection(app) is None:
        return 0
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(model.id).where(
                    or_(
                        and_(
                            model.status == JobStatus.PENDING,
                            model.updated_at < utcnow() - LOST_AFTER,
                        ),
                        and_(
                            model.status == JobStatus.SUBMITTED,
                            model.updated_at < utcnow() - SUBMITTED_LOST_AFTER,
                        ),
                    )
                )
            )
        )
        names = {row_id: job_name(row_id) for row_id in ids}
    queued = 0
    for row_id in ids:
        if job_alive(app, names[row_id]):
            continue
        if not run_or_enqueue(app, function, (row_id,), "translation", RETRY, names[row_id]):
            break  # Redis failed again: the next sweep tries
        queued += 1
    return queued


def run_job(instance: str, job_id: int) -> None:
    from app.jobs import app_for

    with app_for(instance).app_context():
        translate(job_id)


def translate(job_id: int) -> None:
    """Do one job: safe to run twice; a job already done, or whose text has changed or
    gone, is left alone. An engine that is down raises, so that RQ tries again later."""
    job = db.session.get(TranslationJob, job_id)
    if job is None or job.status not in (JobStatus.PENDING, JobStatus.SUBMITTED):
        return
    text = _load(job.kind, job.object_id)
    if text is None or text.hash != job.source_hash:
        job.status, job.error = JobStatus.FAILED, "changed"
        db.session.commit()
        return
    engine = mt.provider()
    if engine is None:
        job.status, job.error = JobStatus.FAILED, "off"
        db.session.commit()
        return
    job.engine = engine.name
    job.attempts += 1
    cached = _cached(_job_key(job))
    try:
        if cached is not None:
            _finish(job, cached)
        elif engine.is_async:
            from app.translation.callbacks import submit

            submit(engine, job, text.text, _known_terms(text, job))
        else:
            known = _known_terms(text, job)
            pieces = [
                engine.translate(piece, job.source_language, job.target_language, terms=known)
                for piece in mt.split(text.text)
            ]
            store(job, "".join(p.text for p in pieces), pieces[0].version)
    except mt.Unavailable as error:
        log.warning("translation job %s: engine unavailable: %s", job_id, error)
        job.error = "unavailable"
        job.status = JobStatus.FAILED if _last_try() else JobStatus.PENDING
        job.updated_at = utcnow()
        db.session.commit()
        raise
    except mt.MTError as error:
        log.info("translation job %s: %s: %s", job_id, error.code, error)
        job.status = JobStatus.UNSUPPORTED if error.code == "unsupported" else JobStatus.FAILED
        job.error = error.code
        job.updated_at = utcnow()
    db.session.commit()


def _known_terms(text: Text, job: TranslationJob) -> dict[str, str]:
    """The official terms (glossary, the case's pack) the translation keeps."""
    from app.procedures import registry as packs

    pack = packs(current_app).get(getattr(text.case, "procedure_key", None) or "")
    return terms.pairs(job.source_language, job.target_language, pack)


def _last_try() -> bool:
    """True when no retry follows: the last of RQ's tries, or a job run in-process."""
    from rq import get_current_job

    current = get_current_job()
    return current is None or not current.retries_left


# --- corrections ---------------------------------------------------------------------------


def correct(actor: Actor, text: Text, target: str, wording: str) -> TranslationCorrection:
    """A reader's own translation, kept beside the machine's and shown as theirs."""
    if actor.read_only:  # a viewer reads only; the route refuses them before this
        raise PermissionError("a viewer may not correct a translation")
    wording = wording.strip()
    if not wording:
        raise TranslationError("empty")
    if len(wording) > MAX_CORRECTION:
        raise TranslationError("too_long")
    if target not in LANGUAGES or target == text.language:
        raise TranslationError("language")
    correction = TranslationCorrection(
        kind=text.kind,
        object_id=text.object_id,
        source_hash=text.hash,
        target_language=target,
        text=wording,
        user_id=actor.user.id,
        authority_id=actor.authority.id,
    )
    db.session.add(correction)
    audit.by_actor(actor, "translation.correct", text.kind, text.object_id, target=target)
    return correction
