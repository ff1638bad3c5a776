"""A pack's typed fields (a request's details and answers, an alert's, a public case's, a
repository record's): the stored form of what was typed, and which required ones are
missing. Every kind of case types its fields here, so that a date or a number is read
the same way everywhere: the web forms (app/cases/packforms.py) store what
`validate_answer` stores, and the services check it again for any other caller."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from app.cases.kernel import CaseError


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


def typed_values(questions: Iterable[Any], values: Mapping[str, str]) -> dict[str, str]:
    """The questions' values from `values`, typed (FieldError on a wrong type): what a
    draft keeps (a request's details, an alert's fields)."""
    typed = {}
    for question in questions:
        value = validate_answer(question, values.get(question.key, ""))
        if value is not None:
            typed[question.key] = value
    return typed


def missing(questions: Iterable[Any], values: Mapping[str, str]) -> list[str]:
    """The keys of the required questions left empty (checked when a draft is sent)."""
    return [q.key for q in questions if q.required and not values.get(q.key)]


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
