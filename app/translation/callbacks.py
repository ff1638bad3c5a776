"""Asynchronous engines (eTranslation): a text goes out in pieces with callback
addresses, each piece comes back on its own callback, and the job is done when all have.
A callback names the job by an unguessable reference; one we never gave out is refused,
and a piece received twice changes nothing.

Known terms (app/translation/terms.py): eTranslation's text snippets are plain text, so
no term can be held out of the engine as markup. Each term the text contains goes out as
a piece of its own after the text's pieces; when all have come back, the engine's
rendering of a term is replaced by the official term where the translation holds it.
The terms sent are kept with the job (`parts["terms"]`: [source wording, official
wording, times found]), so that the answer is read against what was asked."""

from __future__ import annotations

import logging
import secrets

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import JobStatus, TranslationJob
from app.models.base import utcnow
from app.translation import mt
from app.translation import terms as known_terms
from app.translation.texts import store

log = logging.getLogger(__name__)


def submit(
    engine: mt.Provider, job: TranslationJob, text: str, terms: dict[str, str] | None = None
) -> None:
    """Hand the pieces over, then the known terms found in the text. The job is
    committed as submitted before the engine has the first one: a piece's callback may
    come before the engine has answered its request id, and must find the job waiting
    for it (the job is not written again after)."""
    pieces, terms = mt.split(text), terms or {}
    counts = known_terms.found(text, terms)
    job.external_ref = job.external_ref or secrets.token_urlsafe(24)
    job.part_count = len(pieces) + len(counts)
    job.parts = {"terms": [[t, terms[t], n] for t, n in counts.items()]} if counts else {}
    job.status = JobStatus.SUBMITTED
    job.updated_at = utcnow()
    source, target, reference = job.source_language, job.target_language, job.external_ref
    db.session.commit()
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    secret = current_app.config["ETRANSLATION_CALLBACK_SECRET"]
    for number, piece in enumerate([*pieces, *counts]):
        engine.submit(
            piece,
            source,
            target,
            f"{reference}.{number}",
            f"{base}/mt/etranslation/{secret}/done",
            f"{base}/mt/etranslation/{secret}/error",
        )


def _job_for(reference: str) -> tuple[TranslationJob, int] | None:
    ref, _, number = reference.rpartition(".")
    if not ref or not number.isdigit():
        return None
    # Pieces of one text come back on concurrent callbacks: lock the job while adding one.
    job = db.session.scalar(
        select(TranslationJob).where(TranslationJob.external_ref == ref).with_for_update()
    )
    if job is None or int(number) >= job.part_count:
        return None
    return job, int(number)


def receive(reference: str, target: str, text: str) -> bool:
    """An asynchronous engine's translation of one piece; False for a reference we never
    gave out. Receiving the same piece twice changes nothing."""
    found = _job_for(reference)
    if found is None:
        return False
    job, number = found
    if target.lower() != job.target_language:
        return False
    if job.status != JobStatus.SUBMITTED:
        return True
    job.parts = {**job.parts, str(number): text}
    if sum(key.isdigit() for key in job.parts) == job.part_count:
        store(job, _whole(job.parts, job.part_count), "")
    db.session.commit()
    return True


def _whole(parts: dict, count: int) -> str:
    """The translation put together from its pieces, with the official wording of the
    known terms whose rendering by the engine it holds."""
    sent = parts.get("terms", [])
    whole = "".join(parts[str(n)] for n in range(count - len(sent)))
    if not sent:
        return whole
    first = count - len(sent)
    renderings = {term: parts[str(first + i)] for i, (term, _o, _n) in enumerate(sent)}
    kept = known_terms.kept_renderings(whole, {t: n for t, _o, n in sent}, renderings)
    return known_terms.replace_renderings(whole, kept, {t: o for t, o, _n in sent})


def receive_error(reference: str, code: str) -> bool:
    """An asynchronous engine could not translate a piece."""
    found = _job_for(reference)
    if found is None:
        return False
    job, _ = found
    if job.status == JobStatus.SUBMITTED:
        job.status = JobStatus.FAILED
        job.error = "rejected"
        job.updated_at = utcnow()
        log.info("translation job %s: eTranslation error %s", job.id, code)
        db.session.commit()
    return True
