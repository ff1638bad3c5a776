"""The web side of pack forms (app/cases/packforms.py): what the request posted, and
whether a POST's forms all validate."""

from __future__ import annotations

from typing import Any

from flask import request


def formdata() -> Any:
    """The form as posted, on a POST; else None (the form shows what is stored)."""
    return request.form if request.method == "POST" else None


def posted(*forms) -> bool:
    """A POST whose forms all validate; every form is checked, so each shows its errors."""
    return request.method == "POST" and all([form.validate() for form in forms])
