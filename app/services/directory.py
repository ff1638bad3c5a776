"""The directory: authorities and coordinators, searchable by officers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, tuple_

from app.extensions import db
from app.models import Authority, AuthorityStatus, ProcedureAccess
from app.text import fold

PAGE_SIZE = 25


def index_text(authority: Authority) -> None:
    """Refresh the folded search column from names and competences."""
    names = (authority.local_names or {}).values()
    parts = [authority.name, *names, authority.competences, authority.city]
    authority.search_text = fold(" ".join(p for p in parts if p))


@dataclass
class Page:
    items: list[Authority]
    next_cursor: str | None


def search(
    query: str = "",
    country: str | None = None,
    procedure: str | None = None,
    after: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """Active authorities matching every word of the query, by name, keyset-paginated."""
    stmt = select(Authority).where(Authority.status == AuthorityStatus.ACTIVE)
    for word in fold(query).split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Authority.search_text.like(f"%{escaped}%", escape="\\"))
    if country:
        stmt = stmt.where(Authority.country == country)
    if procedure:
        stmt = stmt.where(
            Authority.id.in_(
                select(ProcedureAccess.authority_id).where(
                    ProcedureAccess.procedure_key == procedure
                )
            )
        )
    cursor = _decode(after)
    if cursor:
        name, ident = cursor
        stmt = stmt.where(tuple_(Authority.name, Authority.id) > tuple_(name, ident))
    rows = list(db.session.scalars(stmt.order_by(Authority.name, Authority.id).limit(limit + 1)))
    next_cursor = _encode(rows[limit - 1]) if len(rows) > limit else None
    return Page(rows[:limit], next_cursor)


def _encode(authority: Authority) -> str:
    return f"{authority.id}:{authority.name}"


def _decode(cursor: str | None) -> tuple[str, int] | None:
    if not cursor or ":" not in cursor:
        return None
    ident, name = cursor.split(":", 1)
    return (name, int(ident)) if ident.isdigit() else None
