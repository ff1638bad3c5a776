"""Tables that stay readable on a phone: each cell carries its column's heading
(`data-label`), so that below 40rem the stylesheet shows every row as a card whose values
are labelled, instead of squeezing the columns until words break."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask import Flask
from markupsafe import Markup, escape

_ROW_OR_CELL = re.compile(r"<(tr|td|th)(?=[\s>])")
_AFTER_CODE_PUNCTUATION = re.compile(r"(?<=[._=@/])(?=\w)")


def cell_labels(rows: str, labels: Sequence[str]) -> Markup:
    """The rows' HTML with `data-label="<heading>"` on each cell, the n-th cell of a row
    taking the n-th label (an empty one past the last). The rows are markup rendered by
    a template (text that is not Markup is escaped); the labels are escaped here. (Plain
    strings inside: Markup's own operations cost a millisecond per row of an inbox.)"""
    html = str(escape(rows))
    escaped = [str(escape(label)) for label in labels]
    column = 0

    def labelled(tag: re.Match) -> str:
        nonlocal column
        if tag[1] == "tr":
            column = 0
            return "<tr"
        label = escaped[column] if column < len(escaped) else ""
        column += 1
        return f'<{tag[1]} data-label="{label}"'

    return Markup(_ROW_OR_CELL.sub(labelled, html))  # noqa: S704 (escaped above)


def breakable(text: object) -> Markup:
    """Machine text (an e-mail address, a code like `public_case.submitter_confirmed`,
    `state_to=sent`) with a line-break opportunity (<wbr>) after its punctuation: a narrow
    column wraps it there, as a URL is wrapped, instead of growing past the page."""
    escaped = escape(text)
    pieces, done = [], 0
    for point in _AFTER_CODE_PUNCTUATION.finditer(escaped):
        pieces.append(escaped[done : point.start()])
        done = point.start()
    pieces.append(escaped[done:])
    return Markup("<wbr>").join(pieces)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(cell_labels=cell_labels, breakable=breakable)
