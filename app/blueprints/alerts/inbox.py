"""The alert inbox: boxes of the alerts the acting authority sees, with their counters."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from sqlalchemy import tuple_
from sqlalchemy.orm import defer, joinedload

from app.blueprints.access import current_actor, permission
from app.blueprints.alerts import bp
from app.cases import alerts
from app.cases.alerts.boxes import BOXES, box_query
from app.cases.alerts.labels import STATE_LABELS
from app.cases.paging import count_each
from app.extensions import db
from app.htmx import render
from app.models import Alert, AlertState
from app.models.base import utcnow
from app.procedures import registry
from app.records import audit
from app.routing import db_int
from app.template_gettext import resolved

PAGE_SIZE = 25


def _alert_packs():
    return sorted(
        (p for p in registry(current_app).values() if p.kind == "alert"), key=lambda p: p.key
    )


def _cursor(alert: Alert) -> str:
    return f"{alert.updated_at.isoformat()}_{alert.id}"


def _after(query, cursor: str):
    stamp, _sep, ident = cursor.rpartition("_")
    try:
        at, number = datetime.fromisoformat(stamp), db_int(ident)
    except ValueError:
        return query
    return query.where(tuple_(Alert.updated_at, Alert.id) < tuple_(at, number))


@bp.get("")
@permission("alert:view")
def index():
    """The alert inbox; htmx swaps the list and the counters together."""
    actor = current_actor()
    args = request.args
    box = args.get("box", "received")
    box = box if box in BOXES else "received"
    procedure = args.get("procedure", "")[:80]
    state = args.get("state", "")
    after = args.get("after", "")[:80]
    visible = alerts.visible_query(actor)
    query = box_query(actor, box, visible)
    if procedure:
        query = query.where(Alert.procedure_key == procedure)
    if state in {s.value for s in AlertState}:
        query = query.where(Alert.state == AlertState(state))
    if after:
        query = _after(query, after)
    rows = list(
        db.session.scalars(
            query.options(
                # the sender's name on every row, in the same query
                joinedload(Alert.sender_authority),
                # what a list row does not show
                defer(Alert.fields),
                defer(Alert.message),
                defer(Alert.search_text),
            )
            .order_by(Alert.updated_at.desc(), Alert.id.desc())
            .limit(PAGE_SIZE + 1)
        )
    )
    next_cursor = _cursor(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else ""
    counts = count_each({b: box_query(actor, b, visible) for b in BOXES})
    filters = {"box": box, "procedure": procedure, "state": state}
    # read before the read's commit, in the same transaction
    seen = alerts.seen_revisions(actor, [a.id for a in rows[:PAGE_SIZE]])
    audit.listed(actor, "alert.list_viewed", "alert", [a.id for a in rows[:PAGE_SIZE]], box=box)
    return render(
        "alerts/inbox.html",
        block="inbox",
        items=rows[:PAGE_SIZE],
        seen=seen,
        next_cursor=next_cursor,
        counts=counts,
        filters=filters,
        packs=_alert_packs(),
        state_labels=resolved(STATE_LABELS),
        today=utcnow().date(),
        actor=actor,
    )
