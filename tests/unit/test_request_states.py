"""The states in which a request awaits its reply are written once
(app.models.requests.PENDING_REPLY): the lifecycle's table, the reply-date reminders, the
inbox's overdue filter and the model's is_overdue read the same tuple, so that a state
added to one cannot be missing from another."""

from __future__ import annotations

import ast
from pathlib import Path

import app

PENDING = {"SENT", "ACCEPTED", "INFO_REQUESTED"}


def _pending_reply_tuples() -> list[str]:
    """Where app/ spells out the three states as a tuple of its own."""
    root = Path(app.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Tuple) and node.elts:
                names = [getattr(e, "attr", None) for e in node.elts]
                if set(names) == PENDING and len(names) == len(PENDING):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_the_states_awaiting_a_reply_are_written_once():
    from app.cases import inbox
    from app.cases.requests import lifecycle, notices
    from app.models import requests

    found = _pending_reply_tuples()
    assert [where.split(":")[0] for where in found] == ["models/requests.py"], found
    assert lifecycle.PENDING_REPLY is requests.PENDING_REPLY
    assert notices.PENDING_REPLY is inbox.PENDING_REPLY is requests.PENDING_REPLY
    assert set(requests.OPEN_STATES) == {*requests.PENDING_REPLY, requests.RequestState.ANSWERED}
