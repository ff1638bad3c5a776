"""The services answer in data; the web glue (responses, addresses, the request) lives in
app/blueprints. A service that sends a file or builds a URL cannot be called from a job,
the CLI or the API without a web request around it."""

from __future__ import annotations

import ast
from pathlib import Path

import app

# The service packages (the mail, jobs and the app factory build absolute links for mail
# with `app.external_url`, which needs no request: they are not listed).
SERVICES = ("cases", "records", "accounts", "translation")
WEB_GLUE = {
    "abort",
    "flash",
    "make_response",
    "redirect",
    "request",
    "send_file",
    "send_from_directory",
    "session",
    "url_for",
}


def _flask_names(tree: ast.AST) -> set[str]:
    """The names a module takes from flask: imported, or read as flask.<name>."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "flask":
            names.add(node.attr)
    return names


def test_services_leave_responses_and_addresses_to_the_blueprints():
    root = Path(app.__file__).parent
    found = {}
    for package in SERVICES:
        for path in sorted((root / package).rglob("*.py")):
            glue = _flask_names(ast.parse(path.read_text())) & WEB_GLUE
            if glue:
                found[str(path.relative_to(root))] = sorted(glue)
    assert found == {}
