"""What a case's page and its PDF show beside the case row, loaded at once.

Read one by one, a case's timeline costs a statement per author and per authority, its
recipients a statement each for their disseminations: the page grows with the case.
`load(case)` reads each kind of row in one statement instead, so a case page runs as many
statements for a hundred events as for two (tests/web/test_statement_counts.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (
    Alert,
    AlertEvent,
    AlertRecipient,
    PublicCase,
    PublicCaseEvent,
    RepositoryRecord,
    RepositoryRecordVersion,
    Request,
    RequestEvent,
)

SHOWN: dict[type, tuple] = {
    Request: (
        joinedload(Request.requester_authority),
        joinedload(Request.responder_authority),
        selectinload(Request.questions),
        selectinload(Request.attachments),
        selectinload(Request.events).options(
            joinedload(RequestEvent.user), joinedload(RequestEvent.authority)
        ),
    ),
    Alert: (
        joinedload(Alert.sender_authority),
        selectinload(Alert.recipients).selectinload(AlertRecipient.disseminations),
        selectinload(Alert.revisions),
        selectinload(Alert.attachments),
        selectinload(Alert.events).joinedload(AlertEvent.authority),
    ),
    PublicCase: (
        selectinload(PublicCase.documents),
        selectinload(PublicCase.events).joinedload(PublicCaseEvent.user),
    ),
    RepositoryRecord: (
        joinedload(RepositoryRecord.owner_authority),
        selectinload(RepositoryRecord.versions).joinedload(RepositoryRecordVersion.user),
    ),
}


def load(case: Any) -> None:
    """Read the rows the case's page shows with it, a statement per kind of row. Call it
    when nothing is left to write (after the read's audit commit): it reloads the case."""
    options = SHOWN.get(type(case))
    if options is None:
        return
    model = type(case)
    # The id from the identity map: case.id would read an expired case once more.
    (case_id,) = inspect(case).identity
    db.session.scalars(
        select(model)
        .where(model.id == case_id)
        .options(*options)
        .execution_options(populate_existing=True)
    ).all()
