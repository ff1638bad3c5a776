"""Numbers from URLs, query strings and forms that reach a database query.

Every id column is PostgreSQL's INTEGER, and a bound value is cast to it: a larger
number makes the query itself fail (a 500). Such a number is treated like any other id
that does not exist: a path does not match (404), a parameter is not a number.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, url_for
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


def id_urls(endpoint: str, name: str, **values) -> IdUrls:
    """`url_for(endpoint, <name>=id, **values)` for the many rows of one list: the URL is
    built once, and each row's id takes the place of a stand-in (Werkzeug's builder costs
    some 10 µs a call, 25 times a page). The stand-in is MAX_INT, which no id exceeds and
    no other part of a path holds."""
    head, _, tail = url_for(endpoint, **{name: MAX_INT}, **values).rpartition(str(MAX_INT))
    return IdUrls(head, tail)


class IdUrls:
    """A row's URL: `urls(id)`, or `urls[id]`, which a template looks up without a call
    through its context (a list's rows: 25 a page)."""

    __slots__ = ("head", "tail")

    def __init__(self, head: str, tail: str) -> None:
        self.head, self.tail = head, tail

    def __getitem__(self, id_: int) -> str:
        return f"{self.head}{int(id_)}{self.tail}"

    __call__ = __getitem__


# URLs kept per app: a bound, as values typed into a query string (filters, cursors) reach
# some of them; past it, a URL is built each time.
KEPT_URLS = 4096
_PLAIN = (str, int, bool, type(None))


def kept_url_for(endpoint: str, **values) -> str:
    """The templates' url_for: a page builds the same dozen URLs each time (its tabs, the
    header's forms and links), and Werkzeug's builder costs some 10 µs a call. A URL
    without a leading dot, options (`_external`, `_anchor`...) or any value other than
    text, a number or a flag follows from the app's routes, the request's script root
    (the training instance's prefix) and the values alone: it is kept per app under
    those. Any other is built as url_for builds it."""
    if (
        endpoint.startswith(".")
        or not has_request_context()
        or any(name.startswith("_") or type(v) not in _PLAIN for name, v in values.items())
    ):
        return url_for(endpoint, **values)
    kept = current_app.extensions.setdefault("openimi.kept_urls", {})
    # the type too: True and 1 are equal keys, and different URLs
    key = (request.script_root, endpoint, *((n, type(v), v) for n, v in sorted(values.items())))
    url = kept.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(kept) < KEPT_URLS:
            kept[key] = url
    return url
