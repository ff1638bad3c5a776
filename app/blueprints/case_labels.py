"""The state of any kind of case in the reader's words, for pages that list several kinds
(case search, audit reports, proof of exchange)."""

from __future__ import annotations

from app.cases import registry


def state_label(kind: str, state: str) -> str:
    entry = registry.kind(kind)
    labels = entry.labels()["states"] if entry is not None else {}
    return next((str(label) for key, label in labels.items() if key.value == state), state)
