"""What the records ask of a public case: its texts, its personal data and how it is
erased (wired up in `kind`)."""

from __future__ import annotations

from app.models import PublicCase
from app.records.retention import blank_events


def texts(case: PublicCase) -> list[str]:
    """Every field value and free text of the case (its search and its data-subject
    reports read them)."""
    return [
        case.submitter_name,
        case.description,
        *map(str, case.details.values()),
        *(e.text for e in case.events),
    ]


def data(case: PublicCase) -> list[tuple[str, object]]:
    """The personal data, by field key (the proof of exchange)."""
    return [
        ("name", case.submitter_name),
        ("email", case.submitter_email),
        ("description", case.description),
        *case.details.items(),
    ]


def erase(case: PublicCase) -> None:
    case.submitter_name = case.description = case.search_text = ""
    case.handover_summary = ""
    # Unique and required: a value that names nobody.
    case.submitter_email = f"erased-{case.id}@invalid"
    case.details = {}
    blank_events(case.events)
