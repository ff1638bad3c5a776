"""Alerts (one-to-many): compose, validate, broadcast, route, disseminate, acknowledge,
comment, update, withdraw, close.

The package by subject: `parties` (who an authority is to an alert, and the one
visibility rule), `lifecycle` (the transitions as data, on the case kernel), `routing`
(coordinators and competent authorities), `compose` (drafts, validation, broadcast),
`receiving` (dissemination, acknowledgement, comments), `changes` (versions, files,
withdrawal, closure), `labels` (states and events in words) and `notices` (mail and
send-by reminders). A refused action raises AlertError and changes nothing.
"""

from app.cases.alerts.changes import (
    attach,
    attach_held,
    attachment_of,
    close,
    record_download,
    update,
    withdraw,
)
from app.cases.alerts.compose import (
    Draft,
    discard,
    missing_fields,
    save_draft,
    send,
    validate,
)
from app.cases.alerts.lifecycle import LIFECYCLE, AlertError, S
from app.cases.alerts.parties import (
    disseminated_ids,
    load,
    may_view,
    party_ids,
    recipient_of,
    sides,
    visible_query,
)
from app.cases.alerts.receiving import (
    acknowledge,
    comment,
    disseminate,
    handle,
    record_view,
    seen_revisions,
)
from app.cases.alerts.routing import (
    competent_authorities,
    sendable_packs,
)

__all__ = [
    "LIFECYCLE",
    "S",
    "AlertError",
    "Draft",
    "acknowledge",
    "attach",
    "attach_held",
    "attachment_of",
    "close",
    "comment",
    "competent_authorities",
    "discard",
    "disseminate",
    "disseminated_ids",
    "handle",
    "load",
    "may_view",
    "missing_fields",
    "party_ids",
    "recipient_of",
    "record_download",
    "record_view",
    "save_draft",
    "seen_revisions",
    "send",
    "sendable_packs",
    "sides",
    "update",
    "validate",
    "visible_query",
    "withdraw",
]
