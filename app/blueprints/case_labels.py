"""The state of any kind of case in the reader's words, for pages that list several kinds
(case search, audit reports, proof of exchange)."""

from __future__ import annotations


def state_label(kind: str, state: str) -> str:
    from app.blueprints.requests.routes import STATE_LABELS as REQUEST_STATES
    from app.cases.alerts.labels import STATE_LABELS as ALERT_STATES
    from app.cases.public.labels import STATE_LABELS as PUBLIC_STATES
    from app.cases.repositories.labels import STATE_LABELS as RECORD_STATES

    labels = {
        "request": REQUEST_STATES,
        "alert": ALERT_STATES,
        "public_case": PUBLIC_STATES,
        "repository_record": RECORD_STATES,
    }.get(kind, {})
    return next((str(label) for key, label in labels.items() if key.value == state), state)
