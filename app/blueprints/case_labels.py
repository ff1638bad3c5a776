"""The kind and the state of any case in the reader's words, and the address of its page,
for pages that list several kinds (case search, the waiting list, audit reports, proof of
exchange, translations)."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.cases import registry
from app.template_gettext import resolved

# Each kind of case in one word, for lists that mix them.
KIND_LABELS = {
    "request": _l("Request"),
    "alert": _l("Alert"),
    "public_case": _l("Public case"),
}


def case_url(kind: str, case_id: int) -> str:
    """The page of a case of the kind named `kind` (registry `Kind.page`)."""
    endpoint, argument = registry.kinds()[kind].page
    return url_for(endpoint, **{argument: case_id})


def state_label(kind: str, state: str) -> str:
    entry = registry.kind(kind)
    if entry is None:
        return state
    labels = resolved(entry.labels()["states"])  # translated once per language
    return next((label for key, label in labels.items() if key.value == state), state)
