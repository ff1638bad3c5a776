"""Rows that belong to another row: the owner's list of them, and their column naming it."""

from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import mapped_column, relationship


def owned(order_by: str, back: str | None = None, **more: Any) -> Any:
    """The rows a case (or another row) owns, in `order_by` order: saved with it, deleted
    with it, and deleted when taken out of the list."""
    return relationship(
        back_populates=back, cascade="all, delete-orphan", order_by=order_by, **more
    )


def owner(table: str, **more: Any) -> Any:
    """The column naming the row of `table` that owns this one: deleting the owner in the
    database deletes this row too."""
    return mapped_column(ForeignKey(f"{table}.id", ondelete="CASCADE"), **more)
