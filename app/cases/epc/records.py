"""What the records ask of an EPC application: its texts, its personal data and how it
is erased (wired up in `kind`). The applicant's account and documents are erased with
the account (app/cases/epc/accounts.py `purge`)."""

from __future__ import annotations

from app.models import EpcApplication
from app.records.retention import blank_events


def texts(case: EpcApplication) -> list[str]:
    return [
        *map(str, case.details.values()),
        case.missing_documents,
        *(e.text for e in case.events),
    ]


def data(case: EpcApplication) -> list[tuple[str, object]]:
    return [*case.details.items(), ("missing_documents", case.missing_documents)]


def erase(case: EpcApplication) -> None:
    case.details = {}
    case.identity_key = case.missing_documents = case.search_text = ""
    case.documents = []
    blank_events(case.events)
