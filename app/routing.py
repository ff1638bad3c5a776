"""Numbers from URLs, query strings and forms that reach a database query.

Every id column is PostgreSQL's INTEGER, and a bound value is cast to it: a larger
number makes the query itself fail (a 500). Such a number is treated like any other id
that does not exist: a path does not match (404), a parameter is not a number.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from werkzeug.routing import IntegerConverter, Map

# INTEGER's bounds. The BIGINT bound (2**63-1) would not do: 2**31 already fails.
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number past MAX_INT does not match, so it is a 404.

    The regex drops numbers of more than 10 digits before any rule is chosen; `max`
    catches the rest (10 digits past MAX_INT), where Werkzeug answers 405 instead of
    404 if the same path has a rule for another method."""

    regex = r"\d{1,10}"

    def __init__(
        self,
        map: Map,  # noqa: A002  (Werkzeug's parameter names)
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = None,  # noqa: A002
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, MAX_INT if max is None else max, signed)


def db_int(text: str) -> int:
    """int() for a number typed by someone else that goes into a query: ValueError when
    INTEGER cannot hold it, as for "abc". Use as `request.args.get(name, type=db_int)`,
    `coerce=db_int`, or where a cursor is parsed."""
    value = int(text)
    if not MIN_INT <= value <= MAX_INT:
        raise ValueError(f"out of range: {text!r}")
    return value


def db_ints(texts: list[str]) -> list[int]:
    """The numbers among `texts` (a form's checkboxes) that db_int accepts."""
    numbers = []
    for text in texts:
        try:
            numbers.append(db_int(text))
        except ValueError:
            continue
    return numbers


def id_urls(endpoint: str, name: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, <name>=id, **values)` for the many rows of one list: the URL is
    built once, and each row's id takes the place of a stand-in (Werkzeug's builder costs
    some 10 µs a call, 25 times a page). The stand-in is MAX_INT, which no id exceeds and
    no other part of a path holds."""
    head, _, tail = url_for(endpoint, **{name: MAX_INT}, **values).rpartition(str(MAX_INT))
    return lambda id_: f"{head}{int(id_)}{tail}"
