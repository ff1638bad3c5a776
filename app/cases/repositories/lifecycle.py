"""Who may change a repository record, as a table.

Only the record's editors change it: the officers, other than read-only viewers, of the
authority that owns it, while that authority holds editor access to the repository. An
active record is updated and archived; an archived one is only restored. Each change
says why (a note), and makes a new version of the record: records keep versions, not a
timeline, so the lifecycle writes no event, and the version row is written by hand.
"""

from __future__ import annotations

from sqlalchemy import select

from app.cases.areas import area_of
from app.cases.kernel import CaseError, Lifecycle, Transition
from app.extensions import db
from app.models import ProcedureAccess, RecordState, RepositoryRecord
from app.policy import Actor

EDITOR = {"editor"}
# The state changes the record page offers: archive an active record, restore an archived one.
STATE_ACTIONS = ("archive", "restore")


class RepositoryError(CaseError):
    """A refused change; `errors` maps a field key (or "note", "access") to a reason code.
    The lifecycle's refusals ("role", "state") are the authority's "access"; a blank note
    is the note's."""

    def __init__(self, errors: dict[str, str] | str):
        code = (
            errors if isinstance(errors, str) else ", ".join(f"{k}={v}" for k, v in errors.items())
        )
        super().__init__(code)
        if isinstance(errors, str):
            errors = {"access": "access"} if errors in ("role", "state") else {errors: errors}
        self.errors = errors


def roles_for(actor: Actor, key: str) -> set[str]:
    """The roles the actor's authority holds in the procedure (repository) `key`."""
    access = db.session.scalar(
        select(ProcedureAccess).where(
            ProcedureAccess.authority_id == actor.authority.id,
            ProcedureAccess.procedure_key == key,
        )
    )
    return set(access.roles) if access else set()


def may_create(actor: Actor, key: str) -> bool:
    """An officer of an editing authority who is more than a viewer in the repository's
    legislative area."""
    officer = bool(actor.roles_in(area_of(key)) - {"viewer"})
    return officer and "repository_editor" in roles_for(actor, key)


def sides(actor: Actor, record: RepositoryRecord) -> set[str]:
    """ "editor": an officer who may create records in the repository, of the authority
    that owns the record."""
    owner = record.owner_authority_id == actor.authority.id
    return set(EDITOR) if owner and may_create(actor, record.procedure_key) else set()


def _change(action: str, sources, target, audit_as: str) -> Transition:
    # audit_as is also the version's `action`, as the history shows it.
    return Transition(
        action, sources, target, sides=EDITOR, event="", needs_text="note", audit_as=audit_as
    )


LIFECYCLE = Lifecycle(
    "repository_record",
    [
        _change("update", (RecordState.ACTIVE,), None, "updated"),
        _change("archive", (RecordState.ACTIVE,), RecordState.ARCHIVED, "archived"),
        _change("restore", (RecordState.ARCHIVED,), RecordState.ACTIVE, "restored"),
    ],
    sides=sides,
    error=RepositoryError,
)


def state_action(actor: Actor, record: RepositoryRecord) -> str | None:
    """The state change the actor may make on the record's page, if any."""
    return next((a for a in STATE_ACTIONS if LIFECYCLE.may(actor, record, a)), None)


def reached(record: RepositoryRecord, action: str) -> bool:
    """The record is already where the state change `action` leads: the form was sent
    twice, or a colleague was quicker."""
    return record.state == LIFECYCLE.table[action].target
