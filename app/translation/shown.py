"""Free texts as one reader sees them: the original, and whatever exists in the reader's
language (a machine translation, an officer's correction, a job still waiting).

A page loads the views of all the texts it shows before it renders (`views_for`,
`of_case`): two statements for the whole page however many texts it holds, where asking
text by text took two each. Templates only look the views up (`text_view` in
app/__init__.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload

from app.cases import registry
from app.extensions import db
from app.models import JobStatus, Translation, TranslationCorrection, TranslationJob
from app.translation.texts import Text, free_text

# A text's name on a page: its kind and its row's id.
Key = tuple[str, int]


@dataclass
class View:
    """A text as one reader sees it: the original and whatever exists in their language."""

    text: Text
    target: str
    job: TranslationJob | None
    correction: TranslationCorrection | None

    @property
    def needed(self) -> bool:
        return self.text.language != self.target

    @property
    def machine(self) -> Translation | None:
        return self.job.translation if self.job and self.job.status == JobStatus.DONE else None

    @property
    def waiting(self) -> bool:
        return bool(self.job) and self.job.status in (JobStatus.PENDING, JobStatus.SUBMITTED)


def views(texts: list[Text], target: str) -> list[View]:
    """The views of `texts` into `target`, in their order: one statement for the jobs
    (with their translations), one for the corrections (with their authors), none when
    every text is already in the reader's language."""
    wanted = {(t.kind, t.object_id, t.hash) for t in texts if t.language != target}
    jobs: dict[tuple[str, int, str], TranslationJob] = {}
    corrections: dict[tuple[str, int, str], TranslationCorrection] = {}
    if wanted:
        for job in db.session.scalars(
            select(TranslationJob)
            .options(joinedload(TranslationJob.translation))
            .where(
                tuple_(
                    TranslationJob.kind, TranslationJob.object_id, TranslationJob.source_hash
                ).in_(list(wanted)),
                TranslationJob.target_language == target,
            )
        ):
            jobs[job.kind, job.object_id, job.source_hash] = job
        # Newest first: the first correction of each text is the one shown.
        for correction in db.session.scalars(
            select(TranslationCorrection)
            .options(
                joinedload(TranslationCorrection.user),
                joinedload(TranslationCorrection.authority),
            )
            .where(
                tuple_(
                    TranslationCorrection.kind,
                    TranslationCorrection.object_id,
                    TranslationCorrection.source_hash,
                ).in_(list(wanted)),
                TranslationCorrection.target_language == target,
            )
            .order_by(TranslationCorrection.created_at.desc(), TranslationCorrection.id.desc())
        ):
            corrections.setdefault(
                (correction.kind, correction.object_id, correction.source_hash), correction
            )

    def view_of(text: Text) -> View:
        if text.language == target:
            return View(text, target, None, None)
        key = (text.kind, text.object_id, text.hash)
        return View(text, target, jobs.get(key), corrections.get(key))

    return [view_of(t) for t in texts]


def view(text: Text, target: str) -> View:
    return views([text], target)[0]


def views_for(kind_rows: Iterable[tuple[str, Any]], target: str) -> dict[Key, View]:
    """The views of rows' texts a page holds (no access check: the page that shows the
    rows has made it); a row without text has none."""
    texts = []
    for kind, row in kind_rows:
        wording = getattr(row, free_text(kind).field)
        if wording:
            texts.append(Text(kind, row.id, wording, row.language, row))
    return {(v.text.kind, v.text.object_id): v for v in views(texts, target)}


def current_language() -> str:
    return str(get_locale() or "en")


def of_case(case: Any) -> dict[Key, View]:
    """The views of a case's own text and its timeline's, in the current language: what
    its page and its PDF show."""
    kinds = {t.model: t.name for e in registry.kinds().values() for t in e.free_texts}
    rows = [case, *getattr(case, "events", ())]
    return views_for(((kinds[type(r)], r) for r in rows if type(r) in kinds), current_language())
