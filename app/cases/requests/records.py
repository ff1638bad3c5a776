"""What the records ask of a request: its texts, its personal data, how it is erased and
which country's coordinators govern it (wired up in `kind`)."""

from __future__ import annotations

from sqlalchemy import or_

from app.models import Request
from app.records.retention import blank_events


def texts(request: Request) -> list[str]:
    """Every field value and free text of the request (its search and its data-subject
    reports read them)."""
    questions = request.questions
    return [
        request.subject,
        request.message,
        *request.details.values(),
        *(e.text for e in request.events),
        *(q.comment for q in questions),
        *(q.answer or "" for q in questions),
    ]


def data(request: Request) -> list[tuple[str, object]]:
    """The personal data, by field key (the proof of exchange)."""
    pairs = [("subject", request.subject), ("message", request.message), *request.details.items()]
    return pairs + [(q.question_key, q.answer or "") for q in request.questions]


def erase(request: Request) -> None:
    request.subject = request.message = request.search_text = ""
    request.details = {}
    for question in request.questions:
        question.answer, question.comment = None, ""
    blank_events(request.events)
    # Its counterpart ratings stay, with their numbers, for the statistics; their
    # comments are free text like the rest (app/cases/requests/ratings.py).
    for rating in request.ratings:  # type: ignore[attr-defined]
        rating.comment = ""


def parties(request: Request) -> list[int]:
    return [request.requester_authority_id, request.responder_authority_id]


def in_country(country: str):
    return or_(Request.requester_country == country, Request.responder_country == country)
