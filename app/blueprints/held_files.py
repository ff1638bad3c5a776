"""The files of a form that may come back with an error: those held from earlier
attempts (app/cases/held.py, a signed token in the hidden field `held`), less the ones
the user ticked to remove, plus the ones chosen now. The page lists them (template
components/held_files.html) and the route hands them to its case once the form is saved."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import request
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from app.cases import held
from app.cases.attachments import StoredFile


@dataclass
class HeldFiles:
    files: list[StoredFile] = field(default_factory=list)
    # The refusal code of a file chosen now ("type", "too_large", "empty", "too_many").
    refused: str | None = None
    token: str = ""


def _csrf_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return False
    return True


def take(
    owner: str,
    name: str = "files",
    limit: int | None = None,
    most: int | None = None,
    new: bool = True,
) -> HeldFiles:
    """The form's files on a POST (none on a GET). Removing and adding need the form's
    CSRF token; `new` False (the country filter, a refused rate) leaves the chosen files
    aside; `most` caps how many the form takes."""
    if request.method != "POST":
        return HeldFiles()
    files = held.unseal(request.form.get("held", ""), owner)
    refused = None
    if new and _csrf_ok():
        files = held.drop(files, request.form.getlist("unhold"))
        chosen = held.chosen(request.files.getlist(name))
        if most is not None and len(files) + len(chosen) > most:
            refused = "too_many"
        else:
            added, refused = held.hold(chosen, limit)
            files = files + added
    return HeldFiles(files, refused, held.seal(files, owner))
