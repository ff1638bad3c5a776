"""Keyset paging: the next page starts after the last row of the one before, named by a
cursor in the URL, so that a page costs the same at row 25 and at row 25,000 (OFFSET
would read every row before it).

Rows are ordered by a value and then the id (`updated_at, id`, `reply_due, id`) or by the
id alone. A cursor is "<value>_<id>" -- the value in ISO form -- or "<id>". A cursor that
does not parse (typed, cut, or out of range) gives the first page, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import Select, func, select, tuple_

from app.extensions import db
from app.routing import db_int


def moment(text: str) -> datetime:
    """An ISO time of a cursor; one without a zone is UTC (the database holds UTC only)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Keyset:
    """One order of a table's rows, and its cursors.

    id: the table's id column, the last key (it makes every key unique).
    value: the column ordered by before the id, or None to order by the id alone.
    parse: the value of a cursor's text (`moment`, `date.fromisoformat`).
    descending: newest (largest) first.
    """

    id: Any
    value: Any = None
    parse: Callable[[str], Any] = moment
    descending: bool = True

    def encode(self, row: Any) -> str:
        """The cursor of the page after `row`."""
        ident = getattr(row, self.id.key)
        if self.value is None:
            return str(ident)
        return f"{getattr(row, self.value.key).isoformat()}_{ident}"

    def decode(self, cursor: str) -> tuple | None:
        """The key a cursor names, or None."""
        try:
            if self.value is None:
                return (db_int(cursor or ""),)
            value, _sep, ident = (cursor or "").rpartition("_")
            if not value:
                return None
            return self.parse(value), db_int(ident)
        except ValueError:
            return None

    def after(self, cursor: str):
        """The condition of the rows after the cursor's (None for the first page)."""
        key = self.decode(cursor)
        if key is None:
            return None
        columns = [self.id] if self.value is None else [self.value, self.id]
        left, right = (columns[0], key[0]) if len(key) == 1 else (tuple_(*columns), tuple_(*key))
        return left < right if self.descending else left > right

    def order_by(self) -> list:
        columns = [self.id] if self.value is None else [self.value, self.id]
        return [c.desc() if self.descending else c.asc() for c in columns]

    def query(self, stmt: Select, cursor: str) -> Select:
        """`stmt` ordered, from the row after the cursor's."""
        condition = self.after(cursor)
        if condition is not None:
            stmt = stmt.where(condition)
        return stmt.order_by(*self.order_by())

    def page(
        self, stmt: Select, cursor: str, limit: int, row: Callable | None = None
    ) -> tuple[list, str | None]:
        """Up to `limit` rows after the cursor's, and the cursor of the next page (None on
        the last one): ORM objects, or `row(*columns)` of a statement of columns."""
        return self.rows(self.query(stmt, cursor).limit(limit + 1), limit, row)

    def rows(
        self, query: Select, limit: int, row: Callable | None = None, params: dict | None = None
    ) -> tuple[list, str | None]:
        """`page` of a query built already, ordered and limited to `limit` + 1 rows, run
        with `params` (its bind parameters' values)."""
        if row is None:
            rows = list(db.session.scalars(query, params).unique())
        else:
            rows = [row(*columns) for columns in db.session.execute(query, params)]
        if len(rows) <= limit:
            return rows, None
        return rows[:limit], self.encode(rows[limit - 1])


@dataclass
class Page:
    """One page of a list: its items, and the cursor of the page after it (None: the
    last page)."""

    items: list
    next_cursor: str | None


@dataclass
class Filters:
    """What a paged list is filtered by, as its query string gives it: a subclass declares
    each filter as a field with its default, and the values some may take (`choices`).
    The field named `cursor` holds the page's cursor, which is no filter."""

    cursor: ClassVar[str] = "after"
    # The values a filter may take: any other is put back to the filter's default.
    choices: ClassVar[dict[str, Collection[str]]] = {}

    def __post_init__(self) -> None:
        for name, allowed in self.choices.items():
            if getattr(self, name) not in allowed:
                setattr(self, name, self.__dataclass_fields__[name].default)

    def values(self) -> dict[str, Any]:
        """The filters in use (neither blank nor off), by name, in their order."""
        found = {f.name: getattr(self, f.name) for f in fields(self) if f.name != self.cursor}
        return {name: value for name, value in found.items() if value not in ("", None, False)}

    def used(self) -> list[str]:
        """The names of the filters in use (for an audit row: never their values)."""
        return list(self.values())

    def args(self, **changes: Any) -> dict[str, Any]:
        """The list's query string: the filters in use ("1" for one that is on), with
        `changes`, the cursor left out."""
        values = {name: "1" if value is True else value for name, value in self.values().items()}
        return {name: value for name, value in (values | changes).items() if value}


def count_each(queries: dict[str, Select]) -> dict[str, int]:
    """The number of rows of each query, in one round trip (a list's counters, the home
    page's tasks): each query counted as it is, so a count never differs from its list."""
    if not queries:
        return {}
    columns = [
        query.with_only_columns(func.count()).order_by(None).scalar_subquery().label(name)
        for name, query in queries.items()
    ]
    return dict(db.session.execute(select(*columns)).one()._mapping)
