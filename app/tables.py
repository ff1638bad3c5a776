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
    a template (text that is not Markup is escaped); the labels are escaped here. Plain
    strings and one split of the whole table, not a callback per cell: an inbox page
    has 150 cells."""
    pieces = _ROW_OR_CELL.split(str(escape(rows)))  # text, tag, text, tag, ..., text
    attributes = [f' data-label="{escape(label)}"' for label in labels]
    out, column = [pieces[0]], 0
    for at in range(1, len(pieces), 2):
        tag = pieces[at]
        if tag == "tr":
            column = 0
            out.append("<tr")
        else:
            label = attributes[column] if column < len(attributes) else ' data-label=""'
            out.append(f"<{tag}{label}")
            column += 1
        out.append(pieces[at + 1])
    return Markup("".join(out))  # noqa: S704 (escaped above)


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
