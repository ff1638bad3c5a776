"""The state of any kind of case in the reader's words, for pages that list several kinds
(case search, audit reports, proof of exchange)."""

from __future__ import annotations


def state_label(kind: str, state: str) -> str:
    from app.blueprints.alerts.routes import STATE_LABELS as ALERT_STATES
    from app.blueprints.public_cases.routes import STATE_LABELS as PUBLIC_STATES
    from app.blueprints.repositories.routes import STATE_LABELS as RECORD_STATES
    from app.cases.requests.labels import STATE_LABELS as REQUEST_STATES

    labels = {
        "request": REQUEST_STATES,
        "alert": ALERT_STATES,
        "public_case": PUBLIC_STATES,
        "repository_record": RECORD_STATES,
    }.get(kind, {})
    return next((str(label) for key, label in labels.items() if key.value == state), state)
