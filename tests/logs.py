"""The production log handler, attached for one test: what it writes, to read back."""

from __future__ import annotations

import io
import json
import logging

import pytest

from app import logs


class ProductionLog:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def app_lines(self) -> list[dict]:
        """The app's lines so far, parsed (each must be one JSON object on one line);
        lines of the libraries (RQ's, the test's SMTP server's) left out."""
        entries = [json.loads(line) for line in self.text.splitlines()]
        return [entry for entry in entries if entry["logger"].split(".")[0] == "app"]

    def clear(self) -> None:
        self.stream.seek(0)
        self.stream.truncate()


@pytest.fixture
def production_log():
    """The handler production installs, on the root logger at INFO, for this test."""
    log = ProductionLog()
    handler = logs.handler_for({"DEVELOPMENT": False, "TESTING": False}, log.stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield log
    root.removeHandler(handler)
    root.setLevel(level)
