"""The fields of a procedure pack, typed: written once for every form built from a pack
(a public submission, a repository record).

Each value is typed by the one rule of answers (`validate_answer`); a form gets back the
typed values and, per field, why one was refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.cases.requests import RequestError, validate_answer


def typed_fields(
    fields: Iterable[Any], values: Mapping[str, str], limit: int | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """The fields' values typed, and an error code per field: "type" for a value of the
    wrong type, "required" for a required field left blank. `limit` cuts each value."""
    typed, errors = {}, {}
    for field in fields:
        try:
            value = validate_answer(field, values.get(field.key, "")[:limit])
        except RequestError:
            errors[field.key] = "type"
            continue
        if value is not None:
            typed[field.key] = value
        elif field.required:
            errors[field.key] = "required"
    return typed, errors
