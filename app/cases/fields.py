"""A pack's typed fields (a request's details and answers, an alert's, a public case's, a
repository record's): the stored form of what was typed, and which required ones are
missing. Every kind of case types its fields here, so that a date or a number is read
the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from app.cases.kernel import CaseError
from app.procedures import Pack


class FieldError(CaseError):
    """A value that does not fit its field's type (code "answer_type")."""


def validate_answer(question, value: str) -> str | None:
    """The stored form of a typed answer, or FieldError for a value of the wrong type."""
    value = (value or "").strip()
    if not value:
        return None
    if question.type == "yes_no" and value not in ("yes", "no"):
        raise FieldError("answer_type")
    if question.type == "choice" and value not in {o.key for o in question.options}:
        raise FieldError("answer_type")
    if question.type == "date":
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError:
            raise FieldError("answer_type") from None
    if question.type == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise FieldError("answer_type") from None
        value = str(int(number)) if number.is_integer() else str(number)
    return value[:10000]


def typed_details(pack: Pack, values: dict[str, str]) -> dict[str, str]:
    """The pack's request fields from `values`, typed (FieldError on a wrong type)."""
    details = {}
    for question in pack.request_fields:
        typed = validate_answer(question, values.get(question.key, ""))
        if typed is not None:
            details[question.key] = typed
    return details


def missing_details(pack: Pack, details: dict[str, str]) -> list[str]:
    """The keys of the pack's required request fields left empty."""
    return [f.key for f in pack.request_fields if f.required and not details.get(f.key)]


def typed_fields(
    fields: Iterable[Any], values: Mapping[str, str], limit: int | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """The fields' values typed, and an error code per field: "type" for a value of the
    wrong type, "required" for a required field left blank. `limit` cuts each value."""
    typed, errors = {}, {}
    for field in fields:
        try:
            value = validate_answer(field, values.get(field.key, "")[:limit])
        except FieldError:
            errors[field.key] = "type"
            continue
        if value is not None:
            typed[field.key] = value
        elif field.required:
            errors[field.key] = "required"
    return typed, errors
