"""An alert's states and timeline events in the reader's words: the alert page, the PDF
record and the pages that list several kinds of case say the same."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.models import AlertState, RecipientState

STATE_LABELS = {
    AlertState.DRAFT: _l("Draft"),
    AlertState.AWAITING_VALIDATION: _l("Awaiting validation"),
    AlertState.SENT: lazy_pgettext("alert state", "Sent"),
    AlertState.WITHDRAWN: lazy_pgettext("alert state", "Withdrawn"),
    AlertState.CLOSED: lazy_pgettext("alert state", "Closed"),
}

RECIPIENT_LABELS = {
    RecipientState.RECEIVED: lazy_pgettext("alert recipient state", "Received"),
    RecipientState.DISSEMINATED: lazy_pgettext("alert recipient state", "Disseminated"),
    RecipientState.HANDLED: _l("Handled by the coordinator"),
}

EVENT_LABELS = {
    "submitted": _l("Submitted for validation"),
    "validated": _l("Validated"),
    "returned": _l("Returned by the validating coordinator"),
    "sent": _l("Alert broadcast"),
    "disseminated": _l("Disseminated to competent authorities"),
    "handled": _l("Handled by the coordinator"),
    "acknowledged": _l("Acknowledged"),
    "comment": _l("Comment"),
    "updated": _l("Alert updated"),
    "withdrawn": _l("Alert withdrawn"),
    "closed": _l("Alert closed"),
    "attachment": _l("File added"),
}
