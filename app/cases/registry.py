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

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from sqlalchemy import Select

from app.cases.kernel import Lifecycle
from app.cases.reminders import Reminders
from app.extensions import db
from app.policy import Actor

PACKAGES = ("requests", "alerts", "public", "repositories")


@dataclass(frozen=True)
class Kind:
    """One kind of case.

    name: the object type in audit records, PDF exports and translation jobs.
    model: the case's table.
    visible_query: select(model) of every case of the kind the actor may see, blocked
        cases excluded.
    lifecycle: its transitions (None for a kind without states to move through).
    reminders: the reminders of its date (None for a kind without one).
    """

    name: str
    model: type
    visible_query: Callable[[Actor], Select]
    lifecycle: Lifecycle | None = None
    reminders: Reminders | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, Kind]:
    if not _KINDS:
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


def visible(actor: Actor, name: str, case_id: int) -> Any | None:
    """The case if the actor may see it, else None (the route answers 404)."""
    entry = kind(name)
    if entry is None:
        return None
    return db.session.scalar(entry.visible_query(actor).where(entry.model.id == case_id))
