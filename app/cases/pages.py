"""What a case's page and its PDF show beside the case row, loaded at once.

Read one by one, a case's timeline costs a statement per author and per authority, its
recipients a statement each for their disseminations: the page grows with the case.
`load(case)` reads each kind of row instead in one statement: the rows its kind
declares its page shows (`Kind.shown`, in each kind's kind.py). A case page so runs as
many statements for a hundred events as for two (tests/web/test_statement_counts.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select

from app.cases import registry
from app.extensions import db


def load(case: Any) -> None:
    """Read the rows the case's page shows with it, a statement per kind of row. Call it
    when nothing is left to write to the case (it reloads it), before the read's audit
    commit: the page then reads and commits in one transaction, on one connection."""
    kind = registry.by_model().get(type(case))
    if kind is None or not kind.shown:
        return
    model = kind.model
    # The id from the identity map: case.id would read an expired case once more.
    (case_id,) = inspect(case).identity
    db.session.scalars(
        select(model)
        .where(model.id == case_id)
        .options(*kind.shown)
        .execution_options(populate_existing=True)
    ).all()
