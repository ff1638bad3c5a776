"""Search my authority's cases: requests, alerts and public cases, by reference,
procedure, person or any free text, in the original or a translation."""

from __future__ import annotations

from flask import request

from app.blueprints.access import current_actor, permission
from app.blueprints.case_labels import KIND_LABELS, case_url, state_label
from app.blueprints.search import bp
from app.cases import search as case_search
from app.htmx import render
from app.records import audit


@bp.get("/search")
@permission("case:search")
def index():
    """Find a case of my authority by its reference, procedure, person or words."""
    query = request.args.get("q", "").strip()[:200]
    actor = current_actor()
    hits = case_search.search(actor, query) if query else []
    if query:
        # The ids shown, never the query: it may be a person's name.
        audit.listed(actor, "case.searched", "case", [f"{h.kind}:{h.id}" for h in hits])
    return render(
        "search/index.html",
        block="results",
        query=query,
        hits=hits,
        kind_labels=KIND_LABELS,
        state_label=lambda h: state_label(h.kind, h.state),
        case_url=lambda h: case_url(h.kind, h.id),
        limit=case_search.LIMIT,
    )
