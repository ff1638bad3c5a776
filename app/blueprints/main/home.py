"""The start page, which says what waits for the officer's authority, and the list of
every case waiting for it ("Waiting for you")."""

from __future__ import annotations

from flask import request

from app.blueprints.access import current_actor, permission
from app.blueprints.case_labels import KIND_LABELS, case_url
from app.blueprints.main import bp, texts
from app.cases import waiting
from app.htmx import render
from app.models.base import utcnow
from app.policy import PUBLIC, SIGNED_IN
from app.records import audit


def _today():
    return utcnow().date()


@bp.get("/")
@permission(PUBLIC)
def home():
    """Start page: what waits for the signed-in officer's authority, or how to sign in."""
    actor = current_actor()
    return render(
        "main/home.html",
        actor=actor,
        summary=waiting.summary(actor, _today()) if actor else None,
        labels=texts.LABELS,
        counted=texts.counted,
        none_word=texts.none() if actor else "",
    )


@bp.get("/waiting")
@permission(SIGNED_IN)
def waiting_list():
    """Every case whose next step is my authority's, the nearest due date first."""
    actor = current_actor()
    today = _today()
    after = request.args.get("after", "")[:80]
    rows, next_cursor = waiting.waiting(actor, today, after)
    # one row for the page, naming each case shown by kind and id (as the case search)
    audit.listed(actor, "case.list_viewed", "case", [f"{r.kind}:{r.case.id}" for r in rows])
    return render(
        "main/waiting.html",
        rows=rows,
        next_cursor=next_cursor,
        today=today,
        reasons=texts.REASONS,
        kind_labels=KIND_LABELS,
        case_url=lambda row: case_url(row.kind, row.case.id),
    )
